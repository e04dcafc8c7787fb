import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleMedia } from '@biogate/testing';
import { startStack, type Stack } from './support/stack.ts';

/**
 * Seeds 000 (image upload through the quality gate, retrieval) and 002 (registration and validation by CPF)
 * over HTTP on the embedded stack, with real photos and degradations made in code.
 */
const media = sampleMedia();
const audrey = readFileSync(media.photos['audrey.jpg']);
const CPF = '529.982.247-25';

describe('seeds 000 and 002 (/face_recognition)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => stack?.close());

  const post = async (path: string, body: unknown, key?: string) => {
    const res = await stack.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      ...(key ? { key } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  it('approves a good photo, serves its metadata and bytes, and refuses a degraded one with image_status', async () => {
    const ok = await post('/face_recognition/image', { image: audrey.toString('base64') });
    expect(ok.status).toBe(200);
    const meta = await sharp(audrey).metadata();
    expect(ok.body).toEqual({
      image_key: expect.any(String),
      file_size: audrey.length,
      width_px: meta.width,
      height_px: meta.height,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    const key = ok.body.image_key as string;
    expect(await (await stack.request(`/face_recognition/image/${key}`)).json()).toEqual(ok.body);
    const file = await stack.request(`/face_recognition/image/${key}/file`);
    expect(file.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await file.arrayBuffer()).equals(audrey)).toBe(true);
    expect((await stack.request(`/face_recognition/image/${key}/cropped_file`)).status).toBe(404);

    const dark = await sharp(audrey).linear(0.12, 0).jpeg().toBuffer();
    const refused = await post('/face_recognition/image', { image: dark.toString('base64') });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ title: 'image_quality', image_status: 'brightness_problem' });
    expect(refused.body.description).toEqual(expect.any(String));

    const invalid = await post('/face_recognition/image', { image: 'not base64 !!' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.title).not.toBe('image_quality');
  });

  it('registers by CPF with an image_key, then validates: match for the same face, and the crop appears', async () => {
    const image = await post('/face_recognition/image', { image: audrey.toString('base64') });
    const reg = await post('/face_recognition/registration', { document_number: CPF, image_key: image.body.image_key });
    expect(reg.status).toBe(200);
    expect(reg.body).toMatchObject({
      registration_key: expect.any(String),
      registration_status: 'authentic',
      registration_date: expect.any(String),
      document_number: CPF,
      image: { image_key: image.body.image_key },
    });
    const crop = await stack.request(`/face_recognition/image/${image.body.image_key}/cropped_file`);
    expect(crop.status).toBe(200);
    expect((await sharp(Buffer.from(await crop.arrayBuffer())).metadata()).format).toBe('jpeg');

    const val = await post('/face_recognition/validation', { document_number: '52998224725', image: audrey.toString('base64') });
    expect(val.status).toBe(200);
    expect(val.body).toMatchObject({
      validation_key: expect.any(String),
      document_number: CPF,
      registration: { registration_key: reg.body.registration_key },
      validation_result: 'match',
    });
    expect(val.body.similarity_ratio).toBeGreaterThanOrEqual(50);
    const fetched = await (await stack.request(`/face_recognition/validation/${val.body.validation_key}`)).json();
    expect(fetched).toMatchObject({ validation_key: val.body.validation_key, validation_image: val.body.image, validation_result: 'match' });
    expect(await (await stack.request(`/face_recognition/registration/${reg.body.registration_key}`)).json()).toMatchObject({
      registration_key: reg.body.registration_key,
    });
  });

  it('refuses invalid CPFs (400) and unknown ones (404), and hides every record from another tenant', async () => {
    expect((await post('/face_recognition/validation', { document_number: '123.456.789-00', image: audrey.toString('base64') })).status).toBe(400);
    expect((await post('/face_recognition/validation', { document_number: '111.444.777-35', image: audrey.toString('base64') })).status).toBe(404);
    const image = await post('/face_recognition/image', { image: audrey.toString('base64') });
    const reg = await post('/face_recognition/registration', { document_number: CPF, image_key: image.body.image_key });
    expect(reg.status).toBe(200);

    const adminFree = await stack.infra.repos.tenants.create({ name: `other-${Date.now()}` });
    const otherKey = adminFree.apiKeyPlaintext!;
    for (const path of [
      `/face_recognition/image/${image.body.image_key}`,
      `/face_recognition/image/${image.body.image_key}/file`,
      `/face_recognition/registration/${reg.body.registration_key}`,
    ]) {
      expect((await stack.request(path, { key: otherKey })).status).toBe(404);
    }
    expect((await post('/face_recognition/registration', { document_number: CPF, image_key: image.body.image_key }, otherKey)).status).toBe(404);
    expect((await post('/face_recognition/validation', { document_number: CPF, image: audrey.toString('base64') }, otherKey)).status).toBe(404);
  });
});
