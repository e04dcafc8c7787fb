import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { BiogateError, imageView } from '@biogate/contracts';
import { audit } from '../../lib/audit.ts';
import { decodeBase64Image } from '../../lib/base64.ts';
import { eraseImage } from '../../lib/erasure.ts';
import { stageImage } from '../../lib/media.ts';
import type { RouteDeps } from '../../lib/route-deps.ts';
import { submitAndSend } from '../../lib/submit.ts';
import { documented } from '../../plugins/openapi.ts';

const KeySchema = z.uuid();

/** Looks up an image of the caller's tenant by key; anything else (other tenant, bad key) is a 404. */
export async function findImage(deps: RouteDeps, tenantId: string, key: string) {
  const parsed = KeySchema.safeParse(key);
  const blob = parsed.success ? await deps.repos.blobs.get(tenantId, parsed.data) : null;
  if (!blob || blob.kind !== 'image') throw new BiogateError('not_found', 'no image with this image_key');
  return blob;
}

/** Records who read which image in the audit log, then sends the stored bytes with their type. */
async function sendAudited(
  deps: RouteDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  action: string,
  imageId: string,
  blob: { contentType: string; storageKey: string },
) {
  await audit(deps.repos, request, { action, resourceType: 'image', resourceId: imageId });
  return reply.type(blob.contentType).send(await deps.blobs.get(blob.storageKey));
}

/**
 * Seed 000 "Image": `POST /face_recognition/image {image: base64}` runs the quality gate; an approved image
 * gets its `image_key`, a rejected one a 400 `{title: "image_quality", description, image_status}` and is not
 * kept. Retrieval of the metadata, the original bytes and the face crop made once the image was used by a
 * registration or validation.
 */
export function imagesRoutes(deps: RouteDeps) {
  return async function (app: FastifyInstance) {
    app.post('/face_recognition/image', documented({
      summary: 'Upload an image through the quality gate (seed 000)',
      tags: ['face_recognition'],
      json: { type: 'object', properties: { image: { type: 'string', description: 'base64 JPEG or PNG, at most 3 MB' } }, required: ['image'] },
      responses: { 200: '{image_key, file_size, width_px, height_px, created_at}', 400: 'title image_quality with image_status, or another invalid input' },
    }), async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const bytes = decodeBase64Image(body.image, deps.limits.maxImageBytes);
      const blob = await stageImage(deps, request, bytes);
      return submitAndSend(deps, request, reply, {
        name: 'face.detect',
        input: { imageBlobId: blob.id },
        build: (ids) => ({
          ...ids,
          image: { blobId: blob.id },
          format: 'image-gate',
          options: { quality: true, liveness: false, attributes: false, crop: false },
        }),
      });
    });

    const byKey = { 401: 'no or bad API key', 404: 'no image with this image_key for this tenant' };
    app.get<{ Params: { image_key: string } }>('/face_recognition/image/:image_key', documented({
      summary: "An image's metadata (seed 000)",
      tags: ['face_recognition'],
      responses: { 200: '{image_key, file_size, width_px, height_px, created_at}', ...byKey },
    }), async (request) => {
      const blob = await findImage(deps, request.auth.tenantId, request.params.image_key);
      await audit(deps.repos, request, { action: 'image.metadata.read', resourceType: 'image', resourceId: blob.id });
      return imageView(blob);
    });

    app.delete<{ Params: { image_key: string } }>('/face_recognition/image/:image_key', documented({
      summary: 'Delete an image: erases its bytes, its face crops and every embedding computed from it (biogate extension)',
      tags: ['face_recognition'],
      description:
        'Erases the stored image, the crops cut from it, and the registrations and enrollments made from it (their ' +
        'embeddings). Validations that used it keep their outcome without the image. Recorded in the audit log.',
      responses: { 200: '{image_key, deleted: true, erased: {crops, registrations, enrollments}}', 401: 'no or bad API key', 404: 'no image with this image_key for this tenant' },
    }), async (request) => {
      const blob = await findImage(deps, request.auth.tenantId, request.params.image_key);
      const erased = await eraseImage(deps, request, blob);
      return {
        image_key: blob.id,
        deleted: true,
        erased: { crops: erased.crops, registrations: erased.registrations.length, enrollments: erased.enrollments.length },
      };
    });

    app.get<{ Params: { image_key: string } }>('/face_recognition/image/:image_key/file', documented({
      summary: 'The image as sent (seed 000)',
      tags: ['face_recognition'],
      produces: ['image/jpeg', 'image/png'],
      responses: { 200: 'the original bytes', ...byKey },
    }), async (request, reply) => {
      const blob = await findImage(deps, request.auth.tenantId, request.params.image_key);
      return sendAudited(deps, request, reply, 'image.read', blob.id, blob);
    });

    app.get<{ Params: { image_key: string } }>('/face_recognition/image/:image_key/cropped_file', documented({
      summary: 'The face cropped from the image once a registration or validation used it (seed 000)',
      tags: ['face_recognition'],
      produces: ['image/jpeg'],
      responses: { 200: 'JPEG of the face', ...byKey, 404: 'no such image, or no crop yet' },
    }), async (request, reply) => {
      const blob = await findImage(deps, request.auth.tenantId, request.params.image_key);
      const crop = await deps.repos.blobs.findCropOf(request.auth.tenantId, blob.id);
      if (!crop) {
        throw new BiogateError(
          'not_found',
          'no cropped face yet: the crop is made when the image is used by a registration or a validation',
        );
      }
      return sendAudited(deps, request, reply, 'image.crop.read', blob.id, crop);
    });
  };
}
