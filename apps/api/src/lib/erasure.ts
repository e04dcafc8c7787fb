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

/** Erases one enrollment or registration: its row (the embedding) and its image unless still in use. */
async function eraseRecord(
  deps: ErasureDeps,
  request: FastifyRequest,
  kind: 'enrollment' | 'registration',
  record: { id: string; imageBlobId: string | null },
): Promise<{ blobs: number }> {
  const tenantId = request.auth.tenantId;
  const self = kind === 'enrollment' ? { enrollmentId: record.id } : { registrationId: record.id };
  const blobs = await blobsOf(deps, tenantId, record.imageBlobId, self);
  const remove = async (repos: Repositories) => {
    if (kind === 'enrollment') await repos.enrollments.delete(tenantId, record.id);
    else await repos.registrations.delete(tenantId, record.id);
  };
  await eraseWith(deps, request, blobs, remove, {
    action: `${kind}.delete`,
    resourceType: kind,
    resourceId: record.id,
    details: { blobs: blobs.length },
  });
  return { blobs: blobs.length };
}

export async function eraseEnrollment(deps: ErasureDeps, request: FastifyRequest, enrollment: EnrollmentRecord): Promise<void> {
  await eraseRecord(deps, request, 'enrollment', enrollment);
}

export function eraseRegistration(deps: ErasureDeps, request: FastifyRequest, registration: RegistrationRecord): Promise<{ blobs: number }> {
  return eraseRecord(deps, request, 'registration', registration);
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
