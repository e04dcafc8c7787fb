import { request as httpRequest } from 'node:http';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptImageForBiogate } from '../docs/client/encrypt-image.ts';
import { startStack, type Stack } from './support/stack.ts';
import { fragmentsOf } from './support/leak-detectors.ts';
import { scanRedisForLeaks } from './support/redis-scan.ts';
import { createSecondTenant, DATABASE_VARIANTS, inputBlobOfJob, seedPhotos, startVariantStack, type SeedPhotos } from './support/seed-photos.ts';

/**
 * Seed 003 `POST /quality/face/stateless` served by the whole product (API + queue + worker + database), field
 * for field, on PGlite and (with TEST_DATABASE_URL) PostgreSQL.
 */
const ADMIN_KEY = 'seed-003-admin-key-0123456789';

interface QualityFace {
  rect: { left: number; top: number; right: number; bottom: number };
  pose: { yaw: number; pitch: number; roll: number };
  occlusion: { left_eye: number; right_eye: number; nose: number; mouth: number; total: number };
  distance2center: number;
  size: number;
  brightness: number;
  sharpness: number;
  mouth_open: number;
  integrity: number;
}
interface QualityBody {
  code: number;
  faces?: QualityFace[];
  message?: string;
  request_id: string;
}

/** The seed's own request: `-d encrypted_image=<base64>` without URL-encoding (so `+` and `/` go as they are). */
const formBody = (fields: Record<string, string>) =>
  Object.entries(fields).map(([k, v]) => `${k}=${v}`).join('&');

