import type { ProcessorContext } from './context.ts';

/**
 * Deletes stored files no Blob row vouches for: what a process that died between writing an upload (or a
 * crop) and committing its row leaves behind, and temp files of writes that never finished. Only files older
 * than `olderThanMs` are considered, so a write whose row is about to commit is never touched.
 */
export async function sweepOrphanFiles(ctx: ProcessorContext, options: { olderThanMs: number }): Promise<number> {
  const before = new Date(Date.now() - options.olderThanMs);
  let deleted = 0;
  for (const tenant of await ctx.repos.tenants.list()) {
    deleted += await ctx.blobs.sweep(tenant.id, before, (keys) => ctx.repos.blobs.knownStorageKeys(tenant.id, keys));
  }
  if (deleted > 0) ctx.log.warn({ deleted }, 'orphan blob files deleted');
  return deleted;
}
