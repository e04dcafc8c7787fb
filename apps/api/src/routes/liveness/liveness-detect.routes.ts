import type { FastifyInstance } from 'fastify';
import { stageImage } from '../../lib/media.ts';
import type { RouteDeps } from '../../lib/route-deps.ts';
import { submitAndSend } from '../../lib/submit.ts';
import { documented } from '../../plugins/openapi.ts';
import { MAX_SESSION_ID_LENGTH, parseSeed004Body } from './seed-004-request.ts';
import { seed004Responses } from './seed-004-schemas.ts';

const DESCRIPTION =
  'Seed 004. Basic auth (any user name, the API key as password) or Bearer. `faceImageBase` must be base64: ' +
  'URLs are refused (the server makes no outbound fetches). Face outcomes answer 200 with `hasError: true` and ' +
  'the seed\'s error enum; invalid input answers 400/413/415 with `error: "INVALID_REQUEST"`; see ' +
  'docs/api/seed-004-liveness.md.';

/**
 * POST /api/v1/face/detect (seed 004): one face, its age, gender, passive liveness score, rectangle and,
 * with `returnFaceImage`, the face crop made by the worker (returned in the response only, never stored).
 */
export function livenessDetectRoutes(deps: RouteDeps) {
  return async function (app: FastifyInstance) {
    const doc = documented({
      summary: 'Face detect with passive liveness, age and gender (seed 004)',
      tags: ['seed 004 liveness'],
      description: DESCRIPTION,
      json: {
        type: 'object',
        properties: {
          sessionId: { type: 'string', maxLength: MAX_SESSION_ID_LENGTH, description: 'client-generated session code, echoed back' },
          faceImageBase: { type: 'string', description: 'base64 JPEG or PNG, at most 3 MB (URLs are refused)' },
          returnFaceImage: { type: 'boolean', description: 'include the cropped face (base64 JPEG) in the response' },
        },
        required: ['sessionId', 'faceImageBase'],
      },
      responses: {
        200: '{sessionId, hasError: false, face} or a face outcome {sessionId, hasError: true, error}',
        202: 'accepted (?async=true or callback_url)',
        400: '{sessionId, hasError: true, error: "INVALID_REQUEST", code, message}',
        401: '{sessionId: null, hasError: true, error: "UNAUTHORIZED", code, message}',
        413: 'image larger than the limit (INVALID_REQUEST)',
        500: '{sessionId, hasError: true, error: "INTERNAL_ERROR", code, message}',
      },
    });
    app.post('/api/v1/face/detect', { ...doc, schema: { ...doc.schema, response: seed004Responses(doc.schema.response) } }, async (request, reply) => {
      const input = parseSeed004Body(request.body, deps.limits.maxImageBytes);
      const blob = await stageImage(deps, request, input.image);
      return submitAndSend(deps, request, reply, {
        name: 'face.detect',
        input: { imageBlobId: blob.id, format: 'liveness-detect' },
        build: (ids) => ({
          ...ids,
          image: { blobId: blob.id },
          format: 'liveness-detect',
          echo: { sessionId: input.sessionId },
          options: { quality: true, liveness: true, attributes: true, crop: input.returnFaceImage },
        }),
      });
    });
  };
}
