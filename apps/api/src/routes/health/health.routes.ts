import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Queues } from '@biogate/queue';
import { QUEUES } from '@biogate/contracts';
import { checkDatabase, type Database } from '@biogate/db';

const within = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms))]);

/** The answer's shape; additionalProperties keeps the serializer from dropping a field added later. */
const HEALTH_BODY = {
  type: 'object',
  additionalProperties: true,
  required: ['status', 'checks'],
  properties: {
    status: { type: 'string', enum: ['ok', 'unavailable'] },
    checks: {
      type: 'object',
      additionalProperties: true,
      required: ['database', 'redis', 'workers'],
      properties: {
        database: { type: 'string', enum: ['ok', 'down'] },
        redis: { type: 'string', enum: ['ok', 'down'] },
        workers: { type: 'integer', description: 'inference workers connected to the queue' },
      },
    },
  },
} as const;

/** Public (no API key): documented with an empty security requirement. */
const HEALTH_SCHEMA = {
  summary: 'Readiness: database, Redis and at least one inference worker',
  tags: ['ops'],
  security: [],
  response: {
    200: { description: 'ready', ...HEALTH_BODY },
    503: { description: 'not ready; `checks` names what is down', ...HEALTH_BODY },
  },
};

/** GET /health: 200 only when the database, Redis and at least one inference worker are ready. */
export function healthRoutes(deps: { db: Database; queues: Queues; redis: Redis }) {
  return async function (app: FastifyInstance) {
    app.get('/health', { config: { public: true }, schema: HEALTH_SCHEMA }, async (_request, reply) => {
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
