import fc from 'fast-check';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { ImageInputError, inspectImage } from './image-inspect.ts';

const CODES = ['image_missing', 'image_empty', 'unsupported_media_type', 'image_too_large', 'image_dimensions_too_large', 'image_corrupt'];
const LIMITS = { maxBytes: 200_000, maxPixels: 1_000_000 };

/** Inspects; a refusal must be an ImageInputError with a catalogued code, an acceptance must be sane. */
async function check(bytes: Uint8Array): Promise<string> {
  try {
    const info = await inspectImage(bytes, LIMITS);
    expect(['jpeg', 'png']).toContain(info.format);
    expect(info.width).toBeGreaterThan(0);
    expect(info.height).toBeGreaterThan(0);
    expect(info.width * info.height).toBeLessThanOrEqual(LIMITS.maxPixels);
    expect(info.byteSize).toBe(bytes.length);
    return 'accepted';
  } catch (err) {
    if (!(err instanceof ImageInputError)) throw err;
    expect(CODES).toContain(err.code);
    return err.code;
  }
}

let jpeg: Buffer;
let png: Buffer;
beforeAll(async () => {
  const base = sharp({ create: { width: 48, height: 32, channels: 3, background: { r: 200, g: 120, b: 40 } } });
  jpeg = await base.clone().jpeg().toBuffer();
  png = await base.clone().png().toBuffer();
});

/** Mutations of a valid file: flipped bytes, truncation, junk spliced in, appended bytes. */
type Mutation =
  | { kind: 'flip'; at: number; xor: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'splice'; at: number; junk: Uint8Array }
  | { kind: 'append'; junk: Uint8Array };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), junk: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
  fc.record({ kind: fc.constant('append' as const), junk: fc.uint8Array({ minLength: 1, maxLength: 256 }) }),
);

function mutate(bytes: Buffer, m: Mutation): Buffer {
  const out = Buffer.from(bytes);
  switch (m.kind) {
    case 'flip': {
      const i = 3 + (m.at % (out.length - 3));
      out[i] = (out[i] ?? 0) ^ m.xor;
      return out;
    }
    case 'truncate':
      return out.subarray(0, m.at % out.length);
    case 'splice': {
      const i = m.at % out.length;
      return Buffer.concat([out.subarray(0, i), Buffer.from(m.junk), out.subarray(i)]);
    }
    case 'append':
      return Buffer.concat([out, Buffer.from(m.junk)]);
  }
}

describe('inspectImage (property-based)', () => {
  it('refuses arbitrary bytes with a catalogued code', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (bytes) => {
        expect(await check(bytes)).not.toBe('accepted');
      }),
      { numRuns: 300 },
    );
  });

  it('answers magic bytes followed by junk with a refusal, never a crash', async () => {
    const magic = fc.constantFrom([0xff, 0xd8, 0xff], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    await fc.assert(
      fc.asyncProperty(magic, fc.uint8Array({ maxLength: 512 }), async (head, tail) => {
        await check(Buffer.concat([Buffer.from(head), Buffer.from(tail)]));
      }),
      { numRuns: 300 },
    );
  });

  it('answers every mutation of a valid JPEG or PNG with a sane acceptance or a catalogued refusal', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (usePng, ms) => {
        let bytes = usePng ? png : jpeg;
        for (const m of ms) bytes = mutate(bytes, m);
        await check(bytes);
      }),
      { numRuns: 400 },
    );
  });
});
