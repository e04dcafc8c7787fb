import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDatabase, sampleMedia } from '@biogate/testing';
import { verifyWebhook } from '@biogate/webhooks';
import { startStack, type Stack } from './support/stack.ts';
import { startWebhookReceiver } from './support/webhook-receiver.ts';

/**
 * Issue 3's done criteria on the embedded stack (PGlite + private redis-server + worker + API), and the
 * same flows on PostgreSQL when TEST_DATABASE_URL is set.
 */
const media = sampleMedia();
const photo = readFileSync(media.photos['audrey.jpg']);

function form(fields: Record<string, string | Buffer>): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    // A third argument (even undefined) makes FormData demand a Blob, so strings take the two-argument form.
    if (typeof v === 'string') fd.append(k, v);
    else fd.append(k, new Blob([new Uint8Array(v)], { type: 'image/jpeg' }), 'upload.jpg');
  }
  return fd;
}

const variants = [
  { name: 'PGlite', databaseUrl: undefined as string | undefined },
  ...(process.env.TEST_DATABASE_URL ? [{ name: 'PostgreSQL', databaseUrl: 'postgres' }] : []),
];

describe.each(variants)('foundation on $name', ({ databaseUrl }) => {
  let stack: Stack;
  let dropDb: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    let url: string | undefined;
    if (databaseUrl) {
      const temp = await createTempDatabase();
      url = temp.url;
      dropDb = temp.drop;
    }
    stack = await startStack(url ? { databaseUrl: url } : {});
  });
  afterAll(async () => {
    await stack?.close();
    await dropDb?.();
  });

  it('answers /health 200 once database, Redis and a worker are ready, without a key', async () => {
    const res = await stack.request('/health', { key: null });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', checks: { database: 'ok', redis: 'ok' } });
  });

  it('detects one face with 68 landmarks synchronously (multipart)', async () => {
    const res = await stack.request('/v1/face/detect', {
      method: 'POST',
      body: form({ client_declaration_enduser_consent: 'true', image_file: photo }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { total_faces: number; faces: Array<{ landmarks: object; bounding_box: number[] }>; time_taken: number };
    expect(body.total_faces).toBe(1);
    expect(Object.keys(body.faces[0]!.landmarks)).toHaveLength(68);
    const [x1, y1, x2, y2, w, h] = body.faces[0]!.bounding_box;
    expect(x2! - x1!).toBe(w);
    expect(y2! - y1!).toBe(h);
    expect(body.time_taken).toBeGreaterThan(0);
  });

  it('accepts JSON base64 and answers 202 + a pollable job with ?async=true', async () => {
    const res = await stack.request('/v1/face/detect?async=true', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ image: photo.toString('base64'), client_declaration_enduser_consent: true }),
    });
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as { job_id: string; status_url: string };
    expect(accepted.status_url).toBe(`/v1/jobs/${accepted.job_id}`);
    let job: { status: string; result?: { total_faces: number } } = { status: 'queued' };
    for (let i = 0; i < 300 && job.status !== 'completed' && job.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await (await stack.request(accepted.status_url)).json()) as typeof job;
    }
    expect(job.status).toBe('completed');
    expect(job.result?.total_faces).toBe(1);
  });

  it('delivers the result to callback_url as a signed Standard Webhook', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const res = await stack.request('/v1/face/detect', {
        method: 'POST',
        body: form({ client_declaration_enduser_consent: 'true', callback_url: receiver.url, image_file: photo }),
      });
      expect(res.status).toBe(202);
      const { job_id } = (await res.json()) as { job_id: string };
      const hook = await receiver.next(60_000);
      const headers = Object.fromEntries(Object.entries(hook.headers).map(([k, v]) => [k, String(v)]));
      expect(verifyWebhook(stack.webhookSecret, headers, hook.body)).toBe(true);
      const event = JSON.parse(hook.body) as { type: string; data: { job_id: string; result: { total_faces: number; faces: Array<{ landmarks: object }> } } };
      expect(event.type).toBe('job.completed');
      expect(event.data.job_id).toBe(job_id);
      expect(Object.keys(event.data.result.faces[0]!.landmarks)).toHaveLength(68);
      // The attempt is recorded and visible on the job.
      await expect
        .poll(async () => {
          const job = (await (await stack.request(`/v1/jobs/${job_id}`)).json()) as { webhook_deliveries: Array<{ status: string }> };
          return job.webhook_deliveries[0]?.status;
        })
        .toBe('delivered');
    } finally {
      await receiver.close();
    }
  });

  it('refuses requests without a valid API key, in every accepted scheme', async () => {
    expect((await stack.request('/v1/jobs/00000000-0000-0000-0000-000000000000', { key: null })).status).toBe(401);
    expect((await stack.request('/v1/enrollments', { key: 'bg_wrong_key_wrong_key' })).status).toBe(401);
    const basic = `Basic ${Buffer.from(`anyone:${stack.apiKey}`).toString('base64')}`;
    expect((await stack.request('/v1/enrollments', { key: null, headers: { authorization: basic } })).status).toBe(200);
    expect((await stack.request('/v1/enrollments', { key: null, headers: { authorization: stack.apiKey } })).status).toBe(200);
  });

  it('answers every bad input with a clear 4xx and keeps running', async () => {
    const truncated = photo.subarray(0, Math.floor(photo.length / 2));
    const hugePng = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } }).png().toBuffer();
    // Rewrite the IHDR width/height to 100000 x 100000 (the CRC is left stale, as an attacker might).
    hugePng.writeUInt32BE(100_000, 16);
    hugePng.writeUInt32BE(100_000, 20);
    const cases: Array<{ name: string; init: RequestInit; status: number; code: string }> = [
      { name: 'no file', init: { method: 'POST', body: form({ client_declaration_enduser_consent: 'true' }) }, status: 400, code: 'image_missing' },
      { name: 'empty file', init: { method: 'POST', body: form({ client_declaration_enduser_consent: 'true', image_file: Buffer.alloc(0) }) }, status: 400, code: 'image_empty' },
      { name: 'not an image', init: { method: 'POST', body: form({ client_declaration_enduser_consent: 'true', image_file: Buffer.from('hello, I am text') }) }, status: 415, code: 'unsupported_media_type' },
      { name: 'truncated JPEG', init: { method: 'POST', body: form({ client_declaration_enduser_consent: 'true', image_file: truncated }) }, status: 400, code: 'image_corrupt' },
      { name: 'PNG declaring huge dimensions', init: { method: 'POST', body: form({ client_declaration_enduser_consent: 'true', image_file: hugePng }) }, status: 400, code: 'image_dimensions_too_large' },
      { name: 'more than 3 MB', init: { method: 'POST', body: form({ client_declaration_enduser_consent: 'true', image_file: Buffer.alloc(3 * 1024 * 1024 + 10, 1) }) }, status: 413, code: 'image_too_large' },
      { name: 'broken base64', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ image: '***not base64***', client_declaration_enduser_consent: true }) }, status: 400, code: 'image_invalid_base64' },
      { name: 'missing consent', init: { method: 'POST', body: form({ image_file: photo }) }, status: 400, code: 'consent_required' },
      { name: 'consent false', init: { method: 'POST', body: form({ client_declaration_enduser_consent: 'false', image_file: photo }) }, status: 400, code: 'consent_required' },
      { name: 'malformed JSON', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"image": ' }, status: 400, code: 'invalid_request' },
    ];
    for (const c of cases) {
      const res = await stack.request('/v1/face/detect', c.init);
      const body = (await res.json()) as { code: string; title: string; description: string };
      expect({ name: c.name, status: res.status, code: body.code }).toEqual({ name: c.name, status: c.status, code: c.code });
      expect(body.title).toBeTruthy();
      expect(body.description).toBeTruthy();
    }
    expect((await stack.request('/health', { key: null })).status).toBe(200);
  });

  it('serves an OpenAPI 3.1 document and a browsable reference', async () => {
    const doc = (await (await stack.request('/openapi.json', { key: null })).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/face/detect', '/v1/jobs/{id}', '/face_recognition/image']));
    const ui = await stack.request('/docs', { key: null });
    expect(ui.status).toBeLessThan(400);
  });
});

