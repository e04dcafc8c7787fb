import { availableParallelism } from 'node:os';
import type { Worker } from 'bullmq';
import { QUEUES, BiogateError } from '@biogate/contracts';
import { createQueueWorker, createQueues, UnrecoverableError } from '@biogate/queue';
import { createInferencePool, verifyModels, type InferencePool } from '@biogate/inference';
import type { Infrastructure } from '@biogate/runtime';
import type { Logger } from '@biogate/logger';
import type { WorkerEnv } from '@biogate/config';
import type { ProcessorContext } from './lib/context.ts';
import { jobFields } from './lib/context.ts';
import { finishJob } from './lib/finish.ts';
import { startLoop } from './lib/loop.ts';
import { requeueLostJobs } from './lib/requeue.ts';
import { sweepOrphanFiles } from './lib/orphan-sweep.ts';
import { inferenceHandlers } from './processors/index.ts';
import { webhookDeliverProcessor } from './processors/webhook-deliver.processor.ts';
import { retentionPurgeProcessor, scheduleRetention } from './processors/retention-purge.processor.ts';

export interface WorkerHandle {
  pool: InferencePool;
  threads: number;
  /** Stop taking jobs, finish in-flight ones, then close the pool (DB and Redis belong to the caller). */
  close(): Promise<void>;
}

/** Starts the inference and webhook consumers over open infrastructure. */
export async function startWorker(infra: Infrastructure, env: WorkerEnv, logger: Logger): Promise<WorkerHandle> {
  await verifyModels(env.BIOGATE_MODELS_DIR);
  const threads = env.INFERENCE_THREADS ?? Math.max(1, availableParallelism());
  const pool = createInferencePool({
    threads,
    device: env.INFERENCE_DEVICE,
    modelsDir: env.BIOGATE_MODELS_DIR,
    onWarning: (message) => logger.warn(message),
  });
  // Load and prime every model in every thread now, so the first jobs do not pay for it.
  await pool.warmup();
  const queues = createQueues(infra.newRedis('producer'));
  const ctx: ProcessorContext = {
    db: infra.db,
    repos: infra.repos,
    blobs: infra.blobs,
    queues,
    pool,
    log: logger,
    webhookTimeoutMs: env.WEBHOOK_TIMEOUT_MS,
    webhookRetryScheduleMs: env.WEBHOOK_RETRY_SCHEDULE_MS,
  };

  const workers: Worker[] = [
    // Inference concurrency = pool size: more would only queue inside piscina and hold Redis locks.
    createQueueWorker(QUEUES.inference, inferenceHandlers(ctx), { connection: infra.newRedis('worker'), concurrency: threads }),
    createQueueWorker(QUEUES.webhooks, { 'webhook.deliver': webhookDeliverProcessor(ctx) }, {
      connection: infra.newRedis('worker'),
      concurrency: env.WEBHOOK_CONCURRENCY,
    }),
    // One housekeeping job at a time per worker; the job scheduler produces one job per interval cluster-wide.
    createQueueWorker(QUEUES.maintenance, { 'maintenance.retention': retentionPurgeProcessor(ctx) }, {
      connection: infra.newRedis('worker'),
      concurrency: 1,
    }),
  ];
  for (const worker of workers) {
    worker.on('error', (err) => logger.error({ err: err.message, queue: worker.name }, 'worker error'));
    worker.on('failed', (job, err) => {
      if (!job) return;
      const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      logger.warn({ ...jobFields(job), final, err: err.message }, 'job failed');
      if (!final || worker.name !== QUEUES.inference) return;
      const code = err instanceof BiogateError ? err.code : 'job_failed';
      const tenantId = (job.data as { tenantId?: string }).tenantId;
      if (!tenantId) return;
      finishJob(ctx, job, tenantId, { error: { code, message: err.message } }).catch((e: unknown) =>
        logger.error({ ...jobFields(job), err: (e as Error).message }, 'could not record job failure'),
      );
    });
  }
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  const retention = await scheduleRetention(queues[QUEUES.maintenance], {
    retentionDays: env.BIOGATE_RETENTION_DAYS,
    auditRetentionDays: env.BIOGATE_AUDIT_RETENTION_DAYS,
    intervalMs: env.BIOGATE_RETENTION_INTERVAL_MS,
  });
  logger.info({ retentionDays: env.BIOGATE_RETENTION_DAYS, auditRetentionDays: env.BIOGATE_AUDIT_RETENTION_DAYS, retention }, 'retention schedule');
  const stopLoops = [
    startLoop(ctx, 'requeue check', env.BIOGATE_REQUEUE_INTERVAL_MS, () =>
      requeueLostJobs(ctx, { olderThanMs: env.BIOGATE_REQUEUE_AFTER_MS }),
    ),
    startLoop(ctx, 'orphan file sweep', env.BIOGATE_ORPHAN_SWEEP_INTERVAL_MS, () =>
      sweepOrphanFiles(ctx, { olderThanMs: env.BIOGATE_ORPHAN_SWEEP_AFTER_MS }),
    ),
  ];
  logger.info({ threads, device: env.INFERENCE_DEVICE }, 'worker ready');

  return {
    pool,
    threads,
    async close() {
      await Promise.all(stopLoops.map((stop) => stop()));
      // Worker.close() waits for active jobs to finish; nothing new is taken meanwhile.
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(Object.values(queues).map((q) => q.close()));
      await pool.close();
    },
  };
}
