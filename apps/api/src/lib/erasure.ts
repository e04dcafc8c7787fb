import type { FastifyRequest } from 'fastify';
import {
  createRepositories,
  withTransaction,
  type BlobRecord,
  type Database,
  type EnrollmentRecord,
  type RegistrationRecord,
  type Repositories,
} from '@biogate/db';
import type { BlobStore } from '@biogate/storage';
import { deleteStoredBytes, imageAndCrops, imageUsers } from '@biogate/runtime';

interface ErasureDeps {
  db: Database;
  repos: Repositories;
  blobs: BlobStore;
}

/**
 * Deleting a record erases its biometric data: the embedding (the row) and the blobs it came from (the image
 * and every crop cut from it), bytes on disk included. An image still used by another record of the tenant is
 * kept (the other record keeps its face). Bytes go first, then the rows and the audit event in one transaction,
 * so a crash in between leaves rows that a repeated DELETE finds and finishes.
 */
async function eraseWith(
  deps: ErasureDeps,
  request: FastifyRequest,
  blobs: BlobRecord[],
  rows: (repos: Repositories) => Promise<void>,
  event: { action: string; resourceType: string; resourceId: string; details: Record<string, number> },
): Promise<void> {
  const tenantId = request.auth.tenantId;
  await deleteStoredBytes(deps.blobs, blobs);
  await withTransaction(deps.db.prisma, async (tx) => {
    const repos = createRepositories(tx);
    await rows(repos);
    await repos.blobs.deleteMany(tenantId, blobs.map((b) => b.id));
    await repos.audit.record(tenantId, { ...event, actor: request.auth.apiKeyId });
  });
}

/** The image of a deleted record and its crops, unless another record still uses the image. */
async function blobsOf(
  deps: ErasureDeps,
  tenantId: string,
  imageBlobId: string | null,
  self: { registrationId?: string; enrollmentId?: string },
): Promise<BlobRecord[]> {
  if (!imageBlobId) return [];
  const users = await imageUsers(deps.repos, tenantId, imageBlobId);
  const others =
    users.registrationIds.filter((id) => id !== self.registrationId).length +
    users.enrollmentIds.filter((id) => id !== self.enrollmentId).length +
    users.validationIds.length;
  return others > 0 ? [] : imageAndCrops(deps.repos, tenantId, imageBlobId);
}

export async function eraseEnrollment(deps: ErasureDeps, request: FastifyRequest, enrollment: EnrollmentRecord): Promise<void> {
  const tenantId = request.auth.tenantId;
  const blobs = await blobsOf(deps, tenantId, enrollment.imageBlobId, { enrollmentId: enrollment.id });
  await eraseWith(deps, request, blobs, async (repos) => void (await repos.enrollments.delete(tenantId, enrollment.id)), {
    action: 'enrollment.delete',
    resourceType: 'enrollment',
    resourceId: enrollment.id,
    details: { blobs: blobs.length },
  });
}

export async function eraseRegistration(deps: ErasureDeps, request: FastifyRequest, registration: RegistrationRecord): Promise<{ blobs: number }> {
  const tenantId = request.auth.tenantId;
  const blobs = await blobsOf(deps, tenantId, registration.imageBlobId, { registrationId: registration.id });
  await eraseWith(deps, request, blobs, async (repos) => void (await repos.registrations.delete(tenantId, registration.id)), {
    action: 'registration.delete',
    resourceType: 'registration',
    resourceId: registration.id,
    details: { blobs: blobs.length },
  });
  return { blobs: blobs.length };
}

/**
 * Deleting an image erases it, its crops and every embedding computed from it (the registrations and
 * enrollments made from it). Validations that used it as their photo keep their outcome, without the image.
 */
export async function eraseImage(
  deps: ErasureDeps,
  request: FastifyRequest,
  image: BlobRecord,
): Promise<{ crops: number; registrations: string[]; enrollments: string[] }> {
  const tenantId = request.auth.tenantId;
  const [blobs, users] = await Promise.all([imageAndCrops(deps.repos, tenantId, image.id), imageUsers(deps.repos, tenantId, image.id)]);
  const { registrationIds, enrollmentIds } = users;
  await eraseWith(
    deps,
    request,
    blobs,
    async (repos) => {
      await repos.registrations.deleteMany(tenantId, registrationIds);
      await repos.enrollments.deleteMany(tenantId, enrollmentIds);
      const actor = request.auth.apiKeyId;
      await repos.audit.recordMany(tenantId, [
        ...registrationIds.map((id) => ({ actor, action: 'registration.delete', resourceType: 'registration', resourceId: id, details: { imageId: image.id } })),
        ...enrollmentIds.map((id) => ({ actor, action: 'enrollment.delete', resourceType: 'enrollment', resourceId: id, details: { imageId: image.id } })),
      ]);
    },
    {
      action: 'image.delete',
      resourceType: 'image',
      resourceId: image.id,
      details: { crops: blobs.length - 1, registrations: registrationIds.length, enrollments: enrollmentIds.length },
    },
  );
  return { crops: Math.max(0, blobs.length - 1), registrations: registrationIds, enrollments: enrollmentIds };
}
