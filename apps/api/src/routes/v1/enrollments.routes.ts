import type { FastifyInstance } from 'fastify';
import { BiogateError } from '@biogate/contracts';
import { audit } from '../../lib/audit.ts';
import { eraseEnrollment } from '../../lib/erasure.ts';
import { readForm, requireConsent, requireFormEncoding } from '../../lib/form.ts';
import { stageImage } from '../../lib/media.ts';
import type { RouteDeps } from '../../lib/route-deps.ts';
import { submitAndSend } from '../../lib/submit.ts';
import { documented } from '../../plugins/openapi.ts';

const elapsed = (start: number) => Number(((performance.now() - start) / 1000).toFixed(4));

/**
 * Seed 001 "Enrollment": create (`POST /v1/enrollments` -> user_token), update with a new face
 * (`PUT /v1/enrollments/{user_token}`), delete (erases the embedding and its image blob), list.
 * `user_token` is a UUID string (the seed's table says number for create and string for update; string
 * serves both). Answers carry exactly the seed's fields; see docs/api/seed-001-native.md.
 */
export function enrollmentsRoutes(deps: RouteDeps) {
  const image = { maxBytes: deps.limits.maxImageBytes, tooLargeCode: 'image_too_large' as const };
  return async function (app: FastifyInstance) {
    app.post('/v1/enrollments', documented({
      summary: 'Enroll the largest face of an image; returns its user_token',
      tags: ['v1 enrollments'],
      files: { image_file: 'JPEG or PNG' },
      fields: { client_declaration_enduser_consent: 'must be true: the end user consented to biometric processing' },
      required: ['image_file', 'client_declaration_enduser_consent'],
      responses: { 200: '{user_token, time_taken}', 202: 'accepted (async)', 400: 'bad input', 401: 'no or bad API key', 413: 'too large', 415: 'not a JPEG or PNG, or not multipart/form-data', 422: 'face_not_found, image_underexposed or image_overexposed', 504: 'not finished in time; poll the job' },
    }), async (request, reply) => {
      requireFormEncoding(request, { json: false });
      const form = await readForm(request, { image_file: image });
      requireConsent(form.fields);
      const blob = await stageImage(deps, request, form.files.get('image_file'));
      return submitAndSend(deps, request, reply, {
        name: 'face.enroll',
        fields: form.fields,
        input: { imageBlobId: blob.id },
        build: (ids) => ({ ...ids, image: { blobId: blob.id } }),
      });
    });

    app.put<{ Params: { user_token: string } }>('/v1/enrollments/:user_token', documented({
      summary: 'Replace an enrollment with a new face',
      tags: ['v1 enrollments'],
      files: { image_file: 'JPEG or PNG' },
      fields: { client_declaration_enduser_consent: 'must be true: the end user consented to biometric processing' },
      required: ['image_file', 'client_declaration_enduser_consent'],
      responses: { 200: '{user_token, time_taken}', 202: 'accepted (async)', 400: 'bad input', 401: 'no or bad API key', 404: 'unknown user_token', 413: 'too large', 415: 'not a JPEG or PNG, or not multipart/form-data', 422: 'face_not_found, image_underexposed or image_overexposed', 504: 'not finished in time; poll the job' },
    }), async (request, reply) => {
      requireFormEncoding(request, { json: false });
      const form = await readForm(request, { image_file: image });
      requireConsent(form.fields);
      const bytes = form.files.get('image_file');
      if (!bytes) throw new BiogateError('image_missing', 'an image is required (JPEG or PNG)');
      const userToken = request.params.user_token;
      const existing = await deps.repos.enrollments.get(request.auth.tenantId, userToken);
      if (!existing) throw new BiogateError('not_found', 'no enrollment with this user_token');
      const blob = await stageImage(deps, request, bytes);
      return submitAndSend(deps, request, reply, {
        name: 'face.enroll',
        fields: form.fields,
        input: { imageBlobId: blob.id, userToken },
        build: (ids) => ({ ...ids, image: { blobId: blob.id }, userToken }),
      });
    });

    app.delete<{ Params: { user_token: string } }>('/v1/enrollments/:user_token', documented({
      summary: 'Delete an enrollment and erase its embedding and image',
      tags: ['v1 enrollments'],
      responses: { 200: '{time_taken}', 401: 'no or bad API key', 404: 'unknown user_token' },
    }), async (request) => {
      const start = performance.now();
      const tenantId = request.auth.tenantId;
      const existing = await deps.repos.enrollments.get(tenantId, request.params.user_token);
      if (!existing) throw new BiogateError('not_found', 'no enrollment with this user_token');
      await eraseEnrollment(deps, request, existing);
      return { time_taken: elapsed(start) };
    });

    app.get('/v1/enrollments', documented({
      summary: 'List enrollments',
      tags: ['v1 enrollments'],
      responses: { 200: '{user_tokens, total_users, time_taken}', 401: 'no or bad API key' },
    }), async (request) => {
      const start = performance.now();
      const tokens = await deps.repos.enrollments.listIds(request.auth.tenantId);
      await audit(deps.repos, request, { action: 'enrollment.list', resourceType: 'enrollment', resourceId: '*', details: { count: tokens.length } });
      return { user_tokens: tokens, total_users: tokens.length, time_taken: elapsed(start) };
    });
  };
}
