import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BiogateError } from '@biogate/contracts';
import { decodeBase64Image } from './base64.ts';

const CODES = ['image_missing', 'image_empty', 'image_invalid_base64', 'image_too_large'];

/** Runs the decoder; a thrown error must be a BiogateError with one of the decoder's codes. */
function outcome(value: unknown, max: number): Buffer | string {
  try {
    return decodeBase64Image(value, max);
  } catch (err) {
    if (!(err instanceof BiogateError)) throw err;
    expect(CODES).toContain(err.code);
    return err.code;
  }
}

const wrap = (s: string, width: number) => s.replace(new RegExp(`(.{${width}})`, 'g'), '$1\r\n');

describe('decodeBase64Image (property-based)', () => {
  it('round-trips any bytes in every accepted spelling', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 600 }),
        fc.constantFrom('base64', 'base64url', 'data-url', 'wrapped', 'unpadded'),
        fc.integer({ min: 4, max: 80 }),
        (bytes, spelling, width) => {
          const buf = Buffer.from(bytes);
          const std = buf.toString('base64');
          const text = {
            base64: std,
            base64url: buf.toString('base64url'),
            'data-url': `data:image/png;base64,${std}`,
            wrapped: wrap(std, width),
            unpadded: std.replace(/=+$/, ''),
          }[spelling];
          expect(decodeBase64Image(text, 600).equals(buf)).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('answers any string with bytes within the limit or a catalogued refusal, never another error', () => {
    const alphabetish = fc.string({ unit: fc.constantFrom(...'AZaz09+/-_= \n\t!*.:;,'.split('')), maxLength: 300 });
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), alphabetish, fc.string({ unit: 'binary', maxLength: 100 })), fc.integer({ min: 1, max: 300 }), (text, max) => {
        const result = outcome(text, max);
        if (Buffer.isBuffer(result)) {
          expect(result.length).toBeGreaterThan(0);
          expect(result.length).toBeLessThanOrEqual(max);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('refuses non-strings with a code, whatever their shape', () => {
    fc.assert(
      fc.property(fc.anything().filter((v) => typeof v !== 'string'), (value) => {
        const result = outcome(value, 100);
        expect(typeof result).toBe('string');
      }),
      { numRuns: 300 },
    );
  });

  it('refuses anything longer than the limit as image_too_large, before decoding', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 500 }), (max, extra) => {
        const text = Buffer.alloc(max + extra, 7).toString('base64');
        expect(outcome(text, max)).toBe('image_too_large');
      }),
      { numRuns: 200 },
    );
  });
});
