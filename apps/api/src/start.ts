import type { FastifyInstance } from 'fastify';
import { QUEUES } from '@biogate/contracts';
import { createQueueEvents, createQueues } from '@biogate/queue';
import type { Infrastructure } from '@biogate/runtime';
import type { Logger } from '@biogate/logger';
import type { ApiEnv } from '@biogate/config';
import { buildApp } from './app.ts';

export interface ApiHandle {
  app: FastifyInstance;
  url: string;
  /** Stop accepting requests, let in-flight ones finish, close queue connections. */
  close(): Promise<void>;
}

/** Builds the app over open infrastructure and listens. */
export async function startApi(infra: Infrastructure, env: ApiEnv, logger: Logger): Promise<ApiHandle> {
  const producer = infra.newRedis('producer');
  const queues = createQueues(producer);
  const inferenceEvents = createQueueEvents(QUEUES.inference, infra.newRedis('worker'));
  const app = await buildApp({
    db: infra.db,
    repos: infra.repos,
    blobs: infra.blobs,
    queues,
    inferenceEvents,
    logger,
    syncTimeoutMs: env.SYNC_TIMEOUT_MS,
    maxImageBytes: env.MAX_IMAGE_BYTES,
    maxAudioBytes: env.MAX_AUDIO_BYTES,
    maxImagePixels: env.MAX_IMAGE_PIXELS,
    queueMaxWaiting: env.QUEUE_MAX_WAITING,
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    redis: producer,
    adminKey: env.BIOGATE_ADMIN_KEY,
  });
  await inferenceEvents.waitUntilReady().catch(() => undefined);
  const address = await app.listen({ port: env.PORT, host: env.HOST });
  const url = address.replace('0.0.0.0', '127.0.0.1').replace('[::]', '127.0.0.1');
  return {
    app,
    url,
    async close() {
      await app.close();
      await inferenceEvents.close();
      await Promise.all(Object.values(queues).map((q) => q.close()));
    },
  };
}
