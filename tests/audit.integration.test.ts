import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '@biogate/contracts';
import { createQueueEvents, createQueues, enqueue } from '@biogate/queue';
import { sampleMedia } from '@biogate/testing';
import { hashApiKey } from '../apps/api/src/plugins/auth.ts';
import { startStack, type Stack } from './support/stack.ts';
import { waitForJobs } from './support/job-polling.ts';
import { createSecondTenant, DATABASE_VARIANTS, startVariantStack } from './support/seed-photos.ts';

/**
 * The audit log over HTTP on the whole product (PGlite, and PostgreSQL with TEST_DATABASE_URL): every read or
 * change of a biometric record leaves its event, with the API key id as actor and no biometric data, in
 * GET /v1/audit of its own tenant only.
 */
const ADMIN_KEY = 'audit-test-admin-key-0123456789';
const media = sampleMedia();
const audrey = readFileSync(media.photos['audrey.jpg']);
/** A second whole face for the update (a tight crop such as audrey_crop.jpg is not enrollable: the face is cut). */
const secondFace = readFileSync(media.photos['bieber_small.jpg']);
const CPF = '529.982.247-25';

type Json = Record<string, any>;
interface AuditEvent { event_id: string; actor: string; action: string; resource_type: string; resource_id: string; details: Json | null; created_at: string }

function form(fields: Record<string, string | Buffer>): FormData {
  const fd = new FormData();
  fd.append('client_declaration_enduser_consent', 'true');
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === 'string') fd.append(k, v);
    else fd.append(k, new Blob([new Uint8Array(v)], { type: 'image/jpeg' }), `${k}.jpg`);
  }
  return fd;
}

