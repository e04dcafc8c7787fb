import type { Repositories } from '@biogate/db';
import type { BlobStore } from '@biogate/storage';

/** Deletes a blob's bytes and its row: biometric data leaves storage with the record that used it. */
export async function eraseBlob(ctx: { repos: Repositories; blobs: BlobStore }, tenantId: string, blobId: string): Promise<void> {
  const blob = await ctx.repos.blobs.get(tenantId, blobId);
  if (!blob) return;
  await ctx.blobs.delete(blob.storageKey);
  await ctx.repos.blobs.delete(tenantId, blob.id);
}
