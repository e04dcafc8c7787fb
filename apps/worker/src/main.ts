/**
 * Cluster-mode worker process: `npm run start:worker` with DATABASE_URL and REDIS_URL. Any number of these
 * on any number of machines consume the same queues.
 */
import { createLogger } from '@biogate/logger';
import { onShutdown, openInfrastructure } from '@biogate/runtime';
import { loadWorkerEnv } from './env.ts';
import { startWorker } from './worker.ts';

const env = loadWorkerEnv();
const logger = createLogger({ name: 'worker', level: env.LOG_LEVEL });
const infra = await openInfrastructure(env, logger);
const worker = await startWorker(infra, env, logger);

onShutdown(logger, async () => {
  // Order: stop taking jobs and drain, close the pool, then DB and Redis.
  await worker.close();
  await infra.close();
});
