import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { BiogateError, type JobError } from '@biogate/contracts';
import { enqueue } from '@biogate/queue';
import { createRepositories, withTransaction } from '@biogate/db';
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
 * Marks a job active; returns false when it already finished (a retry after a crash between the commit and
 * the acknowledgement), in which case the processor only makes sure the webhook is queued.
 */
export async function beginJob(ctx: ProcessorContext, job: Job, tenantId: string): Promise<boolean> {
  const row = await ctx.repos.jobs.get(tenantId, String(job.id));
  if (!row) throw new BiogateError('not_found', 'job row missing');
  if (row.status === 'completed' || row.status === 'failed') {
    await eraseAfterCommit(ctx, tenantId, row.result as JobResult | null);
    await enqueuePendingDeliveries(ctx, tenantId, row.id);
    return false;
  }
  await ctx.repos.jobs.markActive(tenantId, row.id, job.attemptsMade + 1);
  return true;
}

/**
 * One transaction writes the result (or error), its audit events and, when the request named a callback, the
 * webhook delivery row; then the delivery is enqueued (jobId = delivery id, so a repeat is a no-op).
 */
export async function finishJob(
  ctx: ProcessorContext,
  job: Job,
  tenantId: string,
  outcome: { result: JobResult } | { error: JobError },
): Promise<void> {
  const jobId = String(job.id);
  await withTransaction(ctx.db.prisma, async (tx) => {
    const repos = createRepositories(tx);
    const row = await repos.jobs.get(tenantId, jobId);
    if (!row || row.status === 'completed' || row.status === 'failed') return;
    if ('result' in outcome) await repos.jobs.complete(tenantId, jobId, outcome.result as never);
    else await repos.jobs.fail(tenantId, jobId, outcome.error);
    await repos.audit.recordMany(tenantId, await auditEventsFor(repos, row, outcome));
    if (row.callbackUrl) {
      await repos.webhooks.create(tenantId, {
        id: randomUUID(),
        jobId,
        url: row.callbackUrl,
        eventType: 'result' in outcome ? 'job.completed' : 'job.failed',
      });
    }
  });
  if ('result' in outcome) await eraseAfterCommit(ctx, tenantId, outcome.result);
  await enqueuePendingDeliveries(ctx, tenantId, jobId);
}

/** Erases the blobs a committed result lists as not kept (idempotent: a missing blob is skipped). */
async function eraseAfterCommit(ctx: ProcessorContext, tenantId: string, result: JobResult | null): Promise<void> {
  for (const blobId of result?.erase ?? []) await eraseBlob(ctx, tenantId, blobId);
}

async function enqueuePendingDeliveries(ctx: ProcessorContext, tenantId: string, jobId: string): Promise<void> {
  const deliveries = await ctx.repos.webhooks.listForJob(tenantId, jobId);
  for (const d of deliveries) {
    if (d.status !== 'pending') continue;
    await enqueue(ctx.queues, 'webhook.deliver', { tenantId, deliveryId: d.id }, { jobId: `wh-${d.id}`, attempts: 1 });
  }
}
