import { Queue, QueueEvents, Worker, UnrecoverableError, type Job, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  JOB_CATALOG,
  jobsOfQueue,
  QUEUES,
  type JobName,
  type JobPayload,
  type QueueName,
} from '@biogate/contracts';

/**
 * Retry policy for every job: transient failures (DB or Redis blips, a killed worker) retry with an
 * exponential backoff; expected outcomes are results, and bad payloads throw UnrecoverableError.
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export type Queues = Record<QueueName, Queue>;

export function createQueues(connection: Redis): Queues {
  return {
    [QUEUES.inference]: new Queue(QUEUES.inference, { connection, defaultJobOptions: DEFAULT_JOB_OPTIONS }),
    [QUEUES.webhooks]: new Queue(QUEUES.webhooks, { connection, defaultJobOptions: DEFAULT_JOB_OPTIONS }),
    [QUEUES.maintenance]: new Queue(QUEUES.maintenance, { connection, defaultJobOptions: DEFAULT_JOB_OPTIONS }),
  } as Queues;
}

/** Enqueues a catalogued job; the payload is validated so nothing malformed ever reaches Redis. */
export async function enqueue<N extends JobName>(
  queues: Queues,
  name: N,
  payload: JobPayload<N>,
  options: JobsOptions & { jobId: string },
): Promise<Job> {
  const entry = JOB_CATALOG[name];
  const data = entry.payload.parse(payload);
  return queues[entry.queue].add(name, data, options);
}

export type JobHandler<N extends JobName> = (payload: JobPayload<N>, job: Job) => Promise<unknown>;
export type HandlerMap<Q extends QueueName> = {
  [N in JobName as (typeof JOB_CATALOG)[N]['queue'] extends Q ? N : never]: JobHandler<N>;
};

/**
 * Builds a BullMQ worker for one queue from a handler map. Every job name of the queue must have a
 * handler (checked now, at startup), and payloads are parsed before the handler sees them.
 */
export function createQueueWorker<Q extends QueueName>(
  queue: Q,
  handlers: HandlerMap<Q>,
  options: { connection: Redis; concurrency: number; lockDuration?: number },
): Worker {
  const table = handlers as Record<string, JobHandler<JobName> | undefined>;
  const missing = jobsOfQueue(queue).filter((name) => typeof table[name] !== 'function');
  if (missing.length > 0) throw new Error(`queue ${queue}: no handler for ${missing.join(', ')}`);

  return new Worker(
    queue,
    async (job) => {
      const name = job.name as JobName;
      const handler = table[name];
      if (!handler) throw new UnrecoverableError(`unknown job name ${job.name}`);
      const parsed = JOB_CATALOG[name].payload.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`invalid payload for ${job.name}`);
      return handler(parsed.data as never, job);
    },
    {
      connection: options.connection,
      concurrency: options.concurrency,
      // A killed worker's job becomes stalled after lockDuration and is retried by another worker.
      lockDuration: options.lockDuration ?? 30_000,
      stalledInterval: Math.min(options.lockDuration ?? 30_000, 30_000),
      maxStalledCount: 2,
    },
  );
}

export function createQueueEvents(queue: QueueName, connection: Redis): QueueEvents {
  return new QueueEvents(queue, { connection });
}

export { UnrecoverableError };
export type { Job, Worker, Queue, QueueEvents };
