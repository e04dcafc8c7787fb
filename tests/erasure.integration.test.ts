import { randomUUID } from 'node:crypto';
import { access, mkdtemp, readdir, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BiogateError, QUEUES } from '@biogate/contracts';
import { createLogger } from '@biogate/logger';
import { createQueueEvents, createQueues, createRedisConnection, startRedisServer, waitForRedis } from '@biogate/queue';
import { sampleMedia } from '@biogate/testing';
import { buildApp } from '../apps/api/src/app.ts';
import { createJobService } from '../apps/api/src/lib/jobs.service.ts';
import type { StagedBlob } from '../apps/api/src/lib/media.ts';
import { hashApiKey } from '../apps/api/src/plugins/auth.ts';
import { startStack, type Stack } from './support/stack.ts';
import { DATABASE_VARIANTS, startVariantStack } from './support/seed-photos.ts';
import { startTcpProxy } from './support/tcp-proxy.ts';

/**
 * Deleting an image, a registration or an enrollment erases its bytes on disk, its crops and its embedding
 * (read back from the blob directory and the database), and only those; a refused request leaves no file
 * behind (idempotent replay, conflict, a bad second file, queue full, Redis down, Redis lost at enqueue).
 */
const media = sampleMedia();
const audrey = readFileSync(media.photos['audrey.jpg']);
const bieber = readFileSync(media.photos['bieber_small.jpg']);
const CPF = '529.982.247-25';
type Json = Record<string, any>;

const exists = (path: string) => access(path).then(() => true, () => false);

