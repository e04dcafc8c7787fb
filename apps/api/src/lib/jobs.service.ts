import { randomUUID } from 'node:crypto';
import type { QueueEvents } from 'bullmq';
import {
  BiogateError,
  JOB_CATALOG,
  type JobName,
  type JobPayload,
} from '@biogate/contracts';
import { isUniqueViolation, type Repositories, type JobRecord } from '@biogate/db';
import { enqueue, type Queues } from '@biogate/queue';
import type { Logger } from '@biogate/logger';


export interface SubmitRequest<N extends JobName> {
  tenantId: string;
  name: N;
  /** Builds the queue payload once the request id is known. */
  payload: (requestId: string) => JobPayload<N>;
  /** Recorded on the job row for status reads (ids and options only, never biometric data). */
  input: Record<string, unknown>;
  callbackUrl?: string | undefined;
  idempotencyKey?: string | undefined;
  /** Answer at once with 202 instead of waiting. */
  async: boolean;
}

export type SubmitOutcome =
  | { kind: 'finished'; job: JobRecord }
  | { kind: 'accepted'; job: JobRecord };

export interface JobServiceDeps {
  repos: Repositories;
  queues: Queues;
  /** Events of the inference queue, to wait on synchronous requests. */
  inferenceEvents: QueueEvents;
  syncTimeoutMs: number;
  /** Waiting jobs past which new work is refused with 503 + Retry-After instead of piling up in Redis. */
  maxWaiting: number;
  log: Logger;
}

/** How long a queue-depth reading is reused; keeps one Redis round trip off most requests. */
const DEPTH_TTL_MS = 250;

/**
 * The one path every route takes to run work: record the request, enqueue it with jobId = request id,
 * then either answer 202 or wait for the job to finish and read its stored result.
 */
export function createJobService(deps: JobServiceDeps) {
  const { repos, queues, inferenceEvents, syncTimeoutMs, maxWaiting, log } = deps;
  let depth = { value: 0, at: 0 };

  async function checkBackpressure(name: JobName): Promise<void> {
    const queue = queues[JOB_CATALOG[name].queue];
    if (Date.now() - depth.at > DEPTH_TTL_MS) {
      try {
        depth = { value: await queue.getWaitingCount(), at: Date.now() };
      } catch {
        throw new BiogateError('service_unavailable', 'the job queue is unavailable; retry shortly', { retryAfter: 2 });
      }
    }
    if (depth.value >= maxWaiting) {
      throw new BiogateError('queue_full', `too much work queued (${depth.value} jobs waiting); retry later`, {
        retryAfter: 5,
      });
    }
  }

  async function waitFor(job: JobRecord): Promise<JobRecord> {
    if (job.status === 'completed' || job.status === 'failed') return job;
    const queue = queues[JOB_CATALOG[job.name as JobName].queue];
    const handle = await queue.getJob(job.id);
    if (handle) {
      try {
        await handle.waitUntilFinished(inferenceEvents, syncTimeoutMs);
      } catch (err) {
        const message = (err as Error).message ?? '';
        if (/timed out|timeout/i.test(message)) {
          throw new BiogateError('timeout', `the job did not finish within ${syncTimeoutMs} ms; poll /v1/jobs/${job.id}`, {
            job_id: job.id,
            status_url: `/v1/jobs/${job.id}`,
          });
        }
        // A failed job: its stored error is read below.
      }
    }
    const fresh = await repos.jobs.get(job.tenantId, job.id);
    if (!fresh) throw new BiogateError('not_found', 'job not found');
    if (fresh.status !== 'completed' && fresh.status !== 'failed') {
      // Finished in Redis but the row is not written yet (or the job was removed): poll instead.
      throw new BiogateError('timeout', `the job is still ${fresh.status}; poll /v1/jobs/${job.id}`, {
        job_id: job.id,
        status_url: `/v1/jobs/${job.id}`,
      });
    }
    return fresh;
  }

  /** The answer for a job the request did not create itself (an Idempotency-Key replay). */
  async function answerWith(job: JobRecord, isAsync: boolean): Promise<SubmitOutcome> {
    return isAsync ? { kind: 'accepted', job } : { kind: 'finished', job: await waitFor(job) };
  }

  async function submit<N extends JobName>(req: SubmitRequest<N>): Promise<SubmitOutcome> {
    if (req.idempotencyKey) {
      const existing = await repos.jobs.findByIdempotencyKey(req.tenantId, req.idempotencyKey);
      if (existing) {
        if (existing.name !== req.name) {
          throw new BiogateError('idempotency_conflict', 'this Idempotency-Key was used for a different operation');
        }
        return answerWith(existing, req.async);
      }
    }
    await checkBackpressure(req.name);
    const id = randomUUID();
    const payload = req.payload(id);
    let job: JobRecord;
    try {
      job = await repos.jobs.create({
        id,
        tenantId: req.tenantId,
        name: req.name,
        input: req.input,
        callbackUrl: req.callbackUrl ?? null,
        idempotencyKey: req.idempotencyKey ?? null,
      });
    } catch (err) {
      // Two requests raced with one Idempotency-Key: the loser answers with the winner's job.
      const winner = req.idempotencyKey && isUniqueViolation(err)
        ? await repos.jobs.findByIdempotencyKey(req.tenantId, req.idempotencyKey)
        : null;
      if (!winner) throw err;
      return answerWith(winner, req.async);
    }
    try {
      await enqueue(queues, req.name, payload, { jobId: id });
    } catch (err) {
      log.warn({ jobId: id, err: (err as Error).message }, 'enqueue failed');
      await repos.jobs.fail(id, { code: 'service_unavailable', message: 'the queue was unavailable; the job was not run' });
      throw new BiogateError('service_unavailable', 'the job queue is unavailable; retry shortly', { retryAfter: 2 });
    }
    if (req.async) return { kind: 'accepted', job };
    return { kind: 'finished', job: await waitFor(job) };
  }

  return { submit, waitFor };
}

export type JobService = ReturnType<typeof createJobService>;
