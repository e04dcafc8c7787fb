import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { BiogateError, registrationView, validationView, type JobName } from '@biogate/contracts';
import { audit } from '../../lib/audit.ts';
import { decodeBase64Image } from '../../lib/base64.ts';
import { eraseRegistration } from '../../lib/erasure.ts';
import { normalizeCpf } from '../../lib/cpf.ts';
import { stageImage } from '../../lib/media.ts';
import type { RouteDeps } from '../../lib/route-deps.ts';
import { submitAndSend } from '../../lib/submit.ts';
import { documented } from '../../plugins/openapi.ts';
import { findImage } from './images.routes.ts';

const KeySchema = z.uuid();

/** `{document_number, image}` or `{document_number, image_key}`: the CPF and the stored image to use. */
async function readSubject(deps: RouteDeps, request: FastifyRequest) {
  const body = (request.body ?? {}) as Record<string, unknown>;
  const cpf = normalizeCpf(body.document_number);
  if (!cpf) {
    throw new BiogateError('invalid_request', 'document_number must be a valid CPF (11 digits, check digits verified)');
  }
  const tenantId = request.auth.tenantId;
  if (body.image_key !== undefined) {
    if (typeof body.image_key !== 'string') throw new BiogateError('invalid_request', 'image_key must be a string');
    return { cpf, blob: await findImage(deps, tenantId, body.image_key) };
  }
  return { cpf, blob: await stageImage(deps, request, decodeBase64Image(body.image, deps.limits.maxImageBytes)) };
}

/**
 * Seed 002: registration of a face under a CPF (several per CPF are kept) and 1:1 validation of a photo
 * against them. Both run the same quality gate as `/face_recognition/image` when the image is sent inline.
 */
export function registrationsRoutes(deps: RouteDeps) {
  const submit = (name: Extract<JobName, 'face.register' | 'face.validate'>) =>
    async function (request: FastifyRequest, reply: import('fastify').FastifyReply) {
      const { cpf, blob } = await readSubject(deps, request);
      if (name === 'face.validate') {
        const latest = await deps.repos.registrations.latestByDocument(request.auth.tenantId, cpf);
        if (!latest) throw new BiogateError('not_found', 'no registration for this document_number');
      }
      return submitAndSend(deps, request, reply, {
        name,
        input: { imageBlobId: blob.id },
        build: (ids) => ({ ...ids, image: { blobId: blob.id }, documentNumber: cpf }),
      });
    };

  return async function (app: FastifyInstance) {
    const subject = {
      type: 'object',
      properties: {
        document_number: { type: 'string', description: 'CPF, formatted or 11 digits' },
        image: { type: 'string', description: 'base64 JPEG or PNG' },
        image_key: { type: 'string', description: 'key of an image sent to /face_recognition/image' },
      },
      required: ['document_number'],
    };
    app.post('/face_recognition/registration', documented({
      summary: 'Register a face under a CPF (seed 002)',
      tags: ['face_recognition'],
      json: subject,
      responses: { 200: 'the registration', 400: 'invalid CPF or image, or image_quality' },
    }), submit('face.register'));
    app.post('/face_recognition/validation', documented({
      summary: 'Validate a face against the registrations of a CPF (seed 002)',
      tags: ['face_recognition'],
      json: subject,
      responses: { 200: 'the Validation object', 400: 'invalid CPF or image, or image_quality', 404: 'no registration for this CPF' },
    }), submit('face.validate'));

    app.get<{ Params: { registration_key: string } }>('/face_recognition/registration/:registration_key', documented({
      summary: 'A registration (seed 002)',
      tags: ['face_recognition'],
      responses: { 200: 'the registration', 401: 'no or bad API key', 404: 'no registration with this registration_key for this tenant' },
    }), async (request) => {
      const key = KeySchema.safeParse(request.params.registration_key);
      const tenantId = request.auth.tenantId;
      const registration = key.success ? await deps.repos.registrations.get(tenantId, key.data) : null;
      if (!registration) throw new BiogateError('not_found', 'no registration with this registration_key');
      const image = await deps.repos.blobs.get(tenantId, registration.imageBlobId);
      await audit(deps.repos, request, { action: 'registration.read', resourceType: 'registration', resourceId: registration.id });
      return registrationView(registration, image);
    });

    app.delete<{ Params: { registration_key: string } }>('/face_recognition/registration/:registration_key', documented({
      summary: 'Delete a registration: erases its embedding, its image and the image\'s crops (biogate extension)',
      tags: ['face_recognition'],
      description:
        'The image (and its crops) is erased unless another record of the tenant still uses it (another registration, ' +
        'an enrollment or a validation made with the same image_key). Recorded in the audit log.',
      responses: { 200: '{registration_key, deleted: true, erased: {blobs}}', 401: 'no or bad API key', 404: 'no registration with this registration_key for this tenant' },
    }), async (request) => {
      const key = KeySchema.safeParse(request.params.registration_key);
      const registration = key.success ? await deps.repos.registrations.get(request.auth.tenantId, key.data) : null;
      if (!registration) throw new BiogateError('not_found', 'no registration with this registration_key');
      const erased = await eraseRegistration(deps, request, registration);
      return { registration_key: registration.id, deleted: true, erased };
    });

    app.get<{ Params: { validation_key: string } }>('/face_recognition/validation/:validation_key', documented({
      summary: 'A Validation object (seed 002)',
      tags: ['face_recognition'],
      responses: { 200: 'the Validation object, its image as validation_image', 401: 'no or bad API key', 404: 'no validation with this validation_key for this tenant' },
    }), async (request) => {
      const key = KeySchema.safeParse(request.params.validation_key);
      const tenantId = request.auth.tenantId;
      const validation = key.success ? await deps.repos.validations.get(tenantId, key.data) : null;
      if (!validation) throw new BiogateError('not_found', 'no validation with this validation_key');
      await audit(deps.repos, request, { action: 'validation.read', resourceType: 'validation', resourceId: validation.id });
      const [image, registration] = await Promise.all([
        deps.repos.blobs.get(tenantId, validation.imageBlobId),
        deps.repos.registrations.get(tenantId, validation.registrationId),
      ]);
      // The seed's retrieval example names the image `validation_image` (creation answers say `image`).
      const { image: imageObject, ...rest } = validationView(validation, image, registration);
      return { ...rest, validation_image: imageObject };
    });
  };
}
