/**
 * Fault tests on real processes: one API and two workers (`node --import tsx`), PostgreSQL from
 * TEST_DATABASE_URL (a fresh database, reached through a TCP proxy the test can cut), a private
 * redis-server with AOF (appendfsync everysec). Skipped without TEST_DATABASE_URL.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleMedia } from '@biogate/testing';
import { startCluster, type Cluster } from './support/cluster.ts';
import { waitForJobs, type JobView } from './support/job-polling.ts';
import { startWebhookReceiver } from './support/webhook-receiver.ts';

const DATABASE_URL = process.env.TEST_DATABASE_URL;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!DATABASE_URL)('faults (real processes; needs TEST_DATABASE_URL)', () => {
  let c: Cluster;
  let faces: Buffer[];

  beforeAll(async () => {
    faces = await Promise.all(sampleMedia().franck.map((p) => readFile(p)));
    c = await startCluster({
      databaseUrl: DATABASE_URL ?? '',
      workers: 2,
      env: { WEBHOOK_TIMEOUT_MS: '1500', BIOGATE_REQUEUE_INTERVAL_MS: '1000', BIOGATE_REQUEUE_AFTER_MS: '3000' },
    });
  }, 240_000);
  const figures: string[] = [];
  afterAll(async () => {
    // eslint-disable-next-line no-console
    console.log(`fault figures:\n  ${figures.join('\n  ')}`);
    await c?.close();
  }, 60_000);

  const form = (image: Buffer, fields: Record<string, string> = {}) => {
    const body = new FormData();
    body.append('client_declaration_enduser_consent', 'true');
    for (const [k, v] of Object.entries(fields)) body.append(k, v);
    body.append('image_file', new Blob([image], { type: 'image/jpeg' }), 'face.jpg');
    return body;
  };
  async function submit(path: string, image: Buffer, headers: Record<string, string> = {}): Promise<string> {
    const res = await c.request(path, { method: 'POST', body: form(image), headers });
    const body = (await res.json()) as { job_id?: string };
    expect(res.status, JSON.stringify(body)).toBe(202);
    return body.job_id ?? '';
  }
  const enroll = (i: number) => submit('/v1/enrollments?async=true', faces[i % faces.length] ?? Buffer.alloc(0));
  const enrollmentCount = async () => ((await (await c.request('/v1/enrollments')).json()) as { total_users: number }).total_users;
  const okResults = (jobs: JobView[]) => jobs.filter((j) => j.status === 'completed' && j.http_status === 200).length;
  async function jobHash(id: string): Promise<Record<string, string>> {
    const redis = new Redis(c.redis.url);
    try {
      return await redis.hgetall(`bull:biogate-inference:${id}`);
    } finally {
      redis.disconnect();
    }
  }

  it('a worker SIGKILLed mid-job: the job completes on the other worker, one enrollment per job', async () => {
    const before = await enrollmentCount();
    const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => enroll(i)));
    const redis = new Redis(c.redis.url);
    // Both workers busy (one job each, concurrency 1) means the victim holds a job when killed.
    for (let i = 0; i < 600 && (await redis.llen('bull:biogate-inference:active')) < 2; i++) await sleep(50);
    redis.disconnect();
    await c.workers[0]?.stop('SIGKILL');
    const jobs = await waitForJobs(c.request, ids, { timeoutMs: 150_000 });
    expect(jobs.map((j) => j.status)).toEqual(ids.map(() => 'completed'));
    expect(await enrollmentCount()).toBe(before + okResults(jobs));
    expect(okResults(jobs)).toBeGreaterThan(0);
    // Evidence the kill interrupted a job: it was started twice (BullMQ's attemptsStarted / stalled counter).
    const hashes = await Promise.all(ids.map(jobHash));
    const restarted = hashes.filter((h) => Number(h.ats ?? 0) >= 2 || Number(h.stc ?? 0) >= 1).length;
    expect(restarted).toBeGreaterThan(0);
    figures.push(`worker SIGKILL: ${jobs.length} jobs completed, ${restarted} restarted on the survivor, ${okResults(jobs)} enrollments = ${okResults(jobs)} 200 results`);
  }, 240_000);

  it('Redis killed with queued jobs: nothing accepted is lost, 503 fast while down, recovery without restart', async () => {
    await Promise.all(c.workers.map((w) => w.stop('SIGTERM')));
    const before = await enrollmentCount();
    const queued = await Promise.all(Array.from({ length: 4 }, (_, i) => enroll(i)));
    await sleep(1_500); // appendfsync everysec: an accepted job is on disk within ~1 s
    await c.redis.kill(); // SIGKILL: no clean shutdown, the AOF is all that survives
    const started = performance.now();
    const down = await c.request('/v1/enrollments?async=true', { method: 'POST', body: form(faces[0] ?? Buffer.alloc(0)) });
    const elapsed = performance.now() - started;
    const body = (await down.json()) as { code?: string };
    expect(down.status, JSON.stringify(body)).toBe(503);
    expect(body.code).toBe('service_unavailable');
    expect(down.headers.get('retry-after')).not.toBeNull();
    expect(elapsed).toBeLessThan(1_000);
    expect((await c.request('/health')).status).toBe(503);
    await c.restartRedis();
    const restartedAt = performance.now();
    let probe: Response | undefined;
    for (let i = 0; i < 60 && probe?.status !== 202; i++) {
      if (probe) await sleep(500);
      probe = await c.request('/v1/enrollments?async=true', { method: 'POST', body: form(faces[1] ?? Buffer.alloc(0)) });
    }
    expect(probe?.status).toBe(202);
    const recoveryMs = Math.round(performance.now() - restartedAt);
    const probeId = ((await probe?.json()) as { job_id: string }).job_id;
    await c.startWorker();
    const all = [...queued, probeId];
    const jobs = await waitForJobs(c.request, all, { timeoutMs: 120_000 });
    expect(jobs.map((j) => j.status)).toEqual(all.map(() => 'completed'));
    expect(await enrollmentCount()).toBe(before + okResults(jobs));
    figures.push(`redis SIGKILL: ${queued.length}/${queued.length} queued jobs survived via AOF; 503 in ${Math.round(elapsed)} ms while down; accepting again ${recoveryMs} ms after redis restarted`);
  }, 240_000);

  it('Redis killed at once and its data lost: every accepted job is rebuilt from the database and completes once', async () => {
    await Promise.all(c.workers.map((w) => w.stop('SIGTERM')));
    const before = await enrollmentCount();
    const accepted = await Promise.all(Array.from({ length: 4 }, (_, i) => enroll(i + 1)));
    await c.redis.kill(); // inside the AOF fsync window, and then the AOF itself is gone
    await c.restartRedis({ wipe: true });
    const redis = new Redis(c.redis.url);
    expect(await redis.exists(...accepted.map((id) => `bull:biogate-inference:${id}`))).toBe(0);
    redis.disconnect();
    const restartedAt = performance.now();
    await c.startWorker();
    const jobs = await waitForJobs(c.request, accepted, { timeoutMs: 120_000 });
    expect(jobs.map((j) => j.status)).toEqual(accepted.map(() => 'completed'));
    expect(okResults(jobs)).toBeGreaterThan(0);
    expect(await enrollmentCount()).toBe(before + okResults(jobs));
    figures.push(`redis data lost: ${accepted.length}/${accepted.length} accepted jobs rebuilt from PostgreSQL and completed ${Math.round(performance.now() - restartedAt)} ms after a worker started`);
  }, 240_000);

  it('PostgreSQL unreachable for 10 s: jobs retry with backoff and complete, no half-written rows', async () => {
    const before = await enrollmentCount();
    const ids = await Promise.all(Array.from({ length: 4 }, (_, i) => enroll(i + 2)));
    c.proxy.pause();
    await sleep(10_000);
    c.proxy.resume();
    const jobs = await waitForJobs(c.request, ids, { timeoutMs: 150_000 });
    expect(jobs.map((j) => j.status)).toEqual(ids.map(() => 'completed'));
    expect(jobs.some((j) => j.attempts >= 2)).toBe(true);
    expect(await enrollmentCount()).toBe(before + okResults(jobs));
    figures.push(`postgres cut 10 s: ${jobs.length}/${jobs.length} completed, attempts ${jobs.map((j) => j.attempts).join(',')}, enrollments +${okResults(jobs)}`);
  }, 240_000);

  describe('webhooks', () => {
    const detect = (callback: string) => submit(`/v1/face/detect?callback_url=${encodeURIComponent(callback)}`, faces[0] ?? Buffer.alloc(0));
    const delivered = (predicate: (d: NonNullable<JobView['webhook_deliveries']>[number]) => boolean) => (j: JobView) =>
      (j.webhook_deliveries ?? []).some(predicate);

    it('a 4xx answer is permanent: one attempt, then failed and visible on the job', async () => {
      const receiver = await startWebhookReceiver(() => 410);
      try {
        const id = await detect(receiver.url);
        const [job] = await waitForJobs(c.request, [id], { timeoutMs: 60_000, done: delivered((d) => d.status === 'failed') });
        expect(job?.webhook_deliveries?.[0]).toMatchObject({ status: 'failed', attempts: 1, last_status_code: 410 });
        expect(receiver.received).toHaveLength(1);
      } finally {
        await receiver.close();
      }
    }, 90_000);

    it('a 500 answer is retried on the published schedule, every attempt recorded', async () => {
      const receiver = await startWebhookReceiver(() => 500);
      try {
        const id = await detect(receiver.url);
        const [first] = await waitForJobs(c.request, [id], { timeoutMs: 60_000, done: delivered((d) => d.attempts >= 1) });
        const d1 = first?.webhook_deliveries?.[0];
        expect(d1).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 500 });
        const [second] = await waitForJobs(c.request, [id], { timeoutMs: 30_000, done: delivered((d) => d.attempts >= 2) });
        expect(second?.webhook_deliveries?.[0]).toMatchObject({ status: 'pending', attempts: 2, last_status_code: 500 });
        expect(receiver.received).toHaveLength(2);
      } finally {
        await receiver.close();
      }
    }, 90_000);

    it('a receiver that is down or too slow: the attempt is recorded with its error and retried', async () => {
      const slow = createServer((_req, res) => setTimeout(() => res.end(), 4_000));
      await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
      const closed = await startWebhookReceiver();
      await closed.close(); // its port now refuses connections
      try {
        const ids = [await detect(closed.url), await detect(`http://127.0.0.1:${(slow.address() as AddressInfo).port}/hook`)];
        const jobs = await waitForJobs(c.request, ids, { timeoutMs: 60_000, done: delivered((d) => d.attempts >= 1) });
        expect(jobs[0]?.webhook_deliveries?.[0]).toMatchObject({ status: 'pending', attempts: 1, last_status_code: null });
        expect(jobs[0]?.webhook_deliveries?.[0]?.last_error).toMatch(/network error/);
        expect(jobs[1]?.webhook_deliveries?.[0]?.last_error).toMatch(/timed out/);
      } finally {
        slow.closeAllConnections();
        await new Promise<void>((r) => slow.close(() => r()));
      }
    }, 90_000);
  });

  describe('Idempotency-Key', () => {
    it('a retried POST returns the first job, never a second one', async () => {
      const key = `idem-${Date.now()}`;
      const first = await submit('/v1/face/detect?async=true', faces[0] ?? Buffer.alloc(0), { 'idempotency-key': key });
      const again = await submit('/v1/face/detect?async=true', faces[1] ?? Buffer.alloc(0), { 'idempotency-key': key });
      expect(again).toBe(first);
      const [job] = await waitForJobs(c.request, [first], { timeoutMs: 60_000 });
      const sync = await c.request('/v1/face/detect', { method: 'POST', body: form(faces[0] ?? Buffer.alloc(0)), headers: { 'idempotency-key': key } });
      const body = (await sync.json()) as Record<string, unknown>;
      // The retried synchronous POST answers what the first job produced, result or error alike.
      if (job?.status === 'completed') {
        expect(sync.status).toBe(job.http_status);
        expect(body).toEqual(job.result);
      } else {
        expect({ code: body.code, job_id: body.job_id }).toEqual({ code: job?.error?.code, job_id: first });
      }
    }, 90_000);

    it('concurrent POSTs with one key make one job', async () => {
      const key = `idem-race-${Date.now()}`;
      const answers = await Promise.all(
        Array.from({ length: 4 }, () =>
          c.request('/v1/face/detect?async=true', { method: 'POST', body: form(faces[2] ?? Buffer.alloc(0)), headers: { 'idempotency-key': key } }),
        ),
      );
      const bodies = (await Promise.all(answers.map((a) => a.json()))) as Array<{ job_id?: string; code?: string }>;
      const statuses = answers.map((a) => a.status);
      expect(statuses.every((s) => s === 202 || s === 409), JSON.stringify(bodies)).toBe(true);
      const jobIds = new Set(bodies.filter((b) => b.job_id).map((b) => b.job_id));
      expect(jobIds.size).toBe(1);
    }, 90_000);
  });
  it('SIGTERM drains: the worker finishes its in-flight job, exits 0, and leaves the rest queued for others', async () => {
    const survivors = c.workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
    await Promise.all(survivors.slice(1).map((w) => w.stop('SIGTERM')));
    const victim = survivors[0] ?? (await c.startWorker('drain'));
    const ids = await Promise.all(Array.from({ length: 3 }, (_, i) => enroll(i)));
    const redis = new Redis(c.redis.url);
    for (let i = 0; i < 600 && (await redis.llen('bull:biogate-inference:active')) < 1; i++) await sleep(50);
    const stopped = victim.stop('SIGTERM');
    const code = await victim.exited;
    await stopped;
    // Nothing left active (no stalled job), and the job it held finished rather than failed.
    expect(await redis.llen('bull:biogate-inference:active')).toBe(0);
    redis.disconnect();
    expect(code).toBe(0);
    await c.startWorker('after-drain');
    const jobs = await waitForJobs(c.request, ids, { timeoutMs: 120_000 });
    expect(jobs.map((j) => j.status)).toEqual(ids.map(() => 'completed'));
    expect(jobs.every((j) => j.attempts === 1)).toBe(true);
    figures.push(`worker SIGTERM: exited ${code} after finishing its job; ${jobs.length}/${jobs.length} jobs completed, each in one attempt`);
  }, 240_000);
});
