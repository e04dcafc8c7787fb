import { Redis } from 'ioredis';
import type { Stack } from './stack.ts';
import { findLeak } from './leak-detectors.ts';

/** Every BullMQ key (`bull:*`) in a Redis, by SCAN. */
export async function bullKeys(client: Redis): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', 'bull:*', 'COUNT', 500);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

/** Scans every `bull:*` value in the stack's Redis for biometric data; returns `key: what` per hit. */
export async function scanRedisForLeaks(stack: Stack, known: readonly string[]): Promise<{ keys: number; hits: string[] }> {
  const client = new Redis(stack.infra.redisUrl, { maxRetriesPerRequest: 1 });
  try {
    const keys = await bullKeys(client);
    const hits: string[] = [];
    for (const key of keys) {
      const type = await client.type(key);
      const values =
        type === 'string' ? [(await client.get(key)) ?? '']
        : type === 'hash' ? Object.values(await client.hgetall(key))
        : type === 'list' ? await client.lrange(key, 0, -1)
        : type === 'zset' ? await client.zrange(key, '0', '-1')
        : type === 'set' ? await client.smembers(key)
        : type === 'stream' ? (await client.xrange(key, '-', '+')).map((entry) => JSON.stringify(entry))
        : [];
      for (const value of values) {
        const leak = findLeak(value, known);
        if (leak) hits.push(`${key}: ${leak}`);
      }
    }
    return { keys: keys.length, hits };
  } finally {
    client.disconnect();
  }
}
