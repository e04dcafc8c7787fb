import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { BiogateError, type JobError } from '@biogate/contracts';
import { enqueue } from '@biogate/queue';
import { createRepositories, withTransaction, type BlobRecord, type JobRecord, type Repositories } from '@biogate/db';
import { eraseBlob } from '@biogate/runtime';
import type { ProcessorContext } from './context.ts';
import { auditEventsFor } from './audit-events.ts';

export interface JobResult {
  /** HTTP status the client receives for this result (200, or 4xx for expected refusals). */
  status: number;
  body: Record<string, unknown>;
  /**
   * Blobs (ids) the request does not keep: erased once this result is committed, never before, so a worker
   * that dies in between leaves inputs a retry can still read. Stored with the result (ids only) so the
   * retry that finds the job finished erases them again; never part of what the client sees.
   */
  erase?: string[];
}

/**
 * Marks a job active and returns its row; returns null when it already finished (a retry after a crash
 * between the commit and the acknowledgement), in which case the processor only makes sure the webhook is
 * queued.
 */
export async function beginJob(ctx: ProcessorContext, job: Job, tenantId: string): Promise<JobRecord | null> {
  const row = await ctx.repos.jobs.get(tenantId, String(job.id));
  if (!row) throw new BiogateError('not_found', 'job row missing');
  if (row.status === 'completed' || row.status === 'failed') {
    for (const blobId of (row.result as JobResult | null)?.erase ?? []) await eraseBlob(ctx, tenantId, blobId);
    await enqueuePendingDeliveries(ctx, tenantId, row.id);
    return null;
  }
  await ctx.repos.jobs.markActive(tenantId, row.id, job.attemptsMade + 1);
  return row;
}

/**
 * One transaction writes the result (or error), its audit events and, when the request named a callback, the
 * webhook delivery row; then the delivery is enqueued (jobId = delivery id, so a repeat is a no-op).
 *
 * `started` is the row `beginJob` read: its name, input, actor and callback do not change while the job
 * runs, so the transaction does not read it again; whether the job is still unfinished is decided by the
 * guarded update itself. Without it (a failure recorded from the worker's `failed` event) the row is read
 * in the transaction.
 */
export async function finishJob(
  ctx: ProcessorContext,
  job: Job,
  tenantId: string,
  outcome: { result: JobResult } | { error: JobError },
  started?: JobRecord,
): Promise<void> {
  const jobId = String(job.id);
  const committed = await withTransaction(ctx.db.prisma, async (tx) => {
    const repos = createRepositories(tx);
    const row = started ?? (await repos.jobs.get(tenantId, jobId));
    if (!row) return null;
    const changed = 'result' in outcome
      ? await repos.jobs.complete(tenantId, jobId, outcome.result as never)
      : await repos.jobs.fail(tenantId, jobId, outcome.error);
    if (!changed) return null;
    const erased = 'result' in outcome ? await blobsToErase(repos, tenantId, outcome.result) : [];
    await repos.audit.recordMany(tenantId, auditEventsFor(row, outcome, erased));
    if (!row.callbackUrl) return { erased, deliveryId: null };
    const delivery = await repos.webhooks.create(tenantId, {
      id: randomUUID(),
      jobId,
      url: row.callbackUrl,
      eventType: 'result' in outcome ? 'job.completed' : 'job.failed',
    });
    return { erased, deliveryId: delivery.id };
  });
  if (!committed) {
    // Finished already (a retry, the requeue check): only make sure the cleanup and the webhook happened.
    if ('result' in outcome) for (const blobId of outcome.result.erase ?? []) await eraseBlob(ctx, tenantId, blobId);
    await enqueuePendingDeliveries(ctx, tenantId, jobId);
    return;
  }
  // Bytes first, then rows (see deleteStoredBytes); the rows were read in the transaction that committed.
  for (const blob of committed.erased) {
    await ctx.blobs.delete(blob.storageKey);
    await ctx.repos.blobs.delete(tenantId, blob.id);
  }
  // Only finishJob creates deliveries, and only in the transaction that finishes the job: the one just
  // committed is the job's only delivery.
  if (committed.deliveryId) await enqueueDelivery(ctx, tenantId, committed.deliveryId);
}

/** The rows of the blobs a result does not keep (a missing one is skipped: erased already). */
async function blobsToErase(repos: Repositories, tenantId: string, result: JobResult): Promise<BlobRecord[]> {
  const rows: BlobRecord[] = [];
  for (const blobId of result.erase ?? []) {
    const blob = await repos.blobs.get(tenantId, blobId);
    if (blob) rows.push(blob);
  }
  return rows;
}

async function enqueuePendingDeliveries(ctx: ProcessorContext, tenantId: string, jobId: string): Promise<void> {
  const deliveries = await ctx.repos.webhooks.listForJob(tenantId, jobId);
  for (const d of deliveries) {
    if (d.status === 'pending') await enqueueDelivery(ctx, tenantId, d.id);
  }
}

function enqueueDelivery(ctx: ProcessorContext, tenantId: string, deliveryId: string) {
  return enqueue(ctx.queues, 'webhook.deliver', { tenantId, deliveryId }, { jobId: `wh-${deliveryId}`, attempts: 1 });
}
