import { JOB_CATALOG, QUEUE_PAYLOAD_KEY, type JobName } from '@biogate/contracts';
import { enqueue } from '@biogate/queue';
import type { ProcessorContext } from './context.ts';

export interface RequeueReport {
  /** Unfinished job rows old enough to be checked against Redis. */
  checked: number;
  /** Rows whose BullMQ job was gone and that were enqueued again from the stored payload. */
  requeued: number;
  /** Rows whose BullMQ job was gone and that had no usable stored payload: marked failed. */
  failed: number;
}

/**
 * The database is the record of accepted work; Redis only schedules it. A job row still queued or active
 * whose BullMQ job no longer exists (Redis killed inside its AOF fsync window, restored from an older
 * snapshot, flushed) is enqueued again from the payload stored on the row, under the same job id: BullMQ
 * ignores an add for an id it still holds, so several workers running this at once add it once, and the
 * processors are idempotent (a retry that finds the job finished only finishes its cleanup).
 */
export async function requeueLostJobs(ctx: ProcessorContext, options: { olderThanMs: number; batch?: number }): Promise<RequeueReport> {
  const report: RequeueReport = { checked: 0, requeued: 0, failed: 0 };
  const before = new Date(Date.now() - options.olderThanMs);
  for (const tenant of await ctx.repos.tenants.list()) {
    const rows = await ctx.repos.jobs.listUnfinished(tenant.id, before, options.batch ?? 500);
    for (const row of rows) {
      const name = row.name as JobName;
      const entry = JOB_CATALOG[name];
      if (!entry) continue;
      report.checked += 1;
      if (await ctx.queues[entry.queue].getJob(row.id)) continue;
      const stored = (row.input as Record<string, unknown> | null)?.[QUEUE_PAYLOAD_KEY];
      const payload = entry.payload.safeParse(stored);
      if (!payload.success) {
        await ctx.repos.jobs.fail(tenant.id, row.id, {
          code: 'job_failed',
          message: 'the job queue lost this job and it cannot be rebuilt; submit the request again',
        });
        report.failed += 1;
        continue;
      }
      await enqueue(ctx.queues, name, payload.data as never, { jobId: row.id });
      report.requeued += 1;
    }
  }
  if (report.requeued > 0 || report.failed > 0) ctx.log.warn({ ...report }, 'jobs lost by the queue were recovered');
  return report;
}
