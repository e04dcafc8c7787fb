/**
 * Biometric data never reaches logs or job payloads: runs the product as `npm start` runs it (embedded
 * process, LOG_LEVEL=debug, stdout captured) over a private redis-server, sends images through every kind
 * of route, then scans every log line and every value under Redis `bull:*` for image/audio bytes and
 * embedding-like float arrays.
 */
import { randomBytes } from 'node:crypto';
import { bullKeys } from './support/redis-scan.ts';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startRedisServer, type RedisServerHandle } from '@biogate/queue';
import { sampleMedia } from '@biogate/testing';
import { wav } from '@biogate/testing/hostile/index';
import { findLeak, fragmentsOf } from './support/leak-detectors.ts';
import { waitForJobs } from './support/job-polling.ts';
import { startProcess, type ManagedProcess } from './support/processes.ts';

const apiKey = `bg_${randomBytes(32).toString('base64url')}`;
let dir: string;
let redis: RedisServerHandle;
let proc: ManagedProcess;
let url: string;
const uploaded: Buffer[] = [];

const auth = { authorization: `Bearer ${apiKey}` };
const multipart = (files: Record<string, Buffer>, fields: Record<string, string> = {}) => {
  const form = new FormData();
  form.append('client_declaration_enduser_consent', 'true');
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const [k, v] of Object.entries(files)) {
    uploaded.push(v);
    form.append(k, new Blob([v]), `${k}.bin`);
  }
  return form;
};
const json = (value: Record<string, unknown>) => JSON.stringify(value);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'biogate-logscan-'));
  redis = await startRedisServer({ dataDir: join(dir, 'redis') });
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  proc = startProcess('embedded', 'apps/api/src/embedded.ts', {
    BIOGATE_DATA_DIR: join(dir, 'data'),
    REDIS_URL: redis.url,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'debug',
    INFERENCE_THREADS: '1',
    BIOGATE_API_KEY: apiKey,
  });
  await proc.waitForLog(/^worker ready$/, 180_000);
  for (let i = 0; i < 100; i++) {
    if ((await fetch(`${url}/health`).catch(() => undefined))?.status === 200) break;
    await new Promise((r) => setTimeout(r, 200));
  }
}, 240_000);

afterAll(async () => {
  await proc?.stop('SIGTERM');
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
}, 60_000);

describe('no biometric data in logs or job payloads', () => {
  it('the detectors catch what they look for (positive controls)', () => {
    const photo = randomBytes(3000);
    expect(findLeak(`{"msg":"x","body":"${photo.toString('base64')}"}`)).toBeDefined();
    expect(findLeak(`{"embedding":[${Array.from({ length: 512 }, () => (Math.random() - 0.5).toFixed(6)).join(',')}]}`)).toBeDefined();
    expect(findLeak(JSON.stringify({ data: photo.subarray(0, 64) }))).toBeDefined();
    expect(findLeak('x'.repeat(10) + photo.subarray(600, 900).toString('hex'), fragmentsOf(photo))).toBeDefined();
    expect(findLeak('{"level":30,"msg":"job completed","jobId":"3f1c2a9e-0b7d-4a57-9a43-0f1e2d3c4b5a","durationMs":812}')).toBeUndefined();
  });

  it('sends faces and voices through every kind of route, then finds none of it in logs or Redis', async () => {
    const media = sampleMedia();
    const [a, b] = await Promise.all([readFile(media.franck[0] ?? ''), readFile(media.franck[1] ?? '')]);
    const post = (path: string, body: FormData | string) =>
      fetch(url + path, { method: 'POST', body, headers: typeof body === 'string' ? { ...auth, 'content-type': 'application/json' } : auth });
    // Asynchronous, then waited on through the API: the worker's logs of every job are in the capture.
    const answers = [
      await post('/v1/face/detect?async=true', multipart({ image_file: a })),
      await post('/v1/enrollments?async=true', multipart({ image_file: a })),
      await post('/v1/face/compare?async=true', multipart({ image_file1: a, image_file2: b })),
      await post('/v1/voice/compare?async=true', multipart({ audio_file1: wav(64_000), audio_file2: wav(64_000) })),
      await post('/face_recognition/image?async=true', json({ image: a.toString('base64') })),
      await post('/face_recognition/registration?async=true', json({ document_number: '529.982.247-25', image: b.toString('base64') })),
      await post('/face_recognition/validation?async=true', json({ document_number: '52998224725', image: a.toString('base64') })),
      await post('/v1/face/detect', multipart({ image_file: a.subarray(0, a.length >> 1) })), // refused: corrupt
    ];
    uploaded.push(a, b);
    const bodies = (await Promise.all(answers.map((r) => r.json()))) as Array<{ job_id?: string }>;
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 202).length, JSON.stringify(statuses)).toBeGreaterThanOrEqual(6);
    const ids = bodies.flatMap((b) => (b.job_id ? [b.job_id] : []));
    const request = (path: string) => fetch(url + path, { headers: auth });
    const jobs = await waitForJobs(request, ids, { timeoutMs: 180_000 });

    const known = uploaded.flatMap(fragmentsOf);
    const logHits = proc.lines.map((line, i) => ({ i, leak: findLeak(line, known) })).filter((h) => h.leak);
    expect(proc.lines.length).toBeGreaterThan(20); // debug logs really were captured
    expect(logHits.map((h) => `line ${h.i}: ${h.leak}`)).toEqual([]);
    // Log records never carry the key (the embedded start banner on stdout is not a log record).
    expect(proc.lines.filter((l) => l.startsWith('{')).some((l) => l.includes(apiKey))).toBe(false);

    const client = new Redis(redis.url);
    try {
      const keys = await bullKeys(client);
      expect(keys.some((k) => /^bull:biogate-inference:[0-9a-f-]{36}$/.test(k))).toBe(true);
      const hits: string[] = [];
      let scanned = 0;
      for (const key of keys) {
        for (const value of await valuesOf(client, key)) {
          scanned++;
          const leak = findLeak(value, known);
          if (leak) hits.push(`${key}: ${leak}`);
        }
      }
      expect(hits).toEqual([]);
      // eslint-disable-next-line no-console
      console.log(`log scan: ${proc.lines.length} log lines, ${keys.length} bull:* keys, ${scanned} values; jobs ${jobs.map((j) => j.status).join(',')}`);
    } finally {
      client.disconnect();
    }
  }, 300_000);
});

async function valuesOf(client: Redis, key: string): Promise<string[]> {
  switch (await client.type(key)) {
    case 'string':
      return [(await client.get(key)) ?? ''];
    case 'hash':
      return Object.values(await client.hgetall(key));
    case 'list':
      return client.lrange(key, 0, -1);
    case 'set':
      return client.smembers(key);
    case 'zset':
      return client.zrange(key, '0', '-1');
    case 'stream':
      return (await client.xrange(key, '-', '+')).flatMap(([, fields]) => fields);
    default:
      return [];
  }
}
