import type { FastifyInstance } from 'fastify';
import { BiogateError } from '@biogate/contracts';
import { readForm, requireConsent } from '../../lib/form.ts';
import { storeImage } from '../../lib/media.ts';
import type { RouteDeps } from '../../lib/route-deps.ts';
import { submitAndSend } from '../../lib/submit.ts';

/**
 * POST /v1/face/compare (seed 001 "Face Compare"): `image_file1` + `image_file2`, or `image_file` +
 * `user_token` (an enrollment of this tenant). The largest face of each source is compared.
 */
export function faceCompareRoutes(deps: RouteDeps) {
  const image = { maxBytes: deps.limits.maxImageBytes, tooLargeCode: 'image_too_large' as const };
  return async function (app: FastifyInstance) {
    app.post('/v1/face/compare', async (request, reply) => {
      const form = await readForm(request, { image_file: image, image_file1: image, image_file2: image });
      requireConsent(form.fields);
      const tenantId = request.auth.tenantId;
      const userToken = form.fields.user_token?.trim();
      if (userToken) {
        const enrollment = await deps.repos.enrollments.get(tenantId, userToken);
        if (!enrollment) throw new BiogateError('not_found', 'no enrollment with this user_token');
        const blob = await storeImage(deps, tenantId, form.files.get('image_file') ?? form.files.get('image_file1'));
        return submitAndSend(deps, request, reply, {
          name: 'face.compare',
          fields: form.fields,
          input: { imageBlobId: blob.id, userToken },
          build: (ids) => ({ ...ids, image1: { blobId: blob.id }, userToken }),
        });
      }
      if (!form.files.has('image_file1') || !form.files.has('image_file2')) {
        throw new BiogateError(
          'image_missing',
          'send image_file1 and image_file2, or image_file with user_token',
        );
      }
      const blob1 = await storeImage(deps, tenantId, form.files.get('image_file1'));
      const blob2 = await storeImage(deps, tenantId, form.files.get('image_file2'));
      return submitAndSend(deps, request, reply, {
        name: 'face.compare',
        fields: form.fields,
        input: { imageBlobIds: [blob1.id, blob2.id] },
        build: (ids) => ({ ...ids, image1: { blobId: blob1.id }, image2: { blobId: blob2.id } }),
      });
    });
  };
}
