import type { Job } from 'bullmq';
import type { Repositories, Database } from '@biogate/db';
import type { BlobStore } from '@biogate/storage';
import type { Logger } from '@biogate/logger';
import type { Queues } from '@biogate/queue';
import type { InferencePool } from '@biogate/inference';

/** Everything a processor may touch; built once per worker process. */
export interface ProcessorContext {
  db: Database;
  repos: Repositories;
  blobs: BlobStore;
  queues: Queues;
  pool: InferencePool;
  log: Logger;
  webhookTimeoutMs: number;
  /** Delays between webhook attempts; the published default when undefined. */
  webhookRetryScheduleMs?: readonly number[] | undefined;
}

/** Log fields for one job, never its payload. */
export const jobFields = (job: Job) => ({
  jobId: job.id,
  jobName: job.name,
  queue: job.queueName,
  attempt: job.attemptsMade + 1,
});
