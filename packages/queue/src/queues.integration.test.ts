import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '@biogate/contracts';
import { createQueueEvents, createQueueWorker, createQueues, enqueue } from './queues.ts';
import { createRedisConnection } from './connection.ts';
import { startRedisServer, type RedisServerHandle } from './redis-server.ts';

let dir: string;
let redis: RedisServerHandle;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bg-redis-'));
  redis = await startRedisServer({ dataDir: dir });
});
afterAll(async () => {
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('queue factories on a private redis-server', () => {
  it('refuses to start a worker whose handler map misses a job name of its queue', () => {
    const conn = createRedisConnection(redis.url, 'worker');
    expect(() =>
      createQueueWorker(QUEUES.inference, { 'face.detect': async () => null } as never, { connection: conn, concurrency: 1 }),
    ).toThrow(/no handler for face.compare/);
    conn.disconnect();
  });

  it('validates payloads before they reach Redis', async () => {
    const queues = createQueues(createRedisConnection(redis.url, 'producer'));
    await expect(
      enqueue(queues, 'webhook.deliver', { tenantId: 'nope', deliveryId: randomUUID() }, { jobId: randomUUID() }),
    ).rejects.toThrow();
    await Promise.all(Object.values(queues).map((q) => q.close()));
  });

  it('runs a catalogued job end to end through a typed worker', async () => {
    const producer = createRedisConnection(redis.url, 'producer');
    const queues = createQueues(producer);
    const events = createQueueEvents(QUEUES.webhooks, createRedisConnection(redis.url, 'worker'));
    await events.waitUntilReady();
    const seen: string[] = [];
    const worker = createQueueWorker(
      QUEUES.webhooks,
      { 'webhook.deliver': async (payload) => void seen.push(payload.deliveryId) },
      { connection: createRedisConnection(redis.url, 'worker'), concurrency: 1 },
    );
    const deliveryId = randomUUID();
    const job = await enqueue(queues, 'webhook.deliver', { tenantId: randomUUID(), deliveryId }, { jobId: deliveryId });
    await job.waitUntilFinished(events, 10_000);
    expect(seen).toEqual([deliveryId]);
    await worker.close();
    await events.close();
    await Promise.all(Object.values(queues).map((q) => q.close()));
  });
});
