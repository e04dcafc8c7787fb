import type { FastifyInstance } from 'fastify';
import { readForm, requireConsent } from '../../lib/form.ts';
import { decodeBase64Image } from '../../lib/base64.ts';
import { storeImage } from '../../lib/media.ts';
import type { RouteDeps } from '../../lib/route-deps.ts';
import { submitAndSend } from '../../lib/submit.ts';

/**
 * POST /v1/face/detect (seed 001 "Face Detect"): multipart `image_file` or JSON `{"image": "<base64>"}`,
 * with `client_declaration_enduser_consent=true`. Synchronous unless `?async=true` or a `callback_url`.
 */
export function faceDetectRoutes(deps: RouteDeps) {
  return async function (app: FastifyInstance) {
    app.post('/v1/face/detect', async (request, reply) => {
      const form = await readForm(request, {
        image_file: { maxBytes: deps.limits.maxImageBytes, tooLargeCode: 'image_too_large' },
      });
      requireConsent(form.fields);
      const bytes = form.files.get('image_file') ?? (request.isMultipart() ? undefined : jsonImage(request.body, deps));
      const blob = await storeImage(deps, request.auth.tenantId, bytes);
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
