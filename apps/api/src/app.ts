import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import type { QueueEvents } from 'bullmq';
import type { Database, Repositories } from '@biogate/db';
import type { Queues } from '@biogate/queue';
import type { BlobStore } from '@biogate/storage';
import type { Logger } from '@biogate/logger';
import { registerAuth } from './plugins/auth.ts';
import { registerErrorHandler } from './plugins/errors.ts';
import { registerRateLimit } from './plugins/rate-limit.ts';
import { registerOpenApi } from './plugins/openapi.ts';
import type { Redis } from 'ioredis';
import { createJobService } from './lib/jobs.service.ts';
import type { RouteDeps } from './lib/route-deps.ts';
import { healthRoutes } from './routes/health/health.routes.ts';
import { faceDetectRoutes } from './routes/v1/face-detect.routes.ts';
import { jobsRoutes } from './routes/v1/jobs.routes.ts';
import { faceCompareRoutes } from './routes/v1/face-compare.routes.ts';
import { enrollmentsRoutes } from './routes/v1/enrollments.routes.ts';
import { voiceCompareRoutes } from './routes/v1/voice-compare.routes.ts';
import { webhooksRoutes } from './routes/v1/webhooks.routes.ts';
import { auditRoutes } from './routes/v1/audit.routes.ts';
import { faceRecognitionRoutes } from './routes/face-recognition/index.ts';
import { qualityRoutes } from './routes/quality/index.ts';
import { livenessRoutes } from './routes/liveness/index.ts';
import { adminRoutes } from './routes/admin/admin.routes.ts';

export interface AppOptions {
  db: Database;
  repos: Repositories;
  blobs: BlobStore;
  queues: Queues;
  inferenceEvents: QueueEvents;
  logger: Logger;
  syncTimeoutMs: number;
  maxImageBytes: number;
  maxAudioBytes: number;
  maxImagePixels: number;
  queueMaxWaiting: number;
  /** Requests per API key per minute. */
  rateLimitPerMinute: number;
  /** Admin API key; /admin is disabled without it. */
  adminKey?: string | undefined;
  /** The producer Redis connection: rate-limit counters and the health check. */
  redis: Redis;
}

/** Room for base64 (4/3) plus JSON overhead around the largest accepted image. */
const jsonBodyLimit = (maxImageBytes: number) => Math.ceil(maxImageBytes * 1.4) + 64 * 1024;

/** The HTTP app: plugins, then routes, then the error handler. Testable with `app.inject`. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; typing it as such keeps the app's type the default instance.
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: jsonBodyLimit(options.maxImageBytes),
    genReqId: () => crypto.randomUUID(),
  });
  registerErrorHandler(app);
  await app.register(multipart, {
    limits: {
      fileSize: Math.max(options.maxImageBytes, options.maxAudioBytes) + 1,
      files: 4,
      fields: 32,
      fieldSize: jsonBodyLimit(options.maxImageBytes),
      parts: 40,
      headerPairs: 200,
    },
  });
  await registerOpenApi(app);
  registerAuth(app, options.repos);
  await registerRateLimit(app, {
    max: options.rateLimitPerMinute,
    windowMs: 60_000,
    redis: options.redis,
  });

  // Each request's staged uploads (lib/media.ts); set per request, never shared.
  app.decorateRequest('uploads', null);
  const deps: RouteDeps = {
    db: options.db,
    repos: options.repos,
    blobs: options.blobs,
    queues: options.queues,
    jobs: createJobService({
      db: options.db,
      repos: options.repos,
      blobs: options.blobs,
      queues: options.queues,
      inferenceEvents: options.inferenceEvents,
      syncTimeoutMs: options.syncTimeoutMs,
      maxWaiting: options.queueMaxWaiting,
      log: options.logger,
    }),
    limits: {
      maxImageBytes: options.maxImageBytes,
      maxImagePixels: options.maxImagePixels,
      maxAudioBytes: options.maxAudioBytes,
    },
  };
  await app.register(healthRoutes({ db: options.db, queues: options.queues, redis: options.redis }));
  await app.register(faceDetectRoutes(deps));
  await app.register(jobsRoutes(deps));
  await app.register(faceCompareRoutes(deps));
  await app.register(enrollmentsRoutes(deps));
  await app.register(voiceCompareRoutes(deps));
  await app.register(webhooksRoutes(deps));
  await app.register(faceRecognitionRoutes(deps));
  await app.register(qualityRoutes(deps));
  await app.register(livenessRoutes(deps));
  await app.register(auditRoutes(deps));
  await app.register(adminRoutes({ repos: options.repos, adminKey: options.adminKey }));
  return app;
}
