import type { Job } from 'bullmq';
import { JOB_CATALOG, type MaintenanceRetentionPayload } from '@biogate/contracts';
import type { JobHandler, Queue } from '@biogate/queue';
import { jobFields } from '../lib/context.ts';
import { purgeAuditLog, purgeExpired, type RetentionContext } from '../lib/retention.ts';

/** One scheduler for the whole cluster: every worker upserts the same id, so BullMQ keeps one schedule. */
export const RETENTION_SCHEDULER_ID = 'retention-purge';

/**
 * maintenance.retention: erases biometric data older than the payload's `retentionDays` (see `purgeExpired`),
 * then deletes audit events older than its `auditRetentionDays` (see `purgeAuditLog`); a part whose days are 0
 * is skipped. Logs and returns counts only. A failure (database or disk) is retried with the queue's backoff;
 * both purges are idempotent, so a retry finishes what the failed run left.
 */
export function retentionPurgeProcessor(ctx: RetentionContext): JobHandler<'maintenance.retention'> {
  return async (payload, job: Job) => {
    const started = performance.now();
    const now = new Date();
    const { retentionDays, batchSize } = payload;
    const auditRetentionDays = payload.auditRetentionDays ?? 0;
    const biometric = retentionDays > 0 ? await purgeExpired(ctx, { retentionDays, batchSize, now }) : undefined;
    const audit = auditRetentionDays > 0 ? await purgeAuditLog(ctx, { retentionDays: auditRetentionDays, batchSize, now }) : undefined;
    const durationMs = Math.round(performance.now() - started);
    const result = {
      ...(biometric ? { cutoff: biometric.cutoff.toISOString(), tenants: biometric.tenants, ...biometric.counts } : {}),
      ...(audit ? { auditCutoff: audit.cutoff.toISOString(), tenants: audit.tenants, auditEvents: audit.events } : {}),
      durationMs,
    };
    ctx.log.info({ ...jobFields(job), retentionDays, auditRetentionDays, ...result }, 'retention purge done');
    return result;
  };
}

export interface RetentionSchedule {
  /** Days biometric data is kept; 0 = forever. */
  retentionDays: number;
  /** Days audit events are kept; 0 = forever. With both at 0 the schedule is removed. @defaultValue 0 */
  auditRetentionDays?: number;
  intervalMs: number;
  /** @defaultValue 500 */
  batchSize?: number;
}

/**
 * Upserts (either retention > 0) or removes (both 0) the cluster's retention schedule. Safe from every worker at once:
 * a job scheduler is keyed by its id, so N workers starting together still produce one job per interval, and
 * the job's data carries the retention the last worker started with. The maintenance queue runs one job at a
 * time across all workers (global concurrency 1), so a run longer than the interval is never overlapped by the
 * next one (which would erase nothing twice, but count and record some records twice).
 */
export async function scheduleRetention(queue: Queue, schedule: RetentionSchedule): Promise<'scheduled' | 'removed'> {
  await queue.setGlobalConcurrency(1);
  const auditRetentionDays = schedule.auditRetentionDays ?? 0;
  if (schedule.retentionDays <= 0 && auditRetentionDays <= 0) {
    await queue.removeJobScheduler(RETENTION_SCHEDULER_ID);
    return 'removed';
  }
  const data: MaintenanceRetentionPayload = JOB_CATALOG['maintenance.retention'].payload.parse({
    retentionDays: Math.max(0, schedule.retentionDays),
    auditRetentionDays: Math.max(0, auditRetentionDays),
    batchSize: schedule.batchSize ?? 500,
  });
  await queue.upsertJobScheduler(RETENTION_SCHEDULER_ID, { every: schedule.intervalMs }, {
    name: 'maintenance.retention',
    data,
    opts: { attempts: 3, backoff: { type: 'exponential', delay: 30_000 }, removeOnComplete: { count: 50 }, removeOnFail: { count: 50 } },
  });
  return 'scheduled';
}