describe.each(DATABASE_VARIANTS)('seed 003 quality on $name', ({ name, postgres }) => {
  const skip = postgres && !process.env.TEST_DATABASE_URL;
  let stack: Stack;
  let drop: (() => Promise<void>) | undefined;
  let photos: SeedPhotos;

  async function post(fields: Record<string, string>, init: { key?: string | null; query?: string } = {}) {
    const res = await stack.request(`/quality/face/stateless${init.query ?? ''}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: formBody(fields),
      ...(init.key !== undefined ? { key: init.key } : {}),
    });
    return { status: res.status, body: (await res.json()) as QualityBody };
  }
  const encrypted = (bytes: Buffer, key = stack.apiKey) => ({ encrypted_image: encryptImageForBiogate(bytes, key) });

  beforeAll(async () => {
    if (skip) return;
    photos = await seedPhotos();
    ({ stack, drop } = await startVariantStack(postgres, startStack, { BIOGATE_ADMIN_KEY: ADMIN_KEY }));
  });
  afterAll(async () => {
    await stack?.close();
    await drop?.();
  });

  it.skipIf(skip)(`answers code 1000 with every documented field for an encrypted real photo (${name})`, async () => {
    const { status, body } = await post(encrypted(photos.audrey));
    expect(status).toBe(200);
    expect(body.code).toBe(1000);
    expect(body.request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.faces).toHaveLength(1);
    const face = body.faces![0]!;
    // audrey.jpg is 540x720 with the face around x 157-416, y 158-467.
    expect(face.rect.left).toBeGreaterThan(120);
    expect(face.rect.right).toBeLessThan(450);
    expect(face.rect.top).toBeGreaterThan(120);
    expect(face.rect.bottom).toBeLessThan(520);
    for (const v of Object.values(face.rect)) expect(Number.isInteger(v)).toBe(true);
    for (const v of Object.values(face.pose)) expect(Math.abs(v)).toBeLessThan(30);
    for (const v of Object.values(face.occlusion)) expect(v).toBeGreaterThan(0.5);
    expect(face.distance2center).toBeGreaterThan(0.6);
    expect(face.size).toBeGreaterThan(0.1);
    expect(face.size).toBeLessThan(0.4);
    expect(face.brightness).toBeGreaterThanOrEqual(-1);
    expect(face.brightness).toBeLessThanOrEqual(1);
    expect(face.sharpness).toBeGreaterThan(0);
    expect(face.sharpness).toBeLessThanOrEqual(1);
    expect(face.mouth_open).toBeGreaterThan(0.5);
    expect(face.integrity).toBe(1);
    // Stateless: the photo is erased once measured.
    expect(await inputBlobOfJob(stack, body.request_id)).toBeNull();
  });

  it.skipIf(skip)('accepts a plain base64 `image` as JSON and as a multipart file, with the same measurements', async () => {
    const json = await stack.request('/quality/face/stateless', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ image: photos.audrey.toString('base64') }),
    });
    expect(json.status).toBe(200);
    const jsonBody = (await json.json()) as QualityBody;
    const fd = new FormData();
    fd.append('image', new Blob([new Uint8Array(photos.audrey)], { type: 'image/jpeg' }), 'a.jpg');
    const multi = await stack.request('/quality/face/stateless', { method: 'POST', body: fd });
    expect(multi.status).toBe(200);
    const multiBody = (await multi.json()) as QualityBody;
    expect(multiBody.faces![0]!.rect).toEqual(jsonBody.faces![0]!.rect);
    expect(multiBody.request_id).not.toBe(jsonBody.request_id);
  });

  it.skipIf(skip)('reports every face of a two-person photo', async () => {
    const { status, body } = await post(encrypted(photos.twoFaces));
    expect(status).toBe(200);
    expect(body.faces).toHaveLength(2);
    const [a, b] = body.faces!.map((f) => f.rect).sort((p, q) => p.left - q.left);
    expect(a!.right).toBeLessThan(540);
    expect(b!.left).toBeGreaterThan(540);
  });

  it.skipIf(skip)('measures degradations in the documented direction', async () => {
    const base = (await post(encrypted(photos.audrey))).body.faces![0]!;
    const dark = (await post(encrypted(photos.dark))).body.faces![0]!;
    const blurred = (await post(encrypted(photos.blurred))).body.faces![0]!;
    const cut = (await post(encrypted(photos.cutLeft))).body.faces![0]!;
    expect(dark.brightness).toBeLessThan(base.brightness - 0.2);
    expect(blurred.sharpness).toBeLessThan(base.sharpness);
    // Cut through the face at the left border: the box starts at the border, far from the centre.
    expect(cut.rect.left).toBeLessThanOrEqual(2);
    expect(cut.distance2center).toBeLessThan(base.distance2center - 0.3);
  });

  it.skipIf(skip)('answers 400 code 4000 when no face is found', async () => {
    const { status, body } = await post(encrypted(photos.noFace));
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: 4000, message: expect.stringMatching(/^detection failed/) });
    expect(body.request_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.skipIf(skip)('maps every refusal to the seed codes and statuses, with request_id', async () => {
    const hugePng = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } }).png().toBuffer();
    hugePng.writeUInt32BE(100_000, 16);
    hugePng.writeUInt32BE(100_000, 20);
    const cases: Array<[string, Record<string, string>, number, number]> = [
      ['no image field', { other: 'x' }, 400, 1200],
      ['both fields', { ...encrypted(photos.audrey), image: photos.audrey.toString('base64') }, 400, 1200],
      ['broken base64', { encrypted_image: '***' }, 400, 1200],
      ['encrypted with another key', encrypted(photos.audrey, 'bg_some_other_key'), 400, 1200],
      ['altered token', { encrypted_image: alter(encryptImageForBiogate(photos.audrey, stack.apiKey)) }, 400, 1200],
      ['huge declared dimensions', encrypted(hugePng), 400, 2003],
      ['empty image', encrypted(Buffer.alloc(0)), 400, 2004],
      ['more than 3 MB', encrypted(Buffer.alloc(3 * 1024 * 1024 + 10, 1)), 413, 2004],
      ['not an image', encrypted(Buffer.from('plain text, not a photo')), 400, 2005],
      ['truncated JPEG', encrypted(photos.audrey.subarray(0, photos.audrey.length >> 1)), 400, 2005],
    ];
    for (const [label, fields, status, code] of cases) {
      const res = await post(fields);
      expect({ label, status: res.status, code: res.body.code }).toEqual({ label, status, code });
      expect(res.body.message).toEqual(expect.any(String));
      expect(res.body.request_id).toEqual(expect.any(String));
    }
  });

  it.skipIf(skip)('answers 401 code 1401 with request_id for a missing or wrong key', async () => {
    for (const key of [null, 'bg_not_a_real_key']) {
      const { status, body } = await post(encrypted(photos.audrey), { key });
      expect(status).toBe(401);
      expect(body).toMatchObject({ code: 1401, request_id: expect.any(String) });
    }
  });

  it.skipIf(skip)('answers 411 code 2004 when the body has no Content-Length', async () => {
    const url = new URL('/quality/face/stateless', stack.url);
    const answer = await new Promise<{ status: number; body: QualityBody }>((resolve, reject) => {
      const req = httpRequest(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/x-www-form-urlencoded', 'transfer-encoding': 'chunked' },
      }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as QualityBody }));
      });
      req.on('error', reject);
      req.end(formBody(encrypted(photos.audrey)));
    });
    expect(answer.status).toBe(411);
    expect(answer.body).toMatchObject({ code: 2004, request_id: expect.any(String) });
  });

  it.skipIf(skip)('runs asynchronously with ?async=true; the result is the job of request_id, invisible to another tenant', async () => {
    const res = await stack.request('/quality/face/stateless?async=true', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: formBody(encrypted(photos.audrey)),
    });
    expect(res.status).toBe(202);
    const { job_id } = (await res.json()) as { job_id: string };
    await expect
      .poll(async () => ((await (await stack.request(`/v1/jobs/${job_id}`)).json()) as { status: string }).status, { timeout: 60_000, interval: 200 })
      .toBe('completed');
    const job = (await (await stack.request(`/v1/jobs/${job_id}`)).json()) as { result: QualityBody };
    expect(job.result).toMatchObject({ code: 1000, request_id: job_id });
    expect(job.result.faces).toHaveLength(1);

    const otherKey = await createSecondTenant(stack, ADMIN_KEY);
    expect((await stack.request(`/v1/jobs/${job_id}`, { key: otherKey })).status).toBe(404);
    // The second tenant's key derives another image key: the first tenant's token means nothing to it.
    const foreign = await post(encrypted(photos.audrey), { key: otherKey });
    expect(foreign.body.code).toBe(1200);
    const own = await post(encrypted(photos.audrey, otherKey), { key: otherKey });
    expect(own.body.code).toBe(1000);
  });

  it.skipIf(skip)('keeps the decrypted photo and the token out of Redis', async () => {
    const token = encryptImageForBiogate(photos.blurred, stack.apiKey);
    expect((await post({ encrypted_image: token })).body.code).toBe(1000);
    const { keys, hits } = await scanRedisForLeaks(stack, [...fragmentsOf(photos.blurred), token.slice(200, 260)]);
    expect(keys).toBeGreaterThan(0);
    expect(hits).toEqual([]);
  });

  it.skipIf(skip)('is documented in /openapi.json', async () => {
    type Op = { requestBody?: { content: Record<string, unknown> }; responses: Record<string, { content?: Record<string, { schema: { properties?: Record<string, unknown> } }> }> };
    const doc = (await (await stack.request('/openapi.json', { key: null })).json()) as { paths: Record<string, { post: Op }> };
    const op = doc.paths['/quality/face/stateless']!.post;
    expect(Object.keys(op.requestBody!.content)).toContain('application/x-www-form-urlencoded');
    expect(Object.keys(op.responses['200']!.content!['application/json']!.schema.properties!)).toEqual(['code', 'faces', 'request_id']);
    expect(Object.keys(op.responses['400']!.content!['application/json']!.schema.properties!)).toEqual(['code', 'message', 'request_id']);
  });
});

/** Flips one bit in the middle of a base64 token. */
function alter(token: string): string {
  const raw = Buffer.from(token, 'base64');
  const at = raw.length >> 1;
  raw[at] = (raw[at] ?? 0) ^ 0x04;
  return raw.toString('base64');
}
