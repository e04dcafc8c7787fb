import type { BlobRecord, Repositories } from '@biogate/db';
import type { BlobStore } from '@biogate/storage';

/** Deletes a blob's bytes and its row: biometric data leaves storage with the record that used it. */
export async function eraseBlob(ctx: { repos: Repositories; blobs: BlobStore }, tenantId: string, blobId: string): Promise<void> {
  const blob = await ctx.repos.blobs.get(tenantId, blobId);
  if (!blob) return;
  await ctx.blobs.delete(blob.storageKey);
  await ctx.repos.blobs.delete(tenantId, blob.id);
}

/**
 * Deletes the stored bytes of `rows` (a missing file is fine). Callers delete the bytes first and the rows
 * after: a crash in between leaves rows that point at nothing, which the next erasure or the retention
 * purge removes, never bytes that no row points at.
 */
export async function deleteStoredBytes(blobs: BlobStore, rows: ReadonlyArray<Pick<BlobRecord, 'storageKey'>>): Promise<void> {
  for (const row of rows) await blobs.delete(row.storageKey);
}

/** An image blob of the tenant and every crop cut from it (empty when the image does not exist). */
export async function imageAndCrops(repos: Repositories, tenantId: string, imageBlobId: string): Promise<BlobRecord[]> {
  const image = await repos.blobs.get(tenantId, imageBlobId);
  if (!image) return [];
  return [image, ...(await repos.blobs.listCropsOf(tenantId, [image.id]))];
}

/** Records that use an image: as a registration's or an enrollment's source, or a validation's photo. */
export interface ImageUsers {
  registrationIds: string[];
  enrollmentIds: string[];
  validationIds: string[];
}

export async function imageUsers(repos: Repositories, tenantId: string, imageBlobId: string): Promise<ImageUsers> {
  const [registrations, enrollments, validations] = await Promise.all([
    repos.registrations.listByImage(tenantId, imageBlobId),
    repos.enrollments.listByImage(tenantId, imageBlobId),
    repos.validations.listByImage(tenantId, imageBlobId),
  ]);
  return {
    registrationIds: registrations.map((r) => r.id),
    enrollmentIds: enrollments.map((e) => e.id),
    validationIds: validations.map((v) => v.id),
  };
}
