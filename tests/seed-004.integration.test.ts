import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './support/stack.ts';
import { fragmentsOf } from './support/leak-detectors.ts';
import { scanRedisForLeaks } from './support/redis-scan.ts';
import { createSecondTenant, DATABASE_VARIANTS, inputBlobOfJob, seedPhotos, startVariantStack, type SeedPhotos } from './support/seed-photos.ts';

/**
 * Seed 004 `POST /api/v1/face/detect` served by the whole product, with Basic auth as the seed documents, on
 * PGlite and (with TEST_DATABASE_URL) PostgreSQL.
 */
const ADMIN_KEY = 'seed-004-admin-key-0123456789';

interface DetectBody {
  sessionId: string | null;
  hasError: boolean;
  error?: string;
  code?: string;
  message?: string;
  face?: {
    age: number;
    gender: number;
    passiveLivenessScore: number;
    rectangle: { top: number; left: number; width: number; height: number };
    faceImageBase?: string;
  };
}

describe.each(DATABASE_VARIANTS)('seed 004 detect with liveness on $name', ({ name, postgres }) => {
  const skip = postgres && !process.env.TEST_DATABASE_URL;
  let stack: Stack;
  let drop: (() => Promise<void>) | undefined;
  let photos: SeedPhotos;

  const basic = (key: string) => `Basic ${Buffer.from(`client:${key}`).toString('base64')}`;
  async function detect(body: unknown, init: { key?: string; query?: string; raw?: string } = {}) {
    const res = await stack.request(`/api/v1/face/detect${init.query ?? ''}`, {
      method: 'POST',
      key: null,
      headers: { authorization: basic(init.key ?? stack.apiKey), 'content-type': 'application/json' },
      body: init.raw ?? JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as DetectBody };
  }
  const request = (image: Buffer, returnFaceImage = false) => ({
    sessionId: randomUUID(),
    faceImageBase: image.toString('base64'),
    returnFaceImage,
  });

  beforeAll(async () => {
    if (skip) return;
    photos = await seedPhotos();
    ({ stack, drop } = await startVariantStack(postgres, startStack, { BIOGATE_ADMIN_KEY: ADMIN_KEY }));
  });
  afterAll(async () => {
    await stack?.close();
    await drop?.();
  });

  it.skipIf(skip)(`answers the face with age, gender, liveness score, rectangle and the worker's crop (${name})`, async () => {
    const req = request(photos.framed, true);
    const { status, body } = await detect(req);
    expect(status).toBe(200);
    expect(body).toMatchObject({ sessionId: req.sessionId, hasError: false });
    const face = body.face!;
    expect(Number.isInteger(face.age)).toBe(true);
    expect(face.age).toBeGreaterThan(5);
    expect(face.age).toBeLessThan(90);
    expect([0, 1]).toContain(face.gender);
    expect(face.passiveLivenessScore).toBeGreaterThanOrEqual(0);
    expect(face.passiveLivenessScore).toBeLessThanOrEqual(1);
    // The framed photo is 800x700 with the face around x 332-484, y 229-414.
    const r = face.rectangle;
    expect(r.left).toBeGreaterThan(300);
    expect(r.top).toBeGreaterThan(200);
    expect(r.left + r.width).toBeLessThan(520);
    expect(r.top + r.height).toBeLessThan(450);
    const crop = await sharp(Buffer.from(face.faceImageBase!, 'base64')).metadata();
    expect(crop.format).toBe('jpeg');
    expect(crop.width).toBeGreaterThanOrEqual(r.width * 0.8);
    expect(crop.width).toBeLessThanOrEqual(r.width * 2);
  });

  it.skipIf(skip)('omits faceImageBase unless asked, and accepts Bearer as well as Basic', async () => {
    const res = await stack.request('/api/v1/face/detect', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request(photos.framed, false)),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as DetectBody;
    expect(body.hasError).toBe(false);
    expect(body.face).not.toHaveProperty('faceImageBase');
  });

  it.skipIf(skip)('answers each face outcome as 200 hasError with the seed enum', async () => {
    const cases: Array<[keyof SeedPhotos, string]> = [
      ['noFace', 'FACE_NOT_FOUND'],
      ['twoFaces', 'TOO_MANY_FACES'],
      ['audrey', 'FACE_TOO_CLOSE'],
      ['cutLeft', 'FACE_CROPPED'],
      ['nearBorder', 'FACE_CLOSE_TO_BORDER'],
      ['tiny', 'FACE_TOO_SMALL'],
    ];
    for (const [photo, error] of cases) {
      const req = request(photos[photo], true);
      const { status, body } = await detect(req);
      expect({ photo, status, body }).toEqual({ photo, status: 200, body: { sessionId: req.sessionId, hasError: true, error } });
    }
  });

  it.skipIf(skip)('refuses bad input with the seed envelope and a stable code, never fetching URLs', async () => {
    const sessionId = 'input-checks';
    const cases: Array<[string, unknown, number, string, string]> = [
      ['URL instead of base64', { sessionId, faceImageBase: 'https://example.com/face.jpg' }, 400, 'INVALID_REQUEST', 'invalid_request'],
      ['no sessionId', { faceImageBase: photos.audrey.toString('base64') }, 400, 'INVALID_REQUEST', 'invalid_request'],
      ['no image', { sessionId }, 400, 'INVALID_REQUEST', 'image_missing'],
      ['broken base64', { sessionId, faceImageBase: '***' }, 400, 'INVALID_REQUEST', 'image_invalid_base64'],
      ['not an image', { sessionId, faceImageBase: Buffer.from('text, not a photo').toString('base64') }, 415, 'INVALID_REQUEST', 'unsupported_media_type'],
      ['truncated JPEG', { sessionId, faceImageBase: photos.audrey.subarray(0, 4000).toString('base64') }, 400, 'INVALID_REQUEST', 'image_corrupt'],
      ['more than 3 MB', { sessionId, faceImageBase: Buffer.alloc(3 * 1024 * 1024 + 10, 1).toString('base64') }, 413, 'INVALID_REQUEST', 'image_too_large'],
      ['returnFaceImage not boolean', { sessionId, faceImageBase: photos.audrey.toString('base64'), returnFaceImage: 'maybe' }, 400, 'INVALID_REQUEST', 'invalid_request'],
    ];
    for (const [label, body, status, error, code] of cases) {
      const res = await detect(body);
      expect({ label, status: res.status, error: res.body.error, code: res.body.code, hasError: res.body.hasError }).toEqual({ label, status, error, code, hasError: true });
      if (label !== 'no sessionId') expect(res.body.sessionId).toBe(sessionId);
    }
    const malformed = await detect(undefined, { raw: '{"sessionId": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ hasError: true, error: 'INVALID_REQUEST' });
  });

  it.skipIf(skip)('answers 401 UNAUTHORIZED in the seed envelope for a wrong or missing key', async () => {
    const wrong = await detect(request(photos.audrey), { key: 'bg_not_a_real_key' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ sessionId: null, hasError: true, error: 'UNAUTHORIZED', code: 'unauthorized' });
    const none = await stack.request('/api/v1/face/detect', { method: 'POST', key: null, headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(none.status).toBe(401);
  });

  it.skipIf(skip)('runs asynchronously with ?async=true; another tenant cannot read the job', async () => {
    const req = request(photos.framed, true);
    const res = await stack.request('/api/v1/face/detect?async=true', {
      method: 'POST',
      key: null,
      headers: { authorization: basic(stack.apiKey), 'content-type': 'application/json' },
      body: JSON.stringify(req),
    });
    expect(res.status).toBe(202);
    const { job_id } = (await res.json()) as { job_id: string };
    await expect
      .poll(async () => ((await (await stack.request(`/v1/jobs/${job_id}`)).json()) as { status: string }).status, { timeout: 60_000, interval: 200 })
      .toBe('completed');
    const job = (await (await stack.request(`/v1/jobs/${job_id}`)).json()) as { result: DetectBody };
    expect(job.result).toMatchObject({ sessionId: req.sessionId, hasError: false });
    // The seed offers no retrieval of the photo: it is erased once analysed.
    expect(await inputBlobOfJob(stack, job_id)).toBeNull();
    const otherKey = await createSecondTenant(stack, ADMIN_KEY);
    expect((await stack.request(`/v1/jobs/${job_id}`, { key: otherKey })).status).toBe(404);
    expect((await detect(request(photos.framed), { key: otherKey })).body.hasError).toBe(false);
  });

  it.skipIf(skip)('keeps the upload and the face crop out of Redis (job payloads, results, events)', async () => {
    const { body } = await detect(request(photos.framed, true));
    const crop = Buffer.from(body.face!.faceImageBase!, 'base64');
    const { keys, hits } = await scanRedisForLeaks(stack, [...fragmentsOf(photos.framed), ...fragmentsOf(crop), body.face!.faceImageBase!.slice(100, 160)]);
    expect(keys).toBeGreaterThan(0);
    expect(hits).toEqual([]);
  });

  it.skipIf(skip)('is documented in /openapi.json', async () => {
    type Op = { responses: Record<string, { content?: Record<string, { schema: { properties?: Record<string, unknown> } }> }> };
    const doc = (await (await stack.request('/openapi.json', { key: null })).json()) as { paths: Record<string, { post: Op }> };
    const op = doc.paths['/api/v1/face/detect']!.post;
    expect(Object.keys(op.responses['200']!.content!['application/json']!.schema.properties!)).toEqual(
      expect.arrayContaining(['sessionId', 'hasError', 'face', 'error']),
    );
  });
});