describe('webhook retries, failure and redelivery', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { WEBHOOK_RETRY_SCHEDULE_MS: '100,200', WEBHOOK_TIMEOUT_MS: '1000' } });
  });
  afterAll(async () => stack?.close());

  const detectWithCallback = async (url: string) => {
    const res = await stack.request('/v1/face/detect', {
      method: 'POST',
      body: form({ client_declaration_enduser_consent: 'true', callback_url: url, image_file: photo }),
    });
    expect(res.status).toBe(202);
    return ((await res.json()) as { job_id: string }).job_id;
  };
  const deliveriesOf = async (jobId: string) =>
    ((await (await stack.request(`/v1/jobs/${jobId}`)).json()) as {
      webhook_deliveries: Array<{ delivery_id: string; status: string; attempts: number; last_status_code: number | null }>;
    }).webhook_deliveries;

  it('retries 5xx on the schedule, then succeeds, recording every attempt', async () => {
    const receiver = await startWebhookReceiver((call) => (call < 3 ? 503 : 200));
    try {
      const jobId = await detectWithCallback(receiver.url);
      await expect.poll(async () => (await deliveriesOf(jobId))[0]?.status, { timeout: 60_000 }).toBe('delivered');
      expect((await deliveriesOf(jobId))[0]).toMatchObject({ attempts: 3, last_status_code: 200 });
      // Same webhook-id on every attempt, so receivers can de-duplicate.
      expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    } finally {
      await receiver.close();
    }
  });

  it('marks a delivery failed after the schedule, and redelivers on request', async () => {
    let accept = false;
    const receiver = await startWebhookReceiver(() => (accept ? 200 : 500));
    try {
      const jobId = await detectWithCallback(receiver.url);
      await expect.poll(async () => (await deliveriesOf(jobId))[0]?.status, { timeout: 60_000 }).toBe('failed');
      const [failed] = await deliveriesOf(jobId);
      expect(failed).toMatchObject({ attempts: 3, last_status_code: 500 });
      accept = true;
      const redeliver = await stack.request(`/v1/webhooks/deliveries/${failed!.delivery_id}/redeliver`, { method: 'POST' });
      expect(redeliver.status).toBe(202);
      await expect.poll(async () => (await deliveriesOf(jobId))[0]?.status, { timeout: 60_000 }).toBe('delivered');
    } finally {
      await receiver.close();
    }
  });

  it('treats a 4xx answer as permanent: one attempt, failed', async () => {
    const receiver = await startWebhookReceiver(() => 410);
    try {
      const jobId = await detectWithCallback(receiver.url);
      await expect.poll(async () => (await deliveriesOf(jobId))[0]?.status, { timeout: 60_000 }).toBe('failed');
      expect((await deliveriesOf(jobId))[0]).toMatchObject({ attempts: 1, last_status_code: 410 });
      expect(receiver.received).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });
});