describe.each(DATABASE_VARIANTS)('audit log on $name', ({ postgres }) => {
  const skip = postgres && !process.env.TEST_DATABASE_URL;
  let stack: Stack;
  let drop: (() => Promise<void>) | undefined;
  let keyId: string;
  let otherKey: string;

  beforeAll(async () => {
    if (skip) return;
    ({ stack, drop } = await startVariantStack(postgres, startStack, { BIOGATE_ADMIN_KEY: ADMIN_KEY, BIOGATE_RETENTION_DAYS: '30', BIOGATE_AUDIT_RETENTION_DAYS: '400' }));
    keyId = (await stack.infra.repos.tenants.findByApiKeyHash(hashApiKey(stack.apiKey)))!.apiKey.id;
    otherKey = await createSecondTenant(stack, ADMIN_KEY);
  });
  afterAll(async () => {
    await stack?.close();
    await drop?.();
  });

  async function call(method: string, path: string, body?: FormData | Json, key?: string): Promise<{ status: number; body: Json }> {
    const init: RequestInit & { key?: string } = { method, ...(key ? { key } : {}) };
    if (body instanceof FormData) init.body = body;
    else if (body) {
      init.body = JSON.stringify(body);
      init.headers = { 'content-type': 'application/json' };
    }
    const res = await stack.request(path, init);
    return { status: res.status, body: (await res.json()) as Json };
  }
  /** Every event of the caller's tenant (or of one resource), newest first, following the cursor. */
  async function events(query = '', key?: string): Promise<AuditEvent[]> {
    const all: AuditEvent[] = [];
    let cursor: string | null = null;
    do {
      const page = await call('GET', `/v1/audit?limit=50${query}${cursor ? `&cursor=${cursor}` : ''}`, undefined, key);
      expect(page.status).toBe(200);
      all.push(...(page.body.events as AuditEvent[]));
      cursor = page.body.next_cursor as string | null;
    } while (cursor);
    return all;
  }
  const actionsOf = async (resourceId: string) => (await events(`&resource_id=${resourceId}`)).map((e) => e.action).sort();

  it.skipIf(skip)('records enrollment create, list, update, compare against its user_token and delete, and every upload', async () => {
    const created = await call('POST', '/v1/enrollments', form({ image_file: audrey }));
    expect(created.status).toBe(200);
    const token = created.body.user_token as string;
    expect((await call('GET', '/v1/enrollments')).status).toBe(200);
    expect((await call('PUT', `/v1/enrollments/${token}`, form({ image_file: secondFace }))).status).toBe(200);
    expect((await call('POST', '/v1/face/compare', form({ image_file: audrey, user_token: token }))).status).toBe(200);
    expect((await call('DELETE', `/v1/enrollments/${token}`)).status).toBe(200);

    expect(await actionsOf(token)).toEqual(['enrollment.compare', 'enrollment.create', 'enrollment.delete', 'enrollment.update']);
    const log = await events();
    const list = log.find((e) => e.action === 'enrollment.list');
    expect(list).toMatchObject({ resource_type: 'enrollment', resource_id: '*', details: { count: 1 } });
    // Three uploads (enroll, update, compare): each stored image is recorded, and erased ones too.
    const uploads = log.filter((e) => e.action === 'image.create');
    expect(uploads.length).toBeGreaterThanOrEqual(3);
    for (const upload of uploads.slice(0, 3)) expect(upload.details).toMatchObject({ jobId: expect.any(String) });
    // The first image (replaced by the update) and the compare probe (not kept) were erased.
    expect(log.filter((e) => e.action === 'image.delete').length).toBeGreaterThanOrEqual(2);
    for (const e of log) {
      expect(e.actor).toBe(keyId);
      expect(JSON.stringify(e)).not.toContain(stack.apiKey);
    }
  });

  it.skipIf(skip)('records image upload and reads, registration and validation create/read, deletions and job result reads', async () => {
    const image = await call('POST', '/face_recognition/image', { image: audrey.toString('base64') });
    expect(image.status).toBe(200);
    const key = image.body.image_key as string;
    const reg = await call('POST', '/face_recognition/registration', { document_number: CPF, image_key: key });
    expect(reg.status).toBe(200);
    const registrationKey = reg.body.registration_key as string;
    const val = await call('POST', '/face_recognition/validation', { document_number: CPF, image: audrey.toString('base64') });
    expect(val.status).toBe(200);
    const validationKey = val.body.validation_key as string;
    for (const path of [`/face_recognition/image/${key}`, `/face_recognition/image/${key}/file`, `/face_recognition/image/${key}/cropped_file`,
      `/face_recognition/registration/${registrationKey}`, `/face_recognition/validation/${validationKey}`]) {
      expect((await stack.request(path)).status).toBe(200);
    }
    expect(await actionsOf(key)).toEqual(['image.create', 'image.crop.read', 'image.metadata.read', 'image.read']);
    expect(await actionsOf(registrationKey)).toEqual(['registration.create', 'registration.read']);
    expect(await actionsOf(validationKey)).toEqual(['validation.create', 'validation.read']);
    const validationEvent = (await events(`&resource_id=${validationKey}&action=validation.create`))[0];
    expect(validationEvent?.details).toMatchObject({ registrationId: registrationKey });

    // A job's result read is recorded once the job has a result (status polls before that are not).
    const accepted = await call('POST', '/v1/face/detect?async=true', form({ image_file: audrey }));
    expect(accepted.status).toBe(202);
    const jobId = accepted.body.job_id as string;
    await waitForJobs((p) => stack.request(p), [jobId], { timeoutMs: 120_000 });
    const reads = (await actionsOf(jobId)).filter((a) => a === 'job.read').length;
    expect(reads).toBeGreaterThanOrEqual(1);
    expect((await call('GET', `/v1/jobs/${jobId}`)).status).toBe(200);
    expect((await actionsOf(jobId)).filter((a) => a === 'job.read')).toHaveLength(reads + 1);

    // Deleting the image erases the registration made from it: both are recorded.
    expect((await call('DELETE', `/face_recognition/image/${key}`)).status).toBe(200);
    expect((await events(`&resource_id=${key}&action=image.delete`))[0]).toMatchObject({ actor: keyId, resource_type: 'image', details: { registrations: 1 } });
    expect((await events(`&resource_id=${registrationKey}&action=registration.delete`))[0]).toMatchObject({ details: { imageId: key } });
    const second = await call('POST', '/face_recognition/registration', { document_number: CPF, image: audrey.toString('base64') });
    expect(second.status).toBe(200);
    expect((await call('DELETE', `/face_recognition/registration/${second.body.registration_key}`)).status).toBe(200);
    expect(await actionsOf(second.body.registration_key as string)).toEqual(['registration.create', 'registration.delete']);
  });

  it.skipIf(skip)('records the retention purge and drops old events, scheduled by the worker from BIOGATE_RETENTION_DAYS and BIOGATE_AUDIT_RETENTION_DAYS', async () => {
    const image = await call('POST', '/face_recognition/image', { image: audrey.toString('base64') });
    const key = image.body.image_key as string;
    await stack.infra.db.prisma.$executeRaw`UPDATE "Blob" SET "createdAt" = ${new Date(Date.now() - 40 * 86_400_000)} WHERE id = ${key}`;
    // The upload's own event, made 500 days old: past BIOGATE_AUDIT_RETENTION_DAYS=400.
    const upload = (await events(`&resource_id=${key}&action=image.create`))[0]!;
    await stack.infra.db.prisma.$executeRaw`UPDATE "AuditEvent" SET "createdAt" = ${new Date(Date.now() - 500 * 86_400_000)} WHERE id = ${upload.event_id}`;
    const queues = createQueues(stack.infra.newRedis('producer'));
    const queueEvents = createQueueEvents(QUEUES.maintenance, stack.infra.newRedis('worker'));
    try {
      // The worker started with BIOGATE_RETENTION_DAYS=30 upserted the schedule.
      expect(await queues[QUEUES.maintenance].getJobScheduler('retention-purge')).toMatchObject({ template: { data: { retentionDays: 30, auditRetentionDays: 400 } } });
      await queueEvents.waitUntilReady();
      const job = await enqueue(queues, 'maintenance.retention', { retentionDays: 30, auditRetentionDays: 400, batchSize: 500 }, { jobId: `audit-test-${randomUUID()}` });
      await job.waitUntilFinished(queueEvents, 60_000);
    } finally {
      await queueEvents.close();
      await Promise.all(Object.values(queues).map((q) => q.close()));
    }
    expect((await events(`&resource_id=${key}&action=retention.purge`))[0]).toMatchObject({ actor: 'system:retention', resource_type: 'image' });
    expect((await call('GET', `/face_recognition/image/${key}`)).status).toBe(404);
    const summary = (await events('&action=retention.purge&resource_type=tenant'))[0];
    expect(summary?.details).toMatchObject({ images: 1, retentionDays: 30 });
    // The old upload event is gone (the purge's own event for the image stays); the audit purge left its count.
    expect(await actionsOf(key)).toEqual(['retention.purge']);
    const auditPurge = await events('&action=audit.purge');
    expect(auditPurge).toHaveLength(1);
    expect(auditPurge[0]).toMatchObject({ actor: 'system:retention', resource_type: 'tenant', details: { auditEvents: 1, auditRetentionDays: 400 } });
  });

  it.skipIf(skip)('shows each tenant only its own events, pages with a cursor and refuses bad queries with 400', async () => {
    const mine = await events();
    expect(mine.length).toBeGreaterThan(10);
    const theirsBefore = await events('', otherKey);
    expect(theirsBefore).toEqual([]);
    expect((await call('GET', '/v1/enrollments', undefined, otherKey)).status).toBe(200);
    const theirs = await events('', otherKey);
    expect(theirs.map((e) => e.action)).toEqual(['enrollment.list']);
    expect(theirs[0]!.actor).not.toBe(keyId);
    for (const e of mine.filter((m) => m.resource_id !== '*').slice(0, 20)) {
      expect(await events(`&resource_id=${e.resource_id}`, otherKey)).toEqual([]);
    }
    expect((await events()).map((e) => e.event_id)).not.toContain(theirs[0]!.event_id);

    const firstPage = await call('GET', '/v1/audit?limit=3');
    expect(firstPage.body.events).toHaveLength(3);
    const secondPage = await call('GET', `/v1/audit?limit=3&cursor=${firstPage.body.next_cursor}`);
    const all = (await events()).map((e) => e.event_id);
    expect([...firstPage.body.events, ...secondPage.body.events].map((e: AuditEvent) => e.event_id)).toEqual(all.slice(0, 6));
    for (const bad of ['limit=0', 'limit=501', 'limit=x', 'cursor=bm90LWEtY3Vyc29y']) {
      const res = await call('GET', `/v1/audit?${bad}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_request');
    }
    expect((await stack.request('/v1/audit', { key: null })).status).toBe(401);

    // The admin API reads any tenant's log, the same pages.
    const other = (await stack.infra.repos.tenants.findByApiKeyHash(hashApiKey(otherKey)))!.tenant.id;
    const admin = (path: string) => stack.request(path, { key: null, headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    const adminPage = (await (await admin(`/admin/tenants/${other}/audit?limit=10`)).json()) as Json;
    expect(adminPage).toEqual({ events: theirs, next_cursor: null });
    expect((await admin(`/admin/tenants/${randomUUID()}/audit`)).status).toBe(404);
    expect((await admin(`/admin/tenants/${other}/audit?limit=0`)).status).toBe(400);
    expect((await stack.request(`/admin/tenants/${other}/audit`)).status).toBe(401);
  });

  it.skipIf(skip)('documents GET /v1/audit and the DELETE extensions in the OpenAPI document', async () => {
    const doc = (await (await stack.request('/openapi.json', { key: null })).json()) as Json;
    expect(doc.paths['/v1/audit']?.get?.summary).toMatch(/audit/i);
    expect(doc.paths['/v1/audit'].get.parameters.map((p: Json) => p.name).sort()).toEqual(['action', 'cursor', 'limit', 'resource_id', 'resource_type']);
    expect(doc.paths['/face_recognition/image/{image_key}']?.delete?.responses).toHaveProperty('404');
    expect(doc.paths['/face_recognition/registration/{registration_key}']?.delete?.responses).toHaveProperty('404');
  });
});
