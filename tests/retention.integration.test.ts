import { randomBytes, randomUUID } from 'node:crypto';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '@biogate/contracts';
import { embeddingToBytes, type BlobKind } from '@biogate/db';
import { createLogger } from '@biogate/logger';
import { createQueueEvents, createQueueWorker, createQueues, enqueue, type Queues, type QueueEvents, type Worker } from '@biogate/queue';
import { openInfrastructure, type Infrastructure } from '@biogate/runtime';
import { createTempDatabase } from '@biogate/testing';
import { RETENTION_SCHEDULER_ID, retentionPurgeProcessor, scheduleRetention } from '../apps/worker/src/processors/retention-purge.processor.ts';
import { RETENTION_ACTOR } from '../apps/worker/src/lib/retention.ts';

/**
 * The retention purge on a real maintenance queue (private redis-server, BullMQ worker running the real
 * processor), over PGlite and PostgreSQL, with real encrypted files: data back-dated in the database is
 * erased from disk and the database, newer data is untouched, a second run finds nothing, and the job
 * scheduler the workers upsert runs it. The audit retention deletes back-dated audit events and nothing else.
 */
const variants = [
  { name: 'PGlite', postgres: false },
  ...(process.env.TEST_DATABASE_URL ? [{ name: 'PostgreSQL', postgres: true }] : []),
];

const exists = (path: string) => access(path).then(() => true, () => false);
const DAY = 86_400_000;

