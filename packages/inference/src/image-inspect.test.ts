import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { sampleMedia } from '@biogate/testing';
import { ImageInputError, inspectImage, sniffImageFormat, type ImageInputErrorCode } from './image-inspect.ts';

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A well-formed PNG whose header declares `w` x `h` (the pixel data is a stub). */
function pngDeclaring(w: number, h: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([sig, pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(Buffer.alloc(64))), pngChunk('IEND', Buffer.alloc(0))]);
}

async function codeOf(p: Promise<unknown>): Promise<ImageInputErrorCode | 'accepted'> {
  try {
    await p;
    return 'accepted';
  } catch (err) {
    expect(err).toBeInstanceOf(ImageInputError);
    return (err as ImageInputError).code;
  }
}

describe('inspectImage', () => {
  const photo = readFileSync(sampleMedia().photos['cage.jpg']);

  it('accepts a real JPEG and a real PNG with their sizes', async () => {
    const jpeg = await inspectImage(photo);
    const meta = await sharp(photo).metadata();
    expect(jpeg).toMatchObject({ format: 'jpeg', width: meta.width, height: meta.height });
    const png = await sharp(photo).png().toBuffer();
    expect(await inspectImage(png)).toMatchObject({ format: 'png', width: meta.width, height: meta.height });
  });

  it('reports the size after EXIF orientation', async () => {
    const rotated = await sharp(photo).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const meta = await sharp(photo).metadata();
    expect(await inspectImage(rotated)).toMatchObject({ width: meta.height, height: meta.width });
  });

  it('rejects each bad input class with its stable code', async () => {
    expect(await codeOf(inspectImage(undefined))).toBe('image_missing');
    expect(await codeOf(inspectImage(new Uint8Array(0)))).toBe('image_empty');
    expect(await codeOf(inspectImage(Buffer.from('hello, this is not an image')))).toBe('unsupported_media_type');
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');
    expect(await codeOf(inspectImage(gif))).toBe('unsupported_media_type');
    expect(await codeOf(inspectImage(photo.subarray(0, Math.floor(photo.length / 2))))).toBe('image_corrupt');
    expect(await codeOf(inspectImage(photo.subarray(0, 40)))).toBe('image_corrupt');
    expect(await codeOf(inspectImage(pngDeclaring(100_000, 100_000)))).toBe('image_dimensions_too_large');
    expect(await codeOf(inspectImage(pngDeclaring(64, 64)))).toBe('image_corrupt');
    const png = await sharp(photo).png().toBuffer();
    expect(await codeOf(inspectImage(png.subarray(0, Math.floor(png.length * 0.7))))).toBe('image_corrupt');
    const big = Buffer.concat([photo, Buffer.alloc(3 * 1024 * 1024)]);
    expect(await codeOf(inspectImage(big))).toBe('image_too_large');
  });

  it('honours custom limits', async () => {
    expect(await codeOf(inspectImage(photo, { maxBytes: 1000 }))).toBe('image_too_large');
    expect(await codeOf(inspectImage(photo, { maxPixels: 100 * 100 }))).toBe('image_dimensions_too_large');
  });

  it('sniffs by magic bytes only', () => {
    expect(sniffImageFormat(photo)).toBe('jpeg');
    expect(sniffImageFormat(pngDeclaring(1, 1))).toBe('png');
    expect(sniffImageFormat(Buffer.from([0xff, 0xd8]))).toBeUndefined();
  });
});
