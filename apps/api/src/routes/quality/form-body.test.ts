import { describe, expect, it } from 'vitest';
import { BiogateError } from '@biogate/contracts';
import { parseSeedForm } from './form-body.ts';

describe('parseSeedForm', () => {
  it('keeps + literal in unencoded base64 (the seed curl example)', () => {
    expect(parseSeedForm('encrypted_image=ab+c/d==&async=true')).toEqual({ encrypted_image: 'ab+c/d==', async: 'true' });
  });

  it('decodes %-escapes of URL-encoding clients', () => {
    expect(parseSeedForm('image=ab%2Bc%2Fd%3D%3D')).toEqual({ image: 'ab+c/d==' });
  });

  it('keeps the first of repeated keys and tolerates empty pairs', () => {
    expect(parseSeedForm('a=1&&a=2&b')).toEqual({ a: '1', b: '' });
  });

  it('refuses malformed escapes with invalid_request', () => {
    expect(() => parseSeedForm('image=%E0%A4%A')).toThrow(BiogateError);
  });
});
