import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Queues } from '@biogate/queue';
import { QUEUES } from '@biogate/contracts';
import { checkDatabase, type Database } from '@biogate/db';

const within = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms))]);

/** GET /health: 200 only when the database, Redis and at least one inference worker are ready. */
export function healthRoutes(deps: { db: Database; queues: Queues; redis: Redis }) {
  return async function (app: FastifyInstance) {
    app.get('/health', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
      const [database, redis, workers] = await Promise.allSettled([
        within(checkDatabase(deps.db), 2_000),
        within(deps.redis.ping(), 2_000),
        within(deps.queues[QUEUES.inference].getWorkersCount(), 2_000),
      ]);
      const checks = {
        database: database.status === 'fulfilled' ? 'ok' : 'down',
        redis: redis.status === 'fulfilled' ? 'ok' : 'down',
        workers: workers.status === 'fulfilled' ? workers.value : 0,
      };
      const ok = checks.database === 'ok' && checks.redis === 'ok' && checks.workers > 0;
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks });
    });
  };
}
