// Shared by repositories.test.ts (PGlite) and postgres.integration.test.ts (PostgreSQL): every model
// round-trips through the migrated schema, and a second tenant never sees the first tenant's rows.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './open-database.ts';
import { createRepositories, type Repositories } from './repositories/index.ts';
import { withTransaction } from './transaction.ts';
import { isUniqueViolation } from './client.ts';
import { bytesToEmbedding, embeddingToBytes } from './embedding.ts';

const unique = (label: string) => `${label}-${randomUUID()}`;
const vector = () => embeddingToBytes(Float32Array.from({ length: 512 }, (_, i) => Math.sin(i) / 3));

/** Registers the repository tests against the database `open` returns (opened once, closed after). */
export function defineRepositorySuite(engine: string, open: () => Promise<Database>): void {
  describe(`repositories on ${engine}`, () => {
    let db: Database;
    let repos: Repositories;
    beforeAll(async () => {
      db = await open();
      repos = createRepositories(db.prisma);
    });
    afterAll(async () => {
      await db?.close();
    });

    const newTenant = async () => (await repos.tenants.create({ name: unique('tenant') })).tenant;

    it('creates a tenant with a generated key and secret, found by the key hash until revoked', async () => {
      const created = await repos.tenants.create({ name: unique('acme') });
      expect(created.apiKeyPlaintext).toMatch(/^bg_/);
      expect(created.tenant.webhookSecret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
      const { hashKey } = await import('./repositories/tenant.repository.ts');
      const found = await repos.tenants.findByApiKeyHash(hashKey(created.apiKeyPlaintext!));
      expect(found?.tenant.id).toBe(created.tenant.id);
      expect(found?.apiKey.lastUsedAt).toBeInstanceOf(Date);
      const stored = await repos.tenants.listKeys(created.tenant.id);
      expect(stored[0]?.lastUsedAt).toEqual(found?.apiKey.lastUsedAt);
      expect(await repos.tenants.revokeKey(created.apiKey.id)).toBe(true);
      expect(await repos.tenants.revokeKey(created.apiKey.id)).toBe(false);
      expect(await repos.tenants.findByApiKeyHash(created.apiKey.keyHash)).toBeNull();
    });

    it('adds keys only to existing tenants and revokes only within the given tenant', async () => {
      const a = await newTenant();
      const b = await newTenant();
      const key = await repos.tenants.addKey(a.id, { keyHash: unique('h'), prefix: 'bg_12345', label: 'ci' });
      expect(key?.label).toBe('ci');
      expect(await repos.tenants.addKey(randomUUID(), { keyHash: unique('h'), prefix: 'x' })).toBeNull();
      expect(await repos.tenants.revokeKey(key!.id, b.id)).toBe(false);
      expect(await repos.tenants.revokeKey(key!.id, a.id)).toBe(true);
      expect((await repos.tenants.list()).map((t) => t.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    });

    it('ensureDefaultTenant is idempotent, also when called concurrently', async () => {
      const input = { name: unique('default'), apiKeyHash: unique('hash'), prefix: 'bg_abc', webhookSecret: 'whsec_one' };
      const [first, second] = await Promise.all([repos.tenants.ensureDefaultTenant(input), repos.tenants.ensureDefaultTenant(input)]);
      expect(second.tenant.id).toBe(first.tenant.id);
      expect(second.apiKey.id).toBe(first.apiKey.id);
      const again = await repos.tenants.ensureDefaultTenant({ ...input, webhookSecret: 'whsec_two' });
      expect(again.tenant.webhookSecret).toBe('whsec_two');
      expect(await repos.tenants.listKeys(first.tenant.id)).toHaveLength(1);
      const other = await repos.tenants.create({ name: unique('other') });
      await expect(repos.tenants.ensureDefaultTenant({ ...input, apiKeyHash: other.apiKey.keyHash })).rejects.toThrow(/another tenant/);
    });

    it('round-trips a job through its lifecycle; a second completion changes nothing', async () => {
      const t = await newTenant();
      const id = randomUUID();
      const job = await repos.jobs.create({ id, tenantId: t.id, name: 'face.detect', input: { image: { blobId: 'b1' } }, callbackUrl: 'http://127.0.0.1:9/hook', idempotencyKey: 'k1' });
      expect(job).toMatchObject({ status: 'queued', attempts: 0, result: null, error: null, startedAt: null, finishedAt: null });
      expect((await repos.jobs.findByIdempotencyKey(t.id, 'k1'))?.id).toBe(id);
      expect(await repos.jobs.markActive(t.id, id, 1)).toBe(true);
      expect(await repos.jobs.get(t.id, id)).toMatchObject({ status: 'active', attempts: 1 });
      expect(await repos.jobs.complete(t.id, id, { status: 200, body: { total_faces: 1 } })).toBe(true);
      expect(await repos.jobs.complete(t.id, id, { status: 200, body: { total_faces: 9 } })).toBe(false);
      expect(await repos.jobs.fail(t.id, id, { code: 'x', message: 'y' })).toBe(false);
      expect(await repos.jobs.markActive(t.id, id, 2)).toBe(false);
      const done = await repos.jobs.get(t.id, id);
      expect(done).toMatchObject({ status: 'completed', result: { status: 200, body: { total_faces: 1 } }, error: null, attempts: 1, callbackUrl: 'http://127.0.0.1:9/hook' });
      expect(done?.finishedAt).toBeInstanceOf(Date);
      const failed = await repos.jobs.create({ id: randomUUID(), tenantId: t.id, name: 'face.detect', input: {} });
      expect(await repos.jobs.fail(t.id, failed.id, { code: 'image_corrupt', message: 'bad' })).toBe(true);
      expect((await repos.jobs.get(t.id, failed.id))?.error).toEqual({ code: 'image_corrupt', message: 'bad' });
      expect(await repos.jobs.countByStatus(t.id)).toEqual({ queued: 0, active: 0, completed: 1, failed: 1 });
    });

    it('rejects a reused idempotency key within a tenant but not across tenants', async () => {
      const a = await newTenant();
      const b = await newTenant();
      await repos.jobs.create({ id: randomUUID(), tenantId: a.id, name: 'face.detect', input: {}, idempotencyKey: 'same' });
      const reused = await repos.jobs.create({ id: randomUUID(), tenantId: a.id, name: 'face.detect', input: {}, idempotencyKey: 'same' }).catch((err: unknown) => err);
      expect(isUniqueViolation(reused)).toBe(true);
      await repos.jobs.create({ id: randomUUID(), tenantId: b.id, name: 'face.detect', input: {}, idempotencyKey: 'same' });
    });

    it('round-trips blobs, crops and their deletion', async () => {
      const t = await newTenant();
      const image = await repos.blobs.create(t.id, { kind: 'image', contentType: 'image/jpeg', byteSize: 1234, width: 640, height: 480, sha256: 'a'.repeat(64), storageKey: 'k/1' });
      const audio = await repos.blobs.create(t.id, { kind: 'audio', contentType: 'audio/wav', byteSize: 99, durationMs: 2500, sha256: 'b'.repeat(64), storageKey: 'k/2' });
      const crop = await repos.blobs.create(t.id, { kind: 'crop', contentType: 'image/jpeg', byteSize: 10, sha256: 'c'.repeat(64), storageKey: 'k/3', parentBlobId: image.id });
      expect(await repos.blobs.get(t.id, image.id)).toEqual(image);
      expect(await repos.blobs.get(t.id, audio.id)).toMatchObject({ kind: 'audio', durationMs: 2500, width: null });
      expect((await repos.blobs.findCropOf(t.id, image.id))?.id).toBe(crop.id);
      expect(await repos.blobs.delete(t.id, image.id)).toBe(true);
      expect(await repos.blobs.delete(t.id, image.id)).toBe(false);
      expect(await repos.blobs.get(t.id, image.id)).toBeNull();
    });

    it('round-trips enrollments with their embedding bytes', async () => {
      const t = await newTenant();
      const emb = vector();
      const created = await repos.enrollments.create(t.id, { id: 'user-1', embedding: emb, modelVersion: 'fr_feature@1', imageBlobId: 'img-1' });
      const got = await repos.enrollments.get(t.id, 'user-1');
      expect(Array.from(bytesToEmbedding(got!.embedding))).toEqual(Array.from(bytesToEmbedding(emb)));
      const updated = await repos.enrollments.update(t.id, 'user-1', { embedding: embeddingToBytes(new Float32Array([1, 2])), modelVersion: 'v2', imageBlobId: null });
      expect(updated).toMatchObject({ modelVersion: 'v2', imageBlobId: null, createdAt: created.createdAt });
      expect(Array.from(bytesToEmbedding(updated!.embedding))).toEqual([1, 2]);
      await repos.enrollments.create(t.id, { id: 'user-2', embedding: emb, modelVersion: 'v1' });
      expect(await repos.enrollments.listIds(t.id)).toEqual(['user-1', 'user-2']);
      expect(await repos.enrollments.delete(t.id, 'user-1')).toBe(true);
      expect(await repos.enrollments.get(t.id, 'user-1')).toBeNull();
      expect(await repos.enrollments.update(t.id, 'user-1', { embedding: emb, modelVersion: 'v3' })).toBeNull();
    });

    it('keeps several registrations per document and records validations', async () => {
      const t = await newTenant();
      const base = { documentNumber: '12345678909', status: 'authentic', imageBlobId: 'i', embedding: vector(), modelVersion: 'v1' };
      const first = await repos.registrations.create(t.id, { ...base, cropBlobId: 'c' });
      const second = await repos.registrations.create(t.id, { ...base, id: randomUUID() });
      expect((await repos.registrations.listByDocument(t.id, base.documentNumber)).map((r) => r.id).sort()).toEqual([first.id, second.id].sort());
      const latest = await repos.registrations.latestByDocument(t.id, base.documentNumber);
      expect([first.id, second.id]).toContain(latest?.id);
      expect(await repos.registrations.get(t.id, first.id)).toMatchObject({ cropBlobId: 'c', status: 'authentic' });
      expect(await repos.registrations.latestByDocument(t.id, '00000000000')).toBeNull();
      const v = await repos.validations.create(t.id, { documentNumber: base.documentNumber, imageBlobId: 'i2', registrationId: first.id, similarity: 0.8125, similarityRatio: 83, result: 'match' });
      expect(await repos.validations.get(t.id, v.id)).toEqual(v);
    });

    it('records webhook deliveries and every attempt', async () => {
      const t = await newTenant();
      const jobId = randomUUID();
      const d = await repos.webhooks.create(t.id, { jobId, url: 'http://127.0.0.1:9/hook', eventType: 'job.completed' });
      expect(d).toMatchObject({ status: 'pending', attempts: 0, lastStatusCode: null });
      const a1 = await repos.webhooks.recordAttempt(t.id, d.id, { attempt: 1, statusCode: 503, error: 'HTTP 503', durationMs: 12.4 });
      expect(a1).toMatchObject({ deliveryId: d.id, attempt: 1, statusCode: 503, durationMs: 12 });
      const next = new Date(Date.now() + 5_000);
      expect(await repos.webhooks.scheduleRetry(t.id, d.id, next, 'HTTP 503')).toBe(true);
      expect((await repos.webhooks.get(t.id, d.id))?.nextAttemptAt).toEqual(new Date(next.toISOString()));
      await repos.webhooks.recordAttempt(t.id, d.id, { attempt: 2, statusCode: 200, durationMs: 5 });
      expect(await repos.webhooks.markDelivered(t.id, d.id)).toBe(true);
      expect(await repos.webhooks.markFailed(t.id, d.id, 'late')).toBe(false);
      expect(await repos.webhooks.get(t.id, d.id)).toMatchObject({ status: 'delivered', attempts: 2, lastStatusCode: 200, lastError: null, nextAttemptAt: null });
      expect((await repos.webhooks.listAttempts(t.id, d.id)).map((a) => a.attempt)).toEqual([1, 2]);
      const other = await repos.webhooks.create(t.id, { jobId, url: 'http://127.0.0.1:9/x', eventType: 'job.completed' });
      expect(await repos.webhooks.markFailed(t.id, other.id, 'HTTP 404')).toBe(true);
      expect((await repos.webhooks.listForJob(t.id, jobId)).map((x) => x.status)).toEqual(['delivered', 'failed']);
    });

    it('records and lists audit events newest first', async () => {
      const t = await newTenant();
      await repos.audit.record(t.id, { actor: 'key-1', action: 'image.read', resourceType: 'image', resourceId: 'r1' });
      await repos.audit.record(t.id, { actor: 'key-1', action: 'image.crop.read', resourceType: 'image', resourceId: 'r2' });
      expect((await repos.audit.list(t.id)).map((e) => e.action)).toEqual(['image.crop.read', 'image.read']);
      expect(await repos.audit.list(t.id, { resourceId: 'r1' })).toHaveLength(1);
    });

    it('pages audit events newest first with a cursor and filters by resource, type and action', async () => {
      const t = await newTenant();
      for (let i = 0; i < 5; i++) {
        await repos.audit.record(t.id, { actor: 'k', action: i % 2 ? 'image.read' : 'image.delete', resourceType: 'image', resourceId: `r${i % 2}`, details: { n: i } });
      }
      expect(await repos.audit.recordMany(t.id, [{ actor: 'k', action: 'job.read', resourceType: 'job', resourceId: 'j' }])).toBe(1);
      const first = await repos.audit.list(t.id, { limit: 4 });
      const rest = await repos.audit.list(t.id, { limit: 4, before: first.at(-1)! });
      expect([...first, ...rest].map((e) => e.id)).toEqual((await repos.audit.list(t.id)).map((e) => e.id));
      expect(new Set([...first, ...rest].map((e) => e.id)).size).toBe(6);
      expect(rest).toHaveLength(2);
      expect((await repos.audit.list(t.id, { resourceId: 'r1' })).map((e) => e.details)).toEqual([{ n: 3 }, { n: 1 }]);
      expect(await repos.audit.list(t.id, { resourceType: 'job' })).toHaveLength(1);
      expect(await repos.audit.list(t.id, { action: 'image.delete' })).toHaveLength(3);
    });

    it('deletes audit events older than a cutoff, oldest first, at most a batch at a time', async () => {
      const t = await newTenant();
      const ago = (days: number) => new Date(Date.now() - days * 86_400_000);
      for (const days of [50, 40, 35, 1]) {
        const e = await repos.audit.record(t.id, { actor: 'k', action: 'image.read', resourceType: 'image', resourceId: `d${days}` });
        await db.prisma.auditEvent.update({ where: { id: e.id }, data: { createdAt: ago(days) } });
      }
      expect(await repos.audit.deleteOlderThan(t.id, ago(30), 2)).toBe(2);
      expect((await repos.audit.list(t.id)).map((e) => e.resourceId)).toEqual(['d1', 'd35']);
      expect(await repos.audit.deleteOlderThan(t.id, ago(30), 2)).toBe(1);
      expect(await repos.audit.deleteOlderThan(t.id, ago(30), 2)).toBe(0);
      expect((await repos.audit.list(t.id)).map((e) => e.resourceId)).toEqual(['d1']);
    });

    it('finds expired rows by age in batches and scrubs finished jobs once, keeping their HTTP status', async () => {
      const t = await newTenant();
      const ago = (days: number) => new Date(Date.now() - days * 86_400_000);
      const old = await repos.blobs.create(t.id, { kind: 'image', contentType: 'image/png', byteSize: 1, sha256: 'a'.repeat(64), storageKey: 'o' });
      const fresh = await repos.blobs.create(t.id, { kind: 'image', contentType: 'image/png', byteSize: 1, sha256: 'b'.repeat(64), storageKey: 'f' });
      await db.prisma.blob.update({ where: { id: old.id }, data: { createdAt: ago(40) } });
      expect((await repos.blobs.listOlderThan(t.id, ago(30), 10)).map((b) => b.id)).toEqual([old.id]);
      expect((await repos.blobs.listOlderThan(t.id, new Date(Date.now() + 1000), 10)).map((b) => b.id)).toEqual([old.id, fresh.id]);
      expect(await repos.blobs.listOlderThan(t.id, new Date(Date.now() + 1000), 1)).toHaveLength(1);

      const enrolled = await repos.enrollments.create(t.id, { id: unique('u'), embedding: vector(), modelVersion: 'v' });
      await db.prisma.$executeRaw`UPDATE "Enrollment" SET "createdAt" = ${ago(90)}, "updatedAt" = ${ago(40)} WHERE id = ${enrolled.id}`;
      expect(await repos.enrollments.listOlderThan(t.id, ago(30), 10)).toEqual([enrolled.id]);
      // An update is a new face: the embedding is young again.
      await repos.enrollments.update(t.id, enrolled.id, { embedding: vector(), modelVersion: 'v2' });
      expect(await repos.enrollments.listOlderThan(t.id, ago(30), 10)).toEqual([]);

      const ok = await repos.jobs.create({ id: randomUUID(), tenantId: t.id, name: 'face.register', input: { imageBlobId: old.id }, apiKeyId: 'key-1' });
      await repos.jobs.complete(t.id, ok.id, { status: 200, body: { document_number: '111.444.777-35' } });
      const refused = await repos.jobs.create({ id: randomUUID(), tenantId: t.id, name: 'face.enroll', input: { imageBlobId: old.id } });
      await repos.jobs.complete(t.id, refused.id, { status: 422, body: { code: 'face_not_found' } });
      const failed = await repos.jobs.create({ id: randomUUID(), tenantId: t.id, name: 'face.detect', input: { imageBlobId: old.id } });
      await repos.jobs.fail(t.id, failed.id, { code: 'image_corrupt', message: 'bad' });
      const running = await repos.jobs.create({ id: randomUUID(), tenantId: t.id, name: 'face.detect', input: { imageBlobId: old.id } });
      expect(ok.apiKeyId).toBe('key-1');
      expect((await repos.jobs.listPurgeable(t.id, new Date(Date.now() + 1000), 10)).sort()).toEqual([ok.id, refused.id, failed.id].sort());
      expect(await repos.jobs.scrub(t.id, [ok.id, refused.id, failed.id, running.id])).toBe(3);
      expect(await repos.jobs.get(t.id, running.id)).toMatchObject({ input: { imageBlobId: old.id }, purgedAt: null });
      expect(await repos.jobs.scrub(t.id, [ok.id])).toBe(0);
      expect(await repos.jobs.get(t.id, ok.id)).toMatchObject({ input: {}, result: { status: 200, body: { purged: true } }, purgedAt: expect.any(Date) });
      expect(await repos.jobs.get(t.id, refused.id)).toMatchObject({ result: { status: 422, body: { purged: true } } });
      expect(await repos.jobs.get(t.id, failed.id)).toMatchObject({ input: {}, result: null, error: { code: 'image_corrupt', message: 'bad' } });
      expect(await repos.jobs.listPurgeable(t.id, new Date(Date.now() + 1000), 10)).toEqual([]);
    });

    it('commits the result and the delivery together, and rolls both back on error', async () => {
      const t = await newTenant();
      const ok = await repos.jobs.create({ id: randomUUID(), tenantId: t.id, name: 'face.detect', input: {} });
      await withTransaction(db.prisma, async (tx) => {
        const r = createRepositories(tx);
        await r.jobs.complete(t.id, ok.id, { status: 200, body: {} });
        await r.webhooks.create(t.id, { jobId: ok.id, url: 'http://h', eventType: 'job.completed' });
      });
      expect((await repos.jobs.get(t.id, ok.id))?.status).toBe('completed');
      expect(await repos.webhooks.listForJob(t.id, ok.id)).toHaveLength(1);
      const bad = await repos.jobs.create({ id: randomUUID(), tenantId: t.id, name: 'face.detect', input: {} });
      await expect(
        withTransaction(db.prisma, async (tx) => {
          const r = createRepositories(tx);
          await r.jobs.complete(t.id, bad.id, { status: 200, body: {} });
          await r.webhooks.create(t.id, { jobId: bad.id, url: 'http://h', eventType: 'job.completed' });
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect((await repos.jobs.get(t.id, bad.id))?.status).toBe('queued');
      expect(await repos.webhooks.listForJob(t.id, bad.id)).toHaveLength(0);
    });

    it('never hands one tenant another tenant\'s rows', async () => {
      const owner = await newTenant();
      const other = await newTenant();
      const job = await repos.jobs.create({ id: randomUUID(), tenantId: owner.id, name: 'face.detect', input: {}, idempotencyKey: 'iso' });
      const blob = await repos.blobs.create(owner.id, { kind: 'image', contentType: 'image/png', byteSize: 1, sha256: 'd'.repeat(64), storageKey: 'k' });
      await repos.blobs.create(owner.id, { kind: 'crop', contentType: 'image/jpeg', byteSize: 1, sha256: 'e'.repeat(64), storageKey: 'k2', parentBlobId: blob.id });
      await repos.enrollments.create(owner.id, { id: unique('u'), embedding: vector(), modelVersion: 'v' });
      const enrollmentId = (await repos.enrollments.listIds(owner.id))[0]!;
      const reg = await repos.registrations.create(owner.id, { documentNumber: '11144477735', status: 'authentic', imageBlobId: blob.id, embedding: vector(), modelVersion: 'v' });
      const val = await repos.validations.create(owner.id, { documentNumber: '11144477735', imageBlobId: blob.id, registrationId: reg.id, similarity: 0.9, similarityRatio: 90, result: 'match' });
      const delivery = await repos.webhooks.create(owner.id, { jobId: job.id, url: 'http://h', eventType: 'job.completed' });
      await repos.webhooks.recordAttempt(owner.id, delivery.id, { attempt: 1, statusCode: 200, durationMs: 1 });
      await repos.audit.record(owner.id, { actor: 'k', action: 'image.read', resourceType: 'image', resourceId: blob.id });

      expect(await repos.jobs.get(other.id, job.id)).toBeNull();
      expect(await repos.jobs.findByIdempotencyKey(other.id, 'iso')).toBeNull();
      expect(await repos.jobs.countByStatus(other.id)).toEqual({ queued: 0, active: 0, completed: 0, failed: 0 });
      expect(await repos.blobs.get(other.id, blob.id)).toBeNull();
      expect(await repos.blobs.findCropOf(other.id, blob.id)).toBeNull();
      expect(await repos.blobs.delete(other.id, blob.id)).toBe(false);
      expect(await repos.enrollments.get(other.id, enrollmentId)).toBeNull();
      expect(await repos.enrollments.listIds(other.id)).toEqual([]);
      expect(await repos.enrollments.update(other.id, enrollmentId, { embedding: vector(), modelVersion: 'x' })).toBeNull();
      expect(await repos.enrollments.delete(other.id, enrollmentId)).toBe(false);
      expect(await repos.registrations.get(other.id, reg.id)).toBeNull();
      expect(await repos.registrations.latestByDocument(other.id, '11144477735')).toBeNull();
      expect(await repos.registrations.listByDocument(other.id, '11144477735')).toEqual([]);
      expect(await repos.validations.get(other.id, val.id)).toBeNull();
      expect(await repos.webhooks.get(other.id, delivery.id)).toBeNull();
      expect(await repos.webhooks.listForJob(other.id, job.id)).toEqual([]);
      expect(await repos.webhooks.listAttempts(other.id, delivery.id)).toEqual([]);
      expect(await repos.audit.list(other.id)).toEqual([]);
      expect(await repos.tenants.listKeys(other.id)).toHaveLength(1);
      // The owner still sees everything: the nulls above come from the tenant filter, not from missing rows.
      expect(await repos.jobs.get(owner.id, job.id)).not.toBeNull();
      expect(await repos.blobs.get(owner.id, blob.id)).not.toBeNull();
      expect(await repos.enrollments.get(owner.id, enrollmentId)).not.toBeNull();
      expect(await repos.validations.get(owner.id, val.id)).not.toBeNull();
      expect(await repos.webhooks.listAttempts(owner.id, delivery.id)).toHaveLength(1);
      expect(await repos.audit.list(owner.id)).toHaveLength(1);
    });
  });
}
