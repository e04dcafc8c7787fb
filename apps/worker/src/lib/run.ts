import type { Job } from 'bullmq';
import { BiogateError } from '@biogate/contracts';
import { UnrecoverableError, type JobHandler } from '@biogate/queue';
import type { JobName, JobPayload } from '@biogate/contracts';
import { beginJob, finishJob, type JobResult } from './finish.ts';
import { jobFields, type ProcessorContext } from './context.ts';

/**
 * Wraps a processor body with the job lifecycle: skip if already finished (idempotent retries), mark
 * active, persist the result and webhook row in one transaction. A BiogateError thrown by the body is a
 * permanent outcome (stored as the job's error, no retry); anything else is retried by BullMQ.
 */
export function processor<N extends JobName>(
  ctx: ProcessorContext,
  body: (payload: JobPayload<N> & { tenantId: string }, job: Job) => Promise<JobResult>,
): JobHandler<N> {
  return async (payload, job) => {
    const tenantId = (payload as { tenantId: string }).tenantId;
    const row = await beginJob(ctx, job, tenantId);
    if (!row) return { alreadyFinished: true };
    const started = performance.now();
    let result: JobResult;
    try {
      result = await body(payload as JobPayload<N> & { tenantId: string }, job);
    } catch (err) {
      if (err instanceof BiogateError) {
        await finishJob(ctx, job, tenantId, { error: { code: err.code, message: err.message } }, row);
        throw new UnrecoverableError(err.message);
      }
      throw err;
    }
    await finishJob(ctx, job, tenantId, { result }, row);
    ctx.log.info({ ...jobFields(job), durationMs: Math.round(performance.now() - started), status: result.status }, 'job completed');
    return { status: result.status };
  };
}
