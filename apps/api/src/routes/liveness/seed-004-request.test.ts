import { describe, expect, it } from 'vitest';
import { BiogateError } from '@biogate/contracts';
import { parseSeed004Body } from './seed-004-request.ts';
import { toSeed004Error, seed004ErrorBody } from './seed-004-errors.ts';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const b64 = PNG.toString('base64');

function refusal(body: unknown): string | undefined {
  try {
    parseSeed004Body(body, 1000);
  } catch (err) {
    return err instanceof BiogateError ? `${err.code}: ${err.message}` : 'other';
  }
  return undefined;
}

describe('seed 004 request body', () => {
  it('reads sessionId, the base64 image and returnFaceImage (boolean or string)', () => {
    const parsed = parseSeed004Body({ sessionId: 's-1', faceImageBase: b64, returnFaceImage: true }, 1000);
    expect(parsed.sessionId).toBe('s-1');
    expect(parsed.image.equals(PNG)).toBe(true);
    expect(parsed.returnFaceImage).toBe(true);
    expect(parseSeed004Body({ sessionId: 's', faceImageBase: b64, returnFaceImage: 'false' }, 1000).returnFaceImage).toBe(false);
    expect(parseSeed004Body({ sessionId: 's', faceImageBase: b64 }, 1000).returnFaceImage).toBe(false);
  });

  it('refuses URLs without fetching them', () => {
    expect(refusal({ sessionId: 's', faceImageBase: 'https://example.com/a.jpg' })).toMatch(/^invalid_request: .*URLs are not fetched/);
    expect(refusal({ sessionId: 's', faceImageBase: 'http://10.0.0.1/a.jpg' })).toMatch(/^invalid_request/);
  });

  it('refuses a missing or oversized sessionId, a non-object body and a non-boolean returnFaceImage', () => {
    expect(refusal({ faceImageBase: b64 })).toMatch(/^invalid_request: sessionId/);
    expect(refusal({ sessionId: 'x'.repeat(257), faceImageBase: b64 })).toMatch(/^invalid_request: sessionId/);
    expect(refusal([1, 2])).toMatch(/^invalid_request/);
    expect(refusal(null)).toMatch(/^invalid_request/);
    expect(refusal({ sessionId: 's', faceImageBase: b64, returnFaceImage: 'yes' })).toMatch(/^invalid_request: returnFaceImage/);
  });

  it('keeps the image decoding codes for a missing, broken or oversized image', () => {
    expect(refusal({ sessionId: 's' })).toMatch(/^image_missing: .*faceImageBase/);
    expect(refusal({ sessionId: 's', faceImageBase: '***' })).toMatch(/^image_invalid_base64/);
    expect(refusal({ sessionId: 's', faceImageBase: Buffer.alloc(2000).toString('base64') })).toMatch(/^image_too_large/);
  });
});

describe('seed 004 API-side error mapping', () => {
  it.each([
    ['unauthorized', 401, 'UNAUTHORIZED'],
    ['rate_limited', 429, 'RATE_LIMITED'],
    ['invalid_request', 400, 'INVALID_REQUEST'],
    ['image_corrupt', 400, 'INVALID_REQUEST'],
    ['image_too_large', 413, 'INVALID_REQUEST'],
    ['unsupported_media_type', 415, 'INVALID_REQUEST'],
    ['face_not_found', 422, 'FACE_NOT_FOUND'],
    ['timeout', 504, 'INTERNAL_ERROR'],
    ['internal_error', 500, 'INTERNAL_ERROR'],
  ] as const)('%s (%i) -> %s', (code, status, error) => {
    expect(toSeed004Error(code, status)).toBe(error);
  });

  it('keeps the seed envelope', () => {
    expect(seed004ErrorBody('s', 'INTERNAL_ERROR', 'internal_error', 'internal error')).toEqual({
      sessionId: 's',
      hasError: true,
      error: 'INTERNAL_ERROR',
      code: 'internal_error',
      message: 'internal error',
    });
  });
});
