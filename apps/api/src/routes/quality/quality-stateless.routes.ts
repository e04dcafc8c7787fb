import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BiogateError } from '@biogate/contracts';
import { decodeBase64Image } from '../../lib/base64.ts';
import { readForm } from '../../lib/form.ts';
import { decryptImage, IMAGE_TOKEN_OVERHEAD } from '../../lib/image-crypto.ts';
import { stageImage } from '../../lib/media.ts';
import type { RouteDeps } from '../../lib/route-deps.ts';
import { submitAndSend } from '../../lib/submit.ts';
import { apiKeyFrom } from '../../plugins/auth.ts';
import { documented } from '../../plugins/openapi.ts';
import { seed003Responses } from './seed-003-schemas.ts';

/** A body sent without Content-Length (chunked): the seed documents 411 LENGTH_REQUIRED for it. */
export class LengthRequiredError extends Error {
  constructor() {
    super('Content-Length is required');
    this.name = 'LengthRequiredError';
  }
}

const DESCRIPTION =
  'Seed 003. Body as application/x-www-form-urlencoded (the seed\'s `curl -d encrypted_image=...`), multipart ' +
  'or JSON. `encrypted_image` = base64(0x01 || 12-byte IV || AES-256-GCM ciphertext || 16-byte tag) under ' +
  'HKDF-SHA256(API key, salt "biogate/image-key/v1", info "seed-003 encrypted_image"); or `image` = plain ' +
  'base64. Every face found is reported. Errors are `{code, message, request_id}`; see docs/api/seed-003-quality.md.';

/**
 * POST /quality/face/stateless (seed 003): decrypts `encrypted_image` (or takes a plain base64 `image`),
 * runs the quality analysis on the job engine and answers `{code: 1000, faces, request_id}`.
 */
export function qualityStatelessRoutes(deps: RouteDeps) {
  return async function (app: FastifyInstance) {
    const doc = documented({
      summary: 'Stateless multi-face quality check (seed 003)',
      tags: ['seed 003 quality'],
      description: DESCRIPTION,
      fields: {
        encrypted_image: 'base64 AES-256-GCM token of a JPEG or PNG (see description)',
        image: 'alternative to encrypted_image: plain base64 JPEG or PNG',
        async: 'true to answer 202 {job_id, status_url} at once',
        callback_url: 'URL receiving the result as a signed webhook (makes the request asynchronous)',
      },
      responses: {
        200: '{code: 1000, faces: [...], request_id}',
        202: 'accepted (async)',
        400: '{code: 1200 | 2003 | 2004 | 2005 | 4000, message, request_id}',
        401: '{code: 1401, message, request_id}',
        411: '{code: 2004, ...}: Content-Length missing',
        413: '{code: 2004, ...}: image larger than the limit',
      },
    });
    app.post('/quality/face/stateless', {
      ...doc,
      // The seed's own client posts a form (`curl -d`); multipart and JSON are accepted too.
      schema: {
        ...doc.schema,
        consumes: ['application/x-www-form-urlencoded', 'multipart/form-data', 'application/json'],
        response: seed003Responses(doc.schema.response),
      },
      onRequest: async (request: FastifyRequest) => {
        if (request.headers['content-length'] === undefined) throw new LengthRequiredError();
      },
    }, async (request, reply) => {
      const form = await readForm(request, {
        image: { maxBytes: deps.limits.maxImageBytes, tooLargeCode: 'image_too_large' },
        encrypted_image: {
          maxBytes: Math.ceil(((deps.limits.maxImageBytes + IMAGE_TOKEN_OVERHEAD) * 4) / 3) + 4096,
          tooLargeCode: 'image_too_large',
        },
      });
      const bytes = imageFrom(request, form, deps.limits.maxImageBytes);
      const blob = await stageImage(deps, request, bytes);
      return submitAndSend(deps, request, reply, {
        name: 'face.detect',
        fields: form.fields,
        input: { imageBlobId: blob.id, format: 'quality-stateless' },
        build: (ids) => ({
          ...ids,
          image: { blobId: blob.id },
          format: 'quality-stateless',
          options: { quality: true, liveness: false, attributes: false, crop: false },
        }),
      });
    });
  };
}

/** The image bytes from exactly one of `encrypted_image` (text or file part) or `image` (base64 text or file). */
function imageFrom(request: FastifyRequest, form: Awaited<ReturnType<typeof readForm>>, maxImageBytes: number): Buffer {
  const encrypted = form.files.get('encrypted_image')?.toString('latin1') ?? form.fields.encrypted_image;
  const imageFile = form.files.get('image');
  const imageText = form.fields.image;
  const given = [encrypted, imageFile ?? imageText].filter((v) => v !== undefined).length;
  if (given === 0) throw new BiogateError('invalid_request', 'field "encrypted_image" is required');
  if (given > 1) throw new BiogateError('invalid_request', 'send either "encrypted_image" or "image", not both');
  if (encrypted !== undefined) {
    const apiKey = apiKeyFrom(request.headers.authorization);
    if (!apiKey) throw new BiogateError('unauthorized', 'missing API key');
    return decryptImage(encrypted, apiKey, maxImageBytes);
  }
  if (imageFile) return imageFile;
  try {
    return decodeBase64Image(imageText, maxImageBytes);
  } catch (err) {
    if (err instanceof BiogateError && err.code === 'image_missing') {
      throw new BiogateError('invalid_request', 'field "image" is empty');
    }
    throw err;
  }
}
