// Shared by repositories.test.ts (PGlite) and postgres.integration.test.ts (PostgreSQL): every repository
// method that takes a tenant id and a resource id, called with another tenant's id, returns nothing and
// changes nothing. The method list is checked against the repositories themselves, so a method added
// without its isolation check fails here.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './open-database.ts';
import { createRepositories, type Repositories } from './repositories/index.ts';
import { embeddingToBytes } from './embedding.ts';

const vector = () => embeddingToBytes(Float32Array.from({ length: 8 }, (_, i) => i / 8));
const LONG_AGO = new Date('2000-01-01T00:00:00Z');
const FUTURE = new Date('2999-01-01T00:00:00Z');

/** Methods that take no tenant id, or only create rows under the tenant they are given. */
const EXEMPT = new Set([
  'tenants.create', 'tenants.get', 'tenants.list', 'tenants.findByApiKeyHash', 'tenants.ensureDefaultTenant',
  'jobs.create', 'blobs.create', 'enrollments.create', 'registrations.create', 'validations.create', 'webhooks.create',
  'audit.record', 'audit.recordMany',
]);

export function defineTenantIsolationSuite(engine: string, open: () => Promise<Database>): void {
  describe(`tenant isolation of every repository method on ${engine}`, () => {
    let db: Database;
    let repos: Repositories;
    beforeAll(async () => {
      db = await open();
      repos = createRepositories(db.prisma);
    });
    afterAll(async () => {
      await db?.close();
    });

    it('answers nothing and changes nothing for another tenant, then everything for the owner', async () => {
      const owner = (await repos.tenants.create({ name: `owner-${randomUUID()}` })).tenant;
      const other = (await repos.tenants.create({ name: `other-${randomUUID()}` }));
      const x = other.tenant.id;
      const doc = '11144477735';
      const key = await repos.tenants.addKey(owner.id, { keyHash: randomUUID(), prefix: 'bg_owner' });
      const job = await repos.jobs.create({ id: randomUUID(), tenantId: owner.id, name: 'face.detect', input: { imageBlobId: 'b' }, idempotencyKey: 'iso' });
      const done = await repos.jobs.create({ id: randomUUID(), tenantId: owner.id, name: 'face.detect', input: { imageBlobId: 'b' } });
      await repos.jobs.complete(owner.id, done.id, { status: 200, body: { total_faces: 1 } });
      const image = await repos.blobs.create(owner.id, { kind: 'image', contentType: 'image/png', byteSize: 1, sha256: 'd'.repeat(64), storageKey: 'k' });
      const crop = await repos.blobs.create(owner.id, { kind: 'crop', contentType: 'image/jpeg', byteSize: 1, sha256: 'e'.repeat(64), storageKey: 'k2', parentBlobId: image.id });
      const enrollment = await repos.enrollments.create(owner.id, { id: randomUUID(), embedding: vector(), modelVersion: 'v', imageBlobId: image.id });
      const reg = await repos.registrations.create(owner.id, { documentNumber: doc, status: 'authentic', imageBlobId: image.id, cropBlobId: crop.id, embedding: vector(), modelVersion: 'v' });
      const val = await repos.validations.create(owner.id, { documentNumber: doc, imageBlobId: image.id, registrationId: reg.id, similarity: 0.9, similarityRatio: 90, result: 'match' });
      const delivery = await repos.webhooks.create(owner.id, { jobId: job.id, url: 'http://h', eventType: 'job.completed' });
      await repos.webhooks.recordAttempt(owner.id, delivery.id, { attempt: 1, statusCode: 500, durationMs: 1 });
      const finished = await repos.webhooks.create(owner.id, { jobId: job.id, url: 'http://h2', eventType: 'job.completed' });
      await repos.webhooks.markFailed(owner.id, finished.id, 'HTTP 410');
      await repos.audit.record(owner.id, { actor: key!.id, action: 'image.read', resourceType: 'image', resourceId: image.id });

      // [method, call with the other tenant's id, what "nothing" is]
      const checks: Array<[string, () => Promise<unknown>, unknown]> = [
        ['tenants.addKey', () => repos.tenants.addKey(randomUUID(), { keyHash: randomUUID(), prefix: 'x' }), null],
        ['tenants.listKeys', async () => (await repos.tenants.listKeys(x)).map((k) => k.id).includes(key!.id), false],
        ['tenants.revokeKey', () => repos.tenants.revokeKey(key!.id, x), false],
        ['jobs.get', () => repos.jobs.get(x, job.id), null],
        ['jobs.findByIdempotencyKey', () => repos.jobs.findByIdempotencyKey(x, 'iso'), null],
        ['jobs.markActive', () => repos.jobs.markActive(x, job.id, 1), false],
        ['jobs.complete', () => repos.jobs.complete(x, job.id, { status: 200, body: {} }), false],
        ['jobs.fail', () => repos.jobs.fail(x, job.id, { code: 'x', message: 'y' }), false],
        ['jobs.countByStatus', () => repos.jobs.countByStatus(x), { queued: 0, active: 0, completed: 0, failed: 0 }],
        ['jobs.listPurgeable', () => repos.jobs.listPurgeable(x, FUTURE, 100), []],
        ['jobs.listUnfinished', () => repos.jobs.listUnfinished(x, FUTURE, 100), []],
        ['blobs.knownStorageKeys', async () => [...(await repos.blobs.knownStorageKeys(x, ['k', 'k2']))], []],
        ['jobs.scrub', () => repos.jobs.scrub(x, [done.id]), 0],
        ['blobs.get', () => repos.blobs.get(x, image.id), null],
        ['blobs.findCropOf', () => repos.blobs.findCropOf(x, image.id), null],
        ['blobs.listCropsOf', () => repos.blobs.listCropsOf(x, [image.id]), []],
        ['blobs.listOlderThan', () => repos.blobs.listOlderThan(x, FUTURE, 100), []],
        ['blobs.delete', () => repos.blobs.delete(x, image.id), false],
        ['blobs.deleteMany', () => repos.blobs.deleteMany(x, [image.id, crop.id]), 0],
        ['enrollments.get', () => repos.enrollments.get(x, enrollment.id), null],
        ['enrollments.update', () => repos.enrollments.update(x, enrollment.id, { embedding: vector(), modelVersion: 'evil' }), null],
        ['enrollments.delete', () => repos.enrollments.delete(x, enrollment.id), false],
        ['enrollments.deleteMany', () => repos.enrollments.deleteMany(x, [enrollment.id]), 0],
        ['enrollments.listByImage', () => repos.enrollments.listByImage(x, image.id), []],
        ['enrollments.listOlderThan', () => repos.enrollments.listOlderThan(x, FUTURE, 100), []],
        ['enrollments.listIds', () => repos.enrollments.listIds(x), []],
        ['registrations.get', () => repos.registrations.get(x, reg.id), null],
        ['registrations.latestByDocument', () => repos.registrations.latestByDocument(x, doc), null],
        ['registrations.listByDocument', () => repos.registrations.listByDocument(x, doc), []],
        ['registrations.listByImage', () => repos.registrations.listByImage(x, image.id), []],
        ['registrations.listOlderThan', () => repos.registrations.listOlderThan(x, FUTURE, 100), []],
        ['registrations.delete', () => repos.registrations.delete(x, reg.id), false],
        ['registrations.deleteMany', () => repos.registrations.deleteMany(x, [reg.id]), 0],
        ['validations.get', () => repos.validations.get(x, val.id), null],
        ['validations.listByImage', () => repos.validations.listByImage(x, image.id), []],
        ['validations.listOlderThan', () => repos.validations.listOlderThan(x, FUTURE, 100), []],
        ['validations.deleteMany', () => repos.validations.deleteMany(x, [val.id]), 0],
        ['webhooks.get', () => repos.webhooks.get(x, delivery.id), null],
        ['webhooks.listForJob', () => repos.webhooks.listForJob(x, job.id), []],
        ['webhooks.listAttempts', () => repos.webhooks.listAttempts(x, delivery.id), []],
        ['webhooks.recordAttempt', () => repos.webhooks.recordAttempt(x, delivery.id, { attempt: 2, statusCode: 200, durationMs: 1 }), null],
        ['webhooks.markDelivered', () => repos.webhooks.markDelivered(x, delivery.id), false],
        ['webhooks.markFailed', () => repos.webhooks.markFailed(x, delivery.id, 'evil'), false],
        ['webhooks.scheduleRetry', () => repos.webhooks.scheduleRetry(x, delivery.id, FUTURE, 'evil'), false],
        ['webhooks.reopen', () => repos.webhooks.reopen(x, finished.id), false],
        ['audit.list', () => repos.audit.list(x, { resourceId: image.id }), []],
        ['audit.deleteOlderThan', () => repos.audit.deleteOlderThan(x, FUTURE, 100), 0],
      ];
      for (const [name, call, nothing] of checks) {
        expect({ name, result: await call() }).toEqual({ name, result: nothing });
      }

      // Every tenant-scoped method is checked above.
      const all = Object.entries(repos).flatMap(([repo, methods]) => Object.keys(methods).map((m) => `${repo}.${m}`));
      const checked = new Set(checks.map(([name]) => name));
      expect(all.filter((m) => !checked.has(m) && !EXEMPT.has(m))).toEqual([]);

      // Nothing changed, and the owner (same calls, own id) still sees and can change everything.
      expect(await repos.jobs.get(owner.id, job.id)).toMatchObject({ status: 'queued', result: null, error: null, attempts: 0 });
      expect(await repos.jobs.get(owner.id, done.id)).toMatchObject({ input: { imageBlobId: 'b' }, purgedAt: null, result: { status: 200, body: { total_faces: 1 } } });
      expect(await repos.enrollments.get(owner.id, enrollment.id)).toMatchObject({ modelVersion: 'v' });
      expect(await repos.webhooks.get(owner.id, delivery.id)).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 500, nextAttemptAt: null });
      expect(await repos.webhooks.get(owner.id, finished.id)).toMatchObject({ status: 'failed', lastError: 'HTTP 410' });
      expect((await repos.tenants.listKeys(owner.id)).find((k) => k.id === key!.id)?.revokedAt).toBeNull();
      expect(await repos.jobs.findByIdempotencyKey(owner.id, 'iso')).not.toBeNull();
      expect(await repos.blobs.findCropOf(owner.id, image.id)).toMatchObject({ id: crop.id });
      expect(await repos.blobs.listOlderThan(owner.id, FUTURE, 100)).toHaveLength(2);
      expect(await repos.blobs.listOlderThan(owner.id, LONG_AGO, 100)).toHaveLength(0);
      expect(await repos.enrollments.listByImage(owner.id, image.id)).toHaveLength(1);
      expect(await repos.registrations.listByImage(owner.id, image.id)).toHaveLength(1);
      expect(await repos.validations.listByImage(owner.id, image.id)).toHaveLength(1);
      expect(await repos.registrations.listOlderThan(owner.id, FUTURE, 100)).toEqual([reg.id]);
      expect(await repos.validations.listOlderThan(owner.id, FUTURE, 100)).toEqual([val.id]);
      expect(await repos.enrollments.listOlderThan(owner.id, FUTURE, 100)).toEqual([enrollment.id]);
      expect(await repos.jobs.listPurgeable(owner.id, FUTURE, 100)).toEqual([done.id]);
      expect(await repos.webhooks.listAttempts(owner.id, delivery.id)).toHaveLength(1);
      expect(await repos.audit.list(owner.id, { resourceId: image.id })).toHaveLength(1);
      expect(await repos.audit.deleteOlderThan(owner.id, LONG_AGO, 100)).toBe(0);
      expect(await repos.webhooks.markDelivered(owner.id, delivery.id)).toBe(true);
      expect(await repos.jobs.complete(owner.id, job.id, { status: 200, body: {} })).toBe(true);
      expect(await repos.validations.deleteMany(owner.id, [val.id])).toBe(1);
      expect(await repos.registrations.delete(owner.id, reg.id)).toBe(true);
      expect(await repos.enrollments.deleteMany(owner.id, [enrollment.id])).toBe(1);
      expect(await repos.blobs.deleteMany(owner.id, [image.id, crop.id])).toBe(2);
      expect(await repos.audit.deleteOlderThan(owner.id, FUTURE, 100)).toBe(1);
    });
  });
}
