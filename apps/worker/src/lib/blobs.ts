import { BiogateError } from '@biogate/contracts';
import type { ProcessorContext } from './context.ts';

/** Reads a job's input blob of its own tenant; a missing one is a permanent failure, not a retry. */
export async function readBlob(ctx: ProcessorContext, tenantId: string, blobId: string): Promise<Buffer> {
  const blob = await ctx.repos.blobs.get(tenantId, blobId);
  if (!blob) throw new BiogateError('not_found', 'input blob no longer exists');
  return ctx.blobs.get(blob.storageKey);
}

/** Seconds since `start` (performance.now()), as the seeds' `time_taken`. */
export const secondsSince = (start: number) => Number(((performance.now() - start) / 1000).toFixed(4));
