import { describe, expect, it } from 'vitest';
import { ERROR_CATALOG, type ErrorCode } from '@biogate/contracts';
import { seed003ErrorBody, toSeed003Error } from './seed-003-errors.ts';

describe('seed 003 error mapping', () => {
  it.each([
    ['invalid_request', 400, 1200],
    ['image_missing', 400, 1200],
    ['image_invalid_base64', 400, 1200],
    ['image_dimensions_too_large', 400, 2003],
    ['image_empty', 400, 2004],
    ['image_too_large', 413, 2004],
    ['payload_too_large', 413, 2004],
    ['image_corrupt', 400, 2005],
    ['unsupported_media_type', 400, 2005],
    ['face_not_found', 400, 4000],
    ['unauthorized', 401, 1401],
    ['rate_limited', 429, 1429],
    ['queue_full', 503, 1503],
    ['timeout', 504, 1504],
    ['internal_error', 500, 1500],
    ['job_failed', 500, 1500],
  ] as const)('%s -> HTTP %i, code %i', (code, status, seedCode) => {
    expect(toSeed003Error(code)).toEqual({ status, code: seedCode });
  });

  it('maps every catalog code to a documented status and a 1xxx-4xxx code', () => {
    for (const code of Object.keys(ERROR_CATALOG) as ErrorCode[]) {
      const mapped = toSeed003Error(code);
      expect([400, 401, 403, 404, 409, 413, 429, 500, 503, 504]).toContain(mapped.status);
      expect(mapped.code).toBeGreaterThanOrEqual(1200);
      expect(mapped.code).toBeLessThan(5000);
    }
  });

  it('builds {code, message, request_id} with the seed field value first', () => {
    expect(seed003ErrorBody(2005, 'the file is not a JPEG or PNG image', 'r1')).toEqual({
      code: 2005,
      message: 'invalid image type or corrupted: the file is not a JPEG or PNG image',
      request_id: 'r1',
    });
  });
});
