import type { FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import { BiogateError } from '@biogate/contracts';

export interface RateLimitOptions {
  /** Requests per key per window. */
  max: number;
  /** @defaultValue 60000 */
  windowMs: number;
  /** Shared counter store so every API process counts the same key; in-memory when omitted. */
  redis?: Redis;
}

/**
 * Per-API-key rate limit, counted in Redis across all API processes. Runs after authentication (preHandler)
 * so it keys on the API key id, never the key itself. A Redis outage does not block traffic through it.
 */
export async function registerRateLimit(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    max: options.max,
    timeWindow: options.windowMs,
    skipOnError: true,
    nameSpace: 'biogate-rl:',
    ...(options.redis ? { redis: options.redis } : {}),
    allowList: (request) => request.routeOptions.config?.public === true,
    keyGenerator: (request) => request.auth?.apiKeyId ?? request.ip,
    errorResponseBuilder: (_request, context) => {
      const err = new BiogateError('rate_limited', `rate limit of ${context.max} requests per ${context.after} exceeded`, {
        retryAfter: Math.ceil(context.ttl / 1000),
      });
      return err;
    },
  });
}