describe.each(DATABASE_VARIANTS)('erasure and orphan blobs on $name', ({ postgres }) => {
  const skip = postgres && !process.env.TEST_DATABASE_URL;
  let stack: Stack;
  let drop: (() => Promise<void>) | undefined;
  let tenantA: string;
  let tenantB: string;
  let keyB: string;

  beforeAll(async () => {
    if (skip) return;
    ({ stack, drop } = await startVariantStack(postgres, startStack, {}));
    tenantA = (await stack.infra.repos.tenants.findByApiKeyHash(hashApiKey(stack.apiKey)))!.tenant.id;
    const b = await stack.infra.repos.tenants.create({ name: `b-${randomUUID()}` });
    tenantB = b.tenant.id;
    keyB = b.apiKeyPlaintext!;
  });
  afterAll(async () => {
    await stack?.close();
    await drop?.();
  });

  const blobDir = () => join(stack.env.BIOGATE_DATA_DIR, 'blobs');
  const fileOf = (row: { storageKey: string }) => join(blobDir(), row.storageKey);
  /** Files a tenant has on disk (temp files of writes in progress aside). */
  const filesOf = async (tenantId: string) =>
    (await readdir(join(blobDir(), tenantId)).catch(() => [] as string[])).filter((f) => !f.startsWith('.tmp-')).sort();

  async function json(method: string, path: string, body?: Json, key?: string, headers: Record<string, string> = {}) {
    const res = await stack.request(path, {
      method,
      ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } } : { headers }),
      ...(key ? { key } : {}),
    });
    return { status: res.status, body: (await res.json()) as Json };
  }
  const upload = async (key?: string) => {
    const res = await json('POST', '/face_recognition/image', { image: audrey.toString('base64') }, key);
    expect(res.status).toBe(200);
    return res.body.image_key as string;
  };
  const register = async (body: Json, key?: string) => {
    const res = await json('POST', '/face_recognition/registration', { document_number: CPF, ...body }, key);
    expect(res.status).toBe(200);
    return res.body.registration_key as string;
  };
  const blobRow = async (tenantId: string, id: string) => stack.infra.repos.blobs.get(tenantId, id);

  it.skipIf(skip)('DELETE /face_recognition/image/{image_key} erases the bytes, the crop and the registrations made from it, and nothing else', async () => {
    const key = await upload();
    const registrationKey = await register({ image_key: key });
    const kept = await upload();
    const theirs = await upload(keyB);
    const image = (await blobRow(tenantA, key))!;
    const crop = (await stack.infra.repos.blobs.findCropOf(tenantA, key))!;
    expect(crop).not.toBeNull();
    for (const row of [image, crop]) expect(await exists(fileOf(row))).toBe(true);

    expect((await json('DELETE', `/face_recognition/image/${key}`, undefined, keyB)).status).toBe(404);
    expect((await json('DELETE', `/face_recognition/image/${theirs}`)).status).toBe(404);
    expect(await exists(fileOf(image))).toBe(true);

    const deleted = await json('DELETE', `/face_recognition/image/${key}`);
    expect(deleted).toEqual({ status: 200, body: { image_key: key, deleted: true, erased: { crops: 1, registrations: 1, enrollments: 0 } } });
    for (const row of [image, crop]) {
      expect(await exists(fileOf(row))).toBe(false);
      expect(await blobRow(tenantA, row.id)).toBeNull();
    }
    expect(await stack.infra.repos.registrations.get(tenantA, registrationKey)).toBeNull();
    const embeddings = await stack.infra.db.prisma.registration.count({ where: { id: registrationKey } });
    expect(embeddings).toBe(0);
    expect((await stack.request(`/face_recognition/image/${key}/file`)).status).toBe(404);
    expect((await stack.request(`/face_recognition/registration/${registrationKey}`)).status).toBe(404);
    expect((await json('DELETE', `/face_recognition/image/${key}`)).status).toBe(404);
    expect((await json('DELETE', '/face_recognition/image/not-a-key')).status).toBe(404);

    expect(await exists(fileOf((await blobRow(tenantA, kept))!))).toBe(true);
    expect(await exists(fileOf((await blobRow(tenantB, theirs))!))).toBe(true);
  });

  it.skipIf(skip)('DELETE /face_recognition/registration/{registration_key} erases its embedding and its image, unless another registration uses the image', async () => {
    const inline = await register({ image: audrey.toString('base64') });
    const reg = (await stack.infra.repos.registrations.get(tenantA, inline))!;
    const image = (await blobRow(tenantA, reg.imageBlobId))!;
    const crop = (await stack.infra.repos.blobs.findCropOf(tenantA, image.id))!;
    for (const row of [image, crop]) expect(await exists(fileOf(row))).toBe(true);
    expect((await json('DELETE', `/face_recognition/registration/${inline}`, undefined, keyB)).status).toBe(404);
    expect(await stack.infra.repos.registrations.get(tenantA, inline)).not.toBeNull();

    expect(await json('DELETE', `/face_recognition/registration/${inline}`)).toEqual({
      status: 200,
      body: { registration_key: inline, deleted: true, erased: { blobs: 2 } },
    });
    expect(await stack.infra.repos.registrations.get(tenantA, inline)).toBeNull();
    for (const row of [image, crop]) {
      expect(await exists(fileOf(row))).toBe(false);
      expect(await blobRow(tenantA, row.id)).toBeNull();
    }

    // One image, two registrations: the first deletion keeps the image for the second.
    const shared = await upload();
    const first = await register({ image_key: shared });
    const second = await register({ image_key: shared });
    const sharedRow = (await blobRow(tenantA, shared))!;
    expect((await json('DELETE', `/face_recognition/registration/${first}`)).body.erased).toEqual({ blobs: 0 });
    expect(await exists(fileOf(sharedRow))).toBe(true);
    expect(await stack.infra.repos.registrations.get(tenantA, second)).not.toBeNull();
    expect((await json('DELETE', `/face_recognition/registration/${second}`)).body.erased).toEqual({ blobs: 2 });
    expect(await exists(fileOf(sharedRow))).toBe(false);
    expect((await json('DELETE', `/face_recognition/registration/${second}`)).status).toBe(404);
  });

  it.skipIf(skip)('DELETE /v1/enrollments/{user_token} erases the embedding and the image bytes; another tenant cannot', async () => {
    const enroll = async (key?: string) => {
      const fd = new FormData();
      fd.append('client_declaration_enduser_consent', 'true');
      fd.append('image_file', new Blob([new Uint8Array(audrey)], { type: 'image/jpeg' }), 'a.jpg');
      const res = await stack.request('/v1/enrollments', { method: 'POST', body: fd, ...(key ? { key } : {}) });
      expect(res.status).toBe(200);
      return ((await res.json()) as Json).user_token as string;
    };
    const token = await enroll();
    const theirs = await enroll(keyB);
    const enrollment = (await stack.infra.repos.enrollments.get(tenantA, token))!;
    const image = (await blobRow(tenantA, enrollment.imageBlobId!))!;
    expect(await exists(fileOf(image))).toBe(true);
    expect((await json('DELETE', `/v1/enrollments/${token}`, undefined, keyB)).status).toBe(404);

    expect((await json('DELETE', `/v1/enrollments/${token}`)).status).toBe(200);
    expect(await stack.infra.repos.enrollments.get(tenantA, token)).toBeNull();
    expect(await stack.infra.db.prisma.enrollment.count({ where: { id: token } })).toBe(0);
    expect(await exists(fileOf(image))).toBe(false);
    expect(await blobRow(tenantA, image.id)).toBeNull();
    const other = (await stack.infra.repos.enrollments.get(tenantB, theirs))!;
    expect(await exists(fileOf((await blobRow(tenantB, other.imageBlobId!))!))).toBe(true);
  });

  it.skipIf(skip)('stores nothing for a replayed Idempotency-Key, a conflicting one, a bad second file or an unknown CPF', async () => {
    const t = await stack.infra.repos.tenants.create({ name: `orphans-${randomUUID()}` });
    const key = t.apiKeyPlaintext!;
    const idem = { 'idempotency-key': `k-${randomUUID()}` };
    const first = await json('POST', '/face_recognition/image', { image: audrey.toString('base64') }, key, idem);
    expect(first.status).toBe(200);
    const after = await filesOf(t.tenant.id);
    expect(after).toHaveLength(1);

    const replay = await json('POST', '/face_recognition/image', { image: bieber.toString('base64') }, key, idem);
    expect(replay.body.image_key).toBe(first.body.image_key);
    // The key was used for an image upload (face.detect): a registration under it is a conflict.
    const conflict = await json('POST', '/face_recognition/registration', { document_number: CPF, image: bieber.toString('base64') }, key, idem);
    expect(conflict.status).toBe(409);
    const fd = new FormData();
    fd.append('client_declaration_enduser_consent', 'true');
    fd.append('image_file1', new Blob([new Uint8Array(audrey)], { type: 'image/jpeg' }), 'a.jpg');
    fd.append('image_file2', new Blob([new Uint8Array(audrey.subarray(0, 2000))], { type: 'image/jpeg' }), 'b.jpg');
    const badSecond = await stack.request('/v1/face/compare', { method: 'POST', body: fd, key });
    expect(badSecond.status).toBe(400);
    expect((await json('POST', '/face_recognition/validation', { document_number: '111.444.777-35', image: audrey.toString('base64') }, key)).status).toBe(404);

    expect(await filesOf(t.tenant.id)).toEqual(after);
    expect(await stack.infra.repos.blobs.listOlderThan(t.tenant.id, new Date(Date.now() + 60_000), 100)).toHaveLength(1);
  });

  /** A private redis-server with no consumer on its queues, and the clients a test opens on it. */
  async function privateRedis() {
    const dir = await mkdtemp(join(tmpdir(), 'biogate-redis-'));
    let server = await startRedisServer({ dataDir: dir });
    let killed = false;
    const port = server.port;
    const closers: Array<{ close(): Promise<unknown> }> = [];
    return {
      url: server.url,
      port,
      async kill() {
        killed = true;
        await server.kill();
      },
      track<T extends { close(): Promise<unknown> }>(client: T): T {
        // Connection errors surface through the calls that fail; the emitters' copies are noise here.
        (client as unknown as { on?: (event: string, fn: () => void) => unknown }).on?.('error', () => {});
        closers.push(client);
        return client;
      },
      async close() {
        // BullMQ clients close cleanly only while their Redis answers: bring it back if a test killed it.
        if (killed) server = await startRedisServer({ dataDir: dir, port });
        for (const c of closers.reverse()) await c.close().catch(() => undefined);
        await server.kill();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const log = createLogger({ name: 'refused', level: 'silent' });

  it.skipIf(skip)('stores nothing when the queue is full or Redis is down (503)', async () => {
    const t = await stack.infra.repos.tenants.create({ name: `refused-${randomUUID()}` });
    const redis = await privateRedis();
    const producer = createRedisConnection(redis.url, 'producer');
    const queues = createQueues(producer);
    Object.values(queues).forEach(redis.track);
    // On the stack's Redis, which stays up (QueueEvents.close() waits forever on a Redis the test killed).
    const events = redis.track(createQueueEvents(QUEUES.inference, stack.infra.newRedis('worker')));
    // An API over the stack's database and blob store whose queue has no consumer, so one job keeps it full.
    const app = await buildApp({
      db: stack.infra.db, repos: stack.infra.repos, blobs: stack.infra.blobs, queues, inferenceEvents: events, logger: log,
      syncTimeoutMs: 5_000, maxImageBytes: 3 * 1024 * 1024, maxAudioBytes: 10 * 1024 * 1024, maxImagePixels: 40_000_000,
      queueMaxWaiting: 1, rateLimitPerMinute: 10_000, redis: producer,
    });
    redis.track(app);
    try {
      await queues[QUEUES.inference].add('face.detect', {}, { jobId: 'filler' });
      const post = () => app.inject({
        method: 'POST', url: '/v1/face/detect?async=true',
        headers: { authorization: `Bearer ${t.apiKeyPlaintext}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ image: audrey.toString('base64'), client_declaration_enduser_consent: true }),
      });
      const full = await post();
      expect(full.statusCode).toBe(503);
      expect(full.json()).toMatchObject({ code: 'queue_full' });
      expect(full.headers['retry-after']).toBeDefined();
      expect(await filesOf(t.tenant.id)).toEqual([]);

      await redis.kill();
      // Past the API's 250 ms queue-depth cache, so the next request asks Redis.
      await new Promise((r) => setTimeout(r, 300));
      const down = await post();
      expect(down.statusCode).toBe(503);
      expect(down.json()).toMatchObject({ code: 'service_unavailable' });
      expect(await filesOf(t.tenant.id)).toEqual([]);
      expect(await stack.infra.repos.blobs.listOlderThan(t.tenant.id, new Date(Date.now() + 60_000), 100)).toEqual([]);
      expect(await stack.infra.repos.jobs.countByStatus(t.tenant.id)).toEqual({ queued: 0, active: 0, completed: 0, failed: 0 });
    } finally {
      await redis.close();
    }
  });

  it.skipIf(skip)('takes the stored upload back when Redis is lost between the depth check and the enqueue', async () => {
    const t = await stack.infra.repos.tenants.create({ name: `lost-${randomUUID()}` });
    const redis = await privateRedis();
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: redis.port });
    const connection = createRedisConnection(`redis://127.0.0.1:${proxy.port}`, 'producer');
    const queues = createQueues(connection);
    Object.values(queues).forEach(redis.track);
    const events = redis.track(createQueueEvents(QUEUES.inference, createRedisConnection(redis.url, 'worker')));
    try {
      await waitForRedis(connection);
      // A depth reading kept for 10 minutes: the second request trusts the first one's and goes on to enqueue.
      const jobs = createJobService({
        db: stack.infra.db, repos: stack.infra.repos, blobs: stack.infra.blobs, queues, inferenceEvents: events,
        syncTimeoutMs: 5_000, maxWaiting: 1_000, log, depthTtlMs: 600_000,
      });
      const meta = await sharp(audrey).metadata();
      const staged = (): StagedBlob => ({ id: randomUUID(), kind: 'image', contentType: 'image/jpeg', bytes: audrey, width: meta.width, height: meta.height });
      const submit = (upload: StagedBlob) => jobs.submit({
        tenantId: t.tenant.id, actor: t.apiKey.id, name: 'face.detect', async: true, uploads: [upload], input: { imageBlobId: upload.id },
        payload: (requestId) => ({ requestId, tenantId: t.tenant.id, image: { blobId: upload.id }, format: 'v1', options: { quality: true, liveness: false, attributes: false, crop: false } }),
      });
      const accepted = staged();
      expect((await submit(accepted)).kind).toBe('accepted');
      expect(await filesOf(t.tenant.id)).toHaveLength(1);

      proxy.pause();
      const lost = staged();
      const err = await submit(lost).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BiogateError);
      expect((err as BiogateError).code).toBe('service_unavailable');
      expect(await filesOf(t.tenant.id)).toHaveLength(1);
      expect(await stack.infra.repos.blobs.get(t.tenant.id, lost.id)).toBeNull();
      expect(await stack.infra.repos.blobs.get(t.tenant.id, accepted.id)).not.toBeNull();
      // The request row stays, failed, so a client polling it learns why.
      expect(await stack.infra.repos.jobs.countByStatus(t.tenant.id)).toMatchObject({ queued: 1, failed: 1 });
    } finally {
      proxy.resume();
      await redis.close();
      await proxy.close();
    }
  });
});
