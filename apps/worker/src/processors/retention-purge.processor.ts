import type { Job } from 'bullmq';
import { JOB_CATALOG, type MaintenanceRetentionPayload } from '@biogate/contracts';
import type { JobHandler, Queue } from '@biogate/queue';
import { jobFields } from '../lib/context.ts';
import { purgeExpired, type RetentionContext } from '../lib/retention.ts';

/** One scheduler for the whole cluster: every worker upserts the same id, so BullMQ keeps one schedule. */
export const RETENTION_SCHEDULER_ID = 'retention-purge';

/**
 * maintenance.retention: erases biometric data older than the payload's `retentionDays` (see
 * `purgeExpired`). Logs and returns counts only. A failure (database or disk) is retried with the queue's
 * backoff; the purge is idempotent, so a retry finishes what the failed run left.
 */
export function retentionPurgeProcessor(ctx: RetentionContext): JobHandler<'maintenance.retention'> {
  return async (payload, job: Job) => {
    const started = performance.now();
    const { cutoff, tenants, counts } = await purgeExpired(ctx, { retentionDays: payload.retentionDays, batchSize: payload.batchSize });
    const durationMs = Math.round(performance.now() - started);
    ctx.log.info({ ...jobFields(job), retentionDays: payload.retentionDays, tenants, ...counts, durationMs }, 'retention purge done');
    return { cutoff: cutoff.toISOString(), tenants, ...counts, durationMs };
  };
}

export interface RetentionSchedule {
  /** 0 = keep forever: the schedule is removed. */
  retentionDays: number;
  intervalMs: number;
  /** @defaultValue 500 */
  batchSize?: number;
}

/**
 * Upserts (retentionDays > 0) or removes (0) the cluster's retention schedule. Safe from every worker at once:
 * a job scheduler is keyed by its id, so N workers starting together still produce one job per interval, and
 * the job's data carries the retention the last worker started with. The maintenance queue runs one job at a
 * time across all workers (global concurrency 1), so a run longer than the interval is never overlapped by the
 * next one (which would erase nothing twice, but count and record some records twice).
 */
export async function scheduleRetention(queue: Queue, schedule: RetentionSchedule): Promise<'scheduled' | 'removed'> {
  await queue.setGlobalConcurrency(1);
  if (schedule.retentionDays <= 0) {
    await queue.removeJobScheduler(RETENTION_SCHEDULER_ID);
    return 'removed';
  }
  const data: MaintenanceRetentionPayload = JOB_CATALOG['maintenance.retention'].payload.parse({
    retentionDays: schedule.retentionDays,
    batchSize: schedule.batchSize ?? 500,
  });
  await queue.upsertJobScheduler(RETENTION_SCHEDULER_ID, { every: schedule.intervalMs }, {
    name: 'maintenance.retention',
    data,
    opts: { attempts: 3, backoff: { type: 'exponential', delay: 30_000 }, removeOnComplete: { count: 50 }, removeOnFail: { count: 50 } },
  });
  return 'scheduled';
}
