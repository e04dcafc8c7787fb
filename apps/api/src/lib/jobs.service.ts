import { randomUUID } from 'node:crypto';
import type { QueueEvents } from 'bullmq';
import {
  BiogateError,
  JOB_CATALOG,
  QUEUE_PAYLOAD_KEY,
  type JobName,
  type JobPayload,
} from '@biogate/contracts';
import { createRepositories, isUniqueViolation, withTransaction, type Database, type JobRecord, type Repositories } from '@biogate/db';
import { enqueue, type Queues } from '@biogate/queue';
import type { Logger } from '@biogate/logger';
import type { BlobStore, StoredBlob } from '@biogate/storage';
import { deleteStoredBytes } from '@biogate/runtime';
import type { StagedBlob } from './media.ts';

export interface SubmitRequest<N extends JobName> {
  tenantId: string;
  /** The API key id that asked: recorded on the job row and as the actor of the audit events. */
  actor: string;
  name: N;
  /** Builds the queue payload once the request id is known. */
  payload: (requestId: string) => JobPayload<N>;
  /** Recorded on the job row for status reads (ids and options only, never biometric data). */
  input: Record<string, unknown>;
  callbackUrl?: string | undefined;
  idempotencyKey?: string | undefined;
  /** Answer at once with 202 instead of waiting. */
  async: boolean;
  /**
   * Uploads the job reads, stored only once the request passed the idempotency and backpressure checks, and
   * erased again when it is refused after all (a lost Idempotency-Key race, Redis gone at enqueue time).
   */
  uploads?: readonly StagedBlob[] | undefined;
}

export type SubmitOutcome =
  | { kind: 'finished'; job: JobRecord }
  | { kind: 'accepted'; job: JobRecord };

export interface JobServiceDeps {
  db: Database;
  repos: Repositories;
  blobs: BlobStore;
  queues: Queues;
  /** Events of the inference queue, to wait on synchronous requests. */
  inferenceEvents: QueueEvents;
  syncTimeoutMs: number;
  /** Waiting jobs past which new work is refused with 503 + Retry-After instead of piling up in Redis. */
  maxWaiting: number;
  log: Logger;
  /**
   * How long a queue-depth reading is reused; keeps one Redis round trip off most requests.
   * @defaultValue 250
   */
  depthTtlMs?: number;
}

/**
 * The one path every route takes to run work: record the request, enqueue it with jobId = request id,
 * then either answer 202 or wait for the job to finish and read its stored result.
 */
export function createJobService(deps: JobServiceDeps) {
  const { db, repos, blobs, queues, inferenceEvents, syncTimeoutMs, maxWaiting, log } = deps;
  const depthTtlMs = deps.depthTtlMs ?? 250;
  let depth = { value: 0, at: 0 };

  async function checkBackpressure(name: JobName): Promise<void> {
    const queue = queues[JOB_CATALOG[name].queue];
    if (Date.now() - depth.at > depthTtlMs) {
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

  /**
   * The answer for a job the request did not create itself (an Idempotency-Key replay, or the winner of a
   * race on one key): the first job's outcome, unless the key was used for another operation.
   */
  async function answerReplay(job: JobRecord, req: Pick<SubmitRequest<JobName>, 'name' | 'async'>): Promise<SubmitOutcome> {
    if (job.name !== req.name) {
      throw new BiogateError('idempotency_conflict', 'this Idempotency-Key was used for a different operation');
    }
    return req.async ? { kind: 'accepted', job } : { kind: 'finished', job: await waitFor(job) };
  }

  /** Writes the uploads' bytes; on a failure midway, deletes what was written and rethrows. */
  async function writeUploads(tenantId: string, uploads: readonly StagedBlob[]): Promise<StoredBlob[]> {
    const written: StoredBlob[] = [];
    try {
      for (const upload of uploads) written.push(await blobs.put(tenantId, upload.bytes));
    } catch (err) {
      await deleteStoredBytes(blobs, written).catch(() => undefined);
      throw err;
    }
    return written;
  }

  /** Takes back the uploads of a request refused after they were stored: bytes, then rows. */
  async function eraseUploads(tenantId: string, jobId: string, uploads: readonly StagedBlob[], stored: readonly StoredBlob[]) {
    try {
      await deleteStoredBytes(blobs, stored);
      await repos.blobs.deleteMany(tenantId, uploads.map((u) => u.id));
    } catch (err) {
      log.warn({ jobId, err: (err as Error).message }, 'could not erase the uploads of a refused request');
    }
  }

  async function submit<N extends JobName>(req: SubmitRequest<N>): Promise<SubmitOutcome> {
    if (req.idempotencyKey) {
      const existing = await repos.jobs.findByIdempotencyKey(req.tenantId, req.idempotencyKey);
      if (existing) return answerReplay(existing, req);
    }
    await checkBackpressure(req.name);
    const id = randomUUID();
    const payload = req.payload(id);
    const uploads = req.uploads ?? [];
    const stored = await writeUploads(req.tenantId, uploads);
    let job: JobRecord;
    try {
      // The blob rows, their audit events and the request row commit together: a refused insert leaves none.
      job = await withTransaction(db.prisma, async (tx) => {
        const txRepos = createRepositories(tx);
        for (const [i, upload] of uploads.entries()) {
          await txRepos.blobs.create(req.tenantId, {
            id: upload.id,
            kind: upload.kind,
            contentType: upload.contentType,
            byteSize: stored[i]!.byteSize,
            sha256: stored[i]!.sha256,
            storageKey: stored[i]!.storageKey,
            width: upload.width ?? null,
            height: upload.height ?? null,
            durationMs: upload.durationMs ?? null,
          });
        }
        await txRepos.audit.recordMany(
          req.tenantId,
          uploads.map((u) => ({ actor: req.actor, action: `${u.kind}.create`, resourceType: u.kind, resourceId: u.id, details: { jobId: id } })),
        );
        return txRepos.jobs.create({
          id,
          tenantId: req.tenantId,
          name: req.name,
          // The queue payload (ids and options only) rides along so a job Redis lost can be enqueued again.
          input: { ...req.input, [QUEUE_PAYLOAD_KEY]: payload },
          callbackUrl: req.callbackUrl ?? null,
          idempotencyKey: req.idempotencyKey ?? null,
          apiKeyId: req.actor,
        });
      });
    } catch (err) {
      await deleteStoredBytes(blobs, stored).catch(() => undefined);
      // Two requests raced with one Idempotency-Key: the loser answers with the winner's job.
      const winner = req.idempotencyKey && isUniqueViolation(err)
        ? await repos.jobs.findByIdempotencyKey(req.tenantId, req.idempotencyKey)
        : null;
      if (!winner) throw err;
      return answerReplay(winner, req);
    }
    try {
      await enqueue(queues, req.name, payload, { jobId: id });
    } catch (err) {
      log.warn({ jobId: id, err: (err as Error).message }, 'enqueue failed');
      await repos.jobs.fail(req.tenantId, id, { code: 'service_unavailable', message: 'the queue was unavailable; the job was not run' });
      await eraseUploads(req.tenantId, id, uploads, stored);
      throw new BiogateError('service_unavailable', 'the job queue is unavailable; retry shortly', { retryAfter: 2 });
    }
    if (req.async) return { kind: 'accepted', job };
    return { kind: 'finished', job: await waitFor(job) };
  }

  return { submit, waitFor };
}

export type JobService = ReturnType<typeof createJobService>;
