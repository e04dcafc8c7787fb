import { Redis, type RedisOptions } from 'ioredis';

/**
 * Connection presets. Workers block on Redis and must retry forever (`maxRetriesPerRequest: null`, as
 * BullMQ requires); producers in the API must fail fast when Redis is down so requests get a quick 503
 * instead of hanging (`enableOfflineQueue: false`).
 */
export type ConnectionRole = 'worker' | 'producer';

export function createRedisConnection(url: string, role: ConnectionRole): Redis {
  const common: RedisOptions = {
    lazyConnect: false,
    connectionName: `biogate-${role}`,
    // Reconnect with a capped backoff; ioredis keeps trying while the process lives.
    retryStrategy: (times) => Math.min(200 * times, 2_000),
  };
  const options: RedisOptions =
    role === 'worker'
      ? { ...common, maxRetriesPerRequest: null, enableReadyCheck: true }
      : { ...common, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 };
  const redis = new Redis(url, options);
  // Errors surface through the commands that fail; without a listener ioredis would print each one.
  redis.on('error', () => {});
  return redis;
}

/** Resolves when the connection is ready, rejects after `timeoutMs`. */
export async function waitForRedis(redis: Redis, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`redis not ready after ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    redis.on('ready', onReady);
  });
}
