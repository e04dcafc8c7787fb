import type { FastifyInstance } from 'fastify';
import { readForm, requireConsent, requireFormEncoding } from '../../lib/form.ts';
import { decodeBase64Image } from '../../lib/base64.ts';
import { stageImage } from '../../lib/media.ts';
import type { RouteDeps } from '../../lib/route-deps.ts';
import { submitAndSend } from '../../lib/submit.ts';
import { documented } from '../../plugins/openapi.ts';

/**
 * POST /v1/face/detect (seed 001 "Face Detect"): multipart `image_file` or JSON `{"image": "<base64>"}`,
 * with `client_declaration_enduser_consent=true`. Synchronous unless `?async=true` or a `callback_url`.
 */
export function faceDetectRoutes(deps: RouteDeps) {
  return async function (app: FastifyInstance) {
    app.post('/v1/face/detect', documented({
      summary: 'Detect faces: landmarks, box, quality metrics, liveness',
      tags: ['v1 face'],
      files: { image_file: 'JPEG or PNG, at most 3 MB (or send JSON {"image": "<base64>"})' },
      fields: {
        client_declaration_enduser_consent: 'must be true: the end user consented to biometric processing',
      async: 'true to answer 202 {job_id, status_url} at once',
      callback_url: 'URL receiving the result as a signed webhook (makes the request asynchronous)',
      },
      required: ['client_declaration_enduser_consent'],
      responses: { 200: 'The Detect object', 202: 'accepted (async)', 400: 'bad input', 401: 'no or bad API key', 413: 'too large', 415: 'not a JPEG or PNG', 504: 'not finished in time; poll the job' },
    }), async (request, reply) => {
      requireFormEncoding(request, { json: true });
      const form = await readForm(request, {
        image_file: { maxBytes: deps.limits.maxImageBytes, tooLargeCode: 'image_too_large' },
      });
      requireConsent(form.fields);
      const bytes = form.files.get('image_file') ?? (request.isMultipart() ? undefined : jsonImage(request.body, deps));
      const blob = await stageImage(deps, request, bytes);
      return submitAndSend(deps, request, reply, {
        name: 'face.detect',
        fields: form.fields,
        input: { imageBlobId: blob.id },
        build: (ids) => ({
          ...ids,
          image: { blobId: blob.id },
          format: 'v1',
          options: { quality: true, liveness: true, attributes: false, crop: false },
        }),
      });
    });
  };
}

function jsonImage(body: unknown, deps: RouteDeps): Buffer | undefined {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>).image : undefined;
  return value === undefined ? undefined : decodeBase64Image(value, deps.limits.maxImageBytes);
}
