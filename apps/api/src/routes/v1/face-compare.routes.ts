import type { FastifyInstance } from 'fastify';
import { BiogateError } from '@biogate/contracts';
import { readForm, requireConsent, requireFormEncoding } from '../../lib/form.ts';
import { stageImage } from '../../lib/media.ts';
import type { RouteDeps } from '../../lib/route-deps.ts';
import { submitAndSend } from '../../lib/submit.ts';
import { documented } from '../../plugins/openapi.ts';

/**
 * POST /v1/face/compare (seed 001 "Face Compare"): `image_file1` + `image_file2`, or `image_file` +
 * `user_token` (an enrollment of this tenant). The largest face of each source is compared. Input checks
 * (400/415) come before the user_token lookup (404), so a request missing its image is told so first.
 */
export function faceCompareRoutes(deps: RouteDeps) {
  const image = { maxBytes: deps.limits.maxImageBytes, tooLargeCode: 'image_too_large' as const };
  return async function (app: FastifyInstance) {
    app.post('/v1/face/compare', documented({
      summary: 'Compare the largest faces of two images, or an image with an enrollment',
      tags: ['v1 face'],
      files: { image_file1: 'first image', image_file2: 'second image', image_file: 'image to compare with user_token' },
      fields: { user_token: 'an enrollment of this tenant', client_declaration_enduser_consent: 'must be true: the end user consented to biometric processing',
      async: 'true to answer 202 {job_id, status_url} at once',
      callback_url: 'URL receiving the result as a signed webhook (makes the request asynchronous)',
      },
      required: ['client_declaration_enduser_consent'],
      responses: { 200: 'The Compare object', 202: 'accepted (async)', 400: 'bad input', 401: 'no or bad API key', 404: 'unknown user_token', 413: 'too large', 415: 'not a JPEG or PNG, or not multipart/form-data', 422: 'no face found', 504: 'not finished in time; poll the job' },
    }), async (request, reply) => {
      requireFormEncoding(request, { json: false });
      const form = await readForm(request, { image_file: image, image_file1: image, image_file2: image });
      requireConsent(form.fields);
      const tenantId = request.auth.tenantId;
      const userToken = form.fields.user_token?.trim();
      if (userToken) {
        const probe = form.files.get('image_file') ?? form.files.get('image_file1');
        if (!probe) throw new BiogateError('image_missing', 'send image_file with user_token');
        const enrollment = await deps.repos.enrollments.get(tenantId, userToken);
        if (!enrollment) throw new BiogateError('not_found', 'no enrollment with this user_token');
        const blob = await stageImage(deps, request, probe);
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
      const blob1 = await stageImage(deps, request, form.files.get('image_file1'));
      const blob2 = await stageImage(deps, request, form.files.get('image_file2'));
      return submitAndSend(deps, request, reply, {
        name: 'face.compare',
        fields: form.fields,
        input: { imageBlobIds: [blob1.id, blob2.id] },
        build: (ids) => ({ ...ids, image1: { blobId: blob1.id }, image2: { blobId: blob2.id } }),
      });
    });
  };
}