describe.each(variants)('retention purge on $name', ({ postgres }) => {
  let dir: string;
  let infra: Infrastructure;
  let queues: Queues;
  let events: QueueEvents;
  let worker: Worker;
  let dropDb: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'biogate-retention-'));
    let databaseUrl: string | undefined;
    if (postgres) {
      const temp = await createTempDatabase();
      databaseUrl = temp.url;
      dropDb = temp.drop;
    }
    const log = createLogger({ name: 'retention-test', level: 'silent' });
    infra = await openInfrastructure({ BIOGATE_DATA_DIR: dir, DATABASE_URL: databaseUrl }, log);
    queues = createQueues(infra.newRedis('producer'));
    events = createQueueEvents(QUEUES.maintenance, infra.newRedis('worker'));
    worker = createQueueWorker(
      QUEUES.maintenance,
      { 'maintenance.retention': retentionPurgeProcessor({ db: infra.db, repos: infra.repos, blobs: infra.blobs, log }) },
      { connection: infra.newRedis('worker'), concurrency: 1 },
    );
    await Promise.all([worker.waitUntilReady(), events.waitUntilReady()]);
  });
  afterAll(async () => {
    await worker?.close();
    await events?.close();
    await Promise.all(Object.values(queues ?? {}).map((q) => q.close()));
    await infra?.close();
    await dropDb?.();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const fileOf = (storageKey: string) => join(dir, 'blobs', storageKey);
  const ago = (days: number) => new Date(Date.now() - days * DAY);
  const vector = () => embeddingToBytes(Float32Array.from({ length: 16 }, () => Math.random()));

  async function blob(tenantId: string, kind: BlobKind, parentBlobId?: string) {
    const stored = await infra.blobs.put(tenantId, randomBytes(64));
    const row = await infra.repos.blobs.create(tenantId, { kind, contentType: 'image/jpeg', byteSize: 64, sha256: stored.sha256, storageKey: stored.storageKey, parentBlobId: parentBlobId ?? null });
    return { id: row.id, file: fileOf(stored.storageKey) };
  }

  const TABLES = { blob: 'Blob', registration: 'Registration', validation: 'Validation', job: 'Job', audit: 'AuditEvent' } as const;
  async function backdate(table: keyof typeof TABLES, id: string, days: number) {
    await infra.db.prisma.$executeRawUnsafe(`UPDATE "${TABLES[table]}" SET "createdAt" = $1 WHERE id = $2`, ago(days), id);
  }

  /** One tenant's data: each kind of record once expired (45 days old) and once fresh. */
  async function seed(tenantId: string) {
    const oldImage = await blob(tenantId, 'image');
    const oldAudio = await blob(tenantId, 'audio');
    // A crop made recently from an expired image goes with it.
    const freshCropOfOld = await blob(tenantId, 'crop', oldImage.id);
    const freshImage = await blob(tenantId, 'image');
    const freshCrop = await blob(tenantId, 'crop', freshImage.id);
    for (const b of [oldImage, oldAudio]) await backdate('blob', b.id, 45);

    const oldEnrollment = await infra.repos.enrollments.create(tenantId, { id: randomUUID(), embedding: vector(), modelVersion: 'v', imageBlobId: oldImage.id });
    await infra.db.prisma.$executeRaw`UPDATE "Enrollment" SET "createdAt" = ${ago(60)}, "updatedAt" = ${ago(45)} WHERE id = ${oldEnrollment.id}`;
    // Created long ago but re-enrolled yesterday: its embedding is young.
    const updatedEnrollment = await infra.repos.enrollments.create(tenantId, { id: randomUUID(), embedding: vector(), modelVersion: 'v' });
    await infra.db.prisma.$executeRaw`UPDATE "Enrollment" SET "createdAt" = ${ago(60)}, "updatedAt" = ${ago(1)} WHERE id = ${updatedEnrollment.id}`;

    const reg = (imageBlobId: string) => ({ documentNumber: '11144477735', status: 'authentic', imageBlobId, embedding: vector(), modelVersion: 'v' });
    const oldReg = await infra.repos.registrations.create(tenantId, reg(oldImage.id));
    const freshReg = await infra.repos.registrations.create(tenantId, reg(freshImage.id));
    await backdate('registration', oldReg.id, 45);
    const val = (registrationId: string, imageBlobId: string) => ({ documentNumber: '11144477735', imageBlobId, registrationId, similarity: 0.9, similarityRatio: 90, result: 'match' as const });
    const oldVal = await infra.repos.validations.create(tenantId, val(oldReg.id, oldImage.id));
    const freshVal = await infra.repos.validations.create(tenantId, val(freshReg.id, freshImage.id));
    await backdate('validation', oldVal.id, 45);

    const job = async (days: number, finished: boolean) => {
      const row = await infra.repos.jobs.create({ id: randomUUID(), tenantId, name: 'face.register', input: { imageBlobId: oldImage.id } });
      if (finished) await infra.repos.jobs.complete(tenantId, row.id, { status: 200, body: { document_number: '111.444.777-35', registration_key: oldReg.id } });
      if (days > 0) await backdate('job', row.id, days);
      return row.id;
    };
    return {
      expired: { blobs: [oldImage, oldAudio, freshCropOfOld], enrollment: oldEnrollment.id, registration: oldReg.id, validation: oldVal.id, job: await job(45, true) },
      kept: {
        blobs: [freshImage, freshCrop],
        enrollment: updatedEnrollment.id,
        registration: freshReg.id,
        validation: freshVal.id,
        job: await job(0, true),
        // Old but still running: left for a later run, once it has finished.
        runningJob: await job(45, false),
      },
    };
  }

  async function runPurge(retentionDays: number, batchSize: number, auditRetentionDays?: number) {
    const payload = { retentionDays, batchSize, ...(auditRetentionDays !== undefined ? { auditRetentionDays } : {}) };
    const job = await enqueue(queues, 'maintenance.retention', payload, { jobId: `retention-test-${randomUUID()}` });
    return (await job.waitUntilFinished(events, 60_000)) as Record<string, number>;
  }

  /** Audit events of the tenant, one per age in days (0 = now); returns their ids in the same order. */
  async function auditEvents(tenantId: string, ages: number[]): Promise<string[]> {
    const ids: string[] = [];
    for (const days of ages) {
      const e = await infra.repos.audit.record(tenantId, { actor: 'key', action: 'image.read', resourceType: 'image', resourceId: randomUUID() });
      if (days > 0) await backdate('audit', e.id, days);
      ids.push(e.id);
    }
    return ids;
  }
  const auditIds = async (tenantId: string) => (await infra.repos.audit.list(tenantId, { limit: 500 })).map((e) => e.id);

  it('erases expired blobs from disk and expired records from the database, tenant by tenant, and keeps newer data', async () => {
    const a = (await infra.repos.tenants.create({ name: `a-${randomUUID()}` })).tenant.id;
    const b = (await infra.repos.tenants.create({ name: `b-${randomUUID()}` })).tenant.id;
    const data = { [a]: await seed(a), [b]: await seed(b) };
    for (const t of [a, b]) for (const f of [...data[t]!.expired.blobs, ...data[t]!.kept.blobs]) expect(await exists(f.file)).toBe(true);

    // A batch of 2 makes every pass run several batches.
    const result = await runPurge(30, 2);
    expect(result).toMatchObject({ images: 2, audio: 2, crops: 2, enrollments: 2, registrations: 2, validations: 2, jobs: 2 });

    for (const t of [a, b]) {
      const { expired, kept } = data[t]!;
      for (const f of expired.blobs) {
        expect(await exists(f.file)).toBe(false);
        expect(await infra.repos.blobs.get(t, f.id)).toBeNull();
      }
      for (const f of kept.blobs) {
        expect(await exists(f.file)).toBe(true);
        expect(await infra.repos.blobs.get(t, f.id)).not.toBeNull();
      }
      expect(await infra.repos.enrollments.get(t, expired.enrollment)).toBeNull();
      expect(await infra.repos.registrations.get(t, expired.registration)).toBeNull();
      expect(await infra.repos.validations.get(t, expired.validation)).toBeNull();
      expect(await infra.repos.enrollments.get(t, kept.enrollment)).not.toBeNull();
      expect(await infra.repos.registrations.get(t, kept.registration)).not.toBeNull();
      expect(await infra.repos.validations.get(t, kept.validation)).not.toBeNull();
      expect(await infra.repos.jobs.get(t, expired.job)).toMatchObject({ input: {}, result: { status: 200, body: { purged: true } }, purgedAt: expect.any(Date) });
      expect(await infra.repos.jobs.get(t, kept.job)).toMatchObject({ input: { imageBlobId: expect.any(String) }, result: { body: { document_number: '111.444.777-35' } }, purgedAt: null });
      expect(await infra.repos.jobs.get(t, kept.runningJob)).toMatchObject({ status: 'queued', purgedAt: null });

      // The audit log: one event per erased record and one summary with the counts (no biometric data).
      const purged = await infra.repos.audit.list(t, { action: 'retention.purge', limit: 100 });
      expect(purged.every((e) => e.actor === RETENTION_ACTOR)).toBe(true);
      expect(purged.map((e) => e.resourceId).sort()).toEqual(
        [...expired.blobs.map((f) => f.id), expired.enrollment, expired.registration, expired.validation, t].sort(),
      );
      const summary = purged.find((e) => e.resourceType === 'tenant');
      expect(summary?.details).toMatchObject({ images: 1, audio: 1, crops: 1, enrollments: 1, registrations: 1, validations: 1, jobs: 1, retentionDays: 30 });
    }

    // Idempotent: nothing left to erase, nothing recorded.
    const again = await runPurge(30, 2);
    expect(again).toMatchObject({ images: 0, audio: 0, crops: 0, enrollments: 0, registrations: 0, validations: 0, jobs: 0 });
    expect(await infra.repos.audit.list(a, { action: 'retention.purge', resourceType: 'tenant' })).toHaveLength(1);
    // A longer retention than the data's age erases nothing.
    const expiredNow = await blob(a, 'image');
    await backdate('blob', expiredNow.id, 45);
    expect(await runPurge(60, 500)).toMatchObject({ images: 0 });
    expect(await exists(expiredNow.file)).toBe(true);
  });

  it('deletes audit events older than auditRetentionDays in batches, records the count, and erases nothing else', async () => {
    const a = (await infra.repos.tenants.create({ name: `audit-a-${randomUUID()}` })).tenant.id;
    const b = (await infra.repos.tenants.create({ name: `audit-b-${randomUUID()}` })).tenant.id;
    // Biometric data well past any biometric retention: only the audit setting is on, so all of it stays.
    const data = { [a]: await seed(a), [b]: await seed(b) };
    const old = { [a]: await auditEvents(a, [400, 500, 380, 700, 366]), [b]: await auditEvents(b, [1000]) };
    const kept = { [a]: await auditEvents(a, [364, 100, 0]), [b]: await auditEvents(b, [200, 0]) };

    // A batch of 2 makes tenant a's purge run three batches.
    const result = await runPurge(0, 2, 365);
    expect(result).toMatchObject({ auditEvents: 6, auditCutoff: expect.any(String) });
    expect(result).not.toHaveProperty('images');

    for (const t of [a, b]) {
      const ids = await auditIds(t);
      for (const id of old[t]!) expect(ids).not.toContain(id);
      for (const id of kept[t]!) expect(ids).toContain(id);
      // One event of the purge itself, with the count only.
      const purges = await infra.repos.audit.list(t, { action: 'audit.purge' });
      expect(purges).toHaveLength(1);
      expect(purges[0]).toMatchObject({ actor: RETENTION_ACTOR, resourceType: 'tenant', resourceId: t });
      expect(purges[0]!.details).toEqual({ auditEvents: old[t]!.length, auditRetentionDays: 365, cutoff: expect.any(String) });
      expect(ids).toHaveLength(kept[t]!.length + 1);

      const { expired, kept: fresh } = data[t]!;
      for (const f of [...expired.blobs, ...fresh.blobs]) {
        expect(await exists(f.file)).toBe(true);
        expect(await infra.repos.blobs.get(t, f.id)).not.toBeNull();
      }
      expect(await infra.repos.enrollments.get(t, expired.enrollment)).not.toBeNull();
      expect(await infra.repos.registrations.get(t, expired.registration)).not.toBeNull();
      expect(await infra.repos.validations.get(t, expired.validation)).not.toBeNull();
      expect(await infra.repos.jobs.get(t, expired.job)).toMatchObject({ input: { imageBlobId: expect.any(String) }, purgedAt: null });
      expect(await infra.repos.audit.list(t, { action: 'retention.purge' })).toEqual([]);
    }

    // Idempotent: nothing left, nothing recorded.
    expect(await runPurge(0, 2, 365)).toMatchObject({ auditEvents: 0 });
    expect(await infra.repos.audit.list(a, { action: 'audit.purge' })).toHaveLength(1);

    // Both settings in one run: the biometric purge's fresh events survive the audit purge that follows it.
    expect(await runPurge(30, 500, 365)).toMatchObject({ auditEvents: 0 });
    const summary = await infra.repos.audit.list(a, { action: 'retention.purge', resourceType: 'tenant' });
    expect(summary.map((e) => e.details)).toEqual([expect.objectContaining({ images: 1, registrations: 1, retentionDays: 30 })]);
    expect(await infra.repos.audit.list(a, { action: 'retention.purge', limit: 100 })).toHaveLength(7);
    // A job from before auditRetentionDays existed still parses and leaves the audit log alone.
    const stale = await auditEvents(a, [900]);
    expect(await runPurge(30, 500)).not.toHaveProperty('auditEvents');
    expect(await auditIds(a)).toContain(stale[0]);
  });

  it('runs from the job scheduler every worker upserts (one schedule however many workers), and 0 removes it', async () => {
    const t = (await infra.repos.tenants.create({ name: `s-${randomUUID()}` })).tenant.id;
    const old = await blob(t, 'image');
    await backdate('blob', old.id, 10);
    const queue = queues[QUEUES.maintenance];
    const firstScheduled = new Promise<string>((resolve) => {
      const onCompleted = ({ jobId }: { jobId: string }) => {
        if (!jobId.startsWith('retention-test-')) {
          events.off('completed', onCompleted);
          resolve(jobId);
        }
      };
      events.on('completed', onCompleted);
    });
    // Three workers starting together.
    await Promise.all([1, 2, 3].map(() => scheduleRetention(queue, { retentionDays: 7, intervalMs: 1_000 })));
    expect((await queue.getJobSchedulers()).map((s) => s.key)).toEqual([RETENTION_SCHEDULER_ID]);
    const scheduler = await queue.getJobScheduler(RETENTION_SCHEDULER_ID);
    expect(scheduler).toMatchObject({ name: 'maintenance.retention', every: 1000, template: { data: { retentionDays: 7, batchSize: 500 } } });

    const jobId = await firstScheduled;
    expect((await queue.getJob(jobId))?.name).toBe('maintenance.retention');
    expect(await exists(old.file)).toBe(false);
    expect(await infra.repos.blobs.get(t, old.id)).toBeNull();

    // The audit retention alone keeps the schedule; only both at 0 remove it.
    expect(await scheduleRetention(queue, { retentionDays: 0, auditRetentionDays: 36_500, intervalMs: 3_600_000 })).toBe('scheduled');
    expect(await queue.getJobScheduler(RETENTION_SCHEDULER_ID)).toMatchObject({ template: { data: { retentionDays: 0, auditRetentionDays: 36_500 } } });
    expect(await scheduleRetention(queue, { retentionDays: 0, auditRetentionDays: 0, intervalMs: 1_000 })).toBe('removed');
    expect(await queue.getJobSchedulersCount()).toBe(0);
  });

  it('runs one purge at a time across workers (global concurrency 1), so runs never overlap', async () => {
    const queue = queues[QUEUES.maintenance];
    await scheduleRetention(queue, { retentionDays: 0, intervalMs: 1_000 });
    expect(await queue.getGlobalConcurrency()).toBe(1);
    const log = createLogger({ name: 'second-worker', level: 'silent' });
    const second = createQueueWorker(
      QUEUES.maintenance,
      { 'maintenance.retention': retentionPurgeProcessor({ db: infra.db, repos: infra.repos, blobs: infra.blobs, log }) },
      { connection: infra.newRedis('worker'), concurrency: 1 },
    );
    try {
      await second.waitUntilReady();
      const t = (await infra.repos.tenants.create({ name: `c-${randomUUID()}` })).tenant.id;
      for (let i = 0; i < 20; i++) await backdate('blob', (await blob(t, 'image')).id, 45);
      const jobs = await Promise.all([1, 2, 3].map(() => enqueue(queues, 'maintenance.retention', { retentionDays: 30, batchSize: 5 }, { jobId: `retention-test-${randomUUID()}` })));
      const results = await Promise.all(jobs.map((j) => j.waitUntilFinished(events, 60_000) as Promise<Record<string, number>>));
      expect(results.map((r) => r.images ?? 0).reduce((a, b) => a + b, 0)).toBe(20);
      const spans = (await Promise.all(jobs.map((j) => queue.getJob(j.id!)))).map((j) => [j!.processedOn!, j!.finishedOn!] as const).sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
      expect(await infra.repos.audit.list(t, { action: 'retention.purge', resourceType: 'image', limit: 100 })).toHaveLength(20);
    } finally {
      await second.close();
    }
  });
});
