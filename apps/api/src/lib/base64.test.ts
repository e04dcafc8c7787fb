import { describe, expect, it } from 'vitest';
import { BiogateError } from '@biogate/contracts';
import { decodeBase64Image } from './base64.ts';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof BiogateError ? err.code : 'other';
  }
  return 'none';
};

describe('decodeBase64Image', () => {
  const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 250, 251]);
  it('decodes standard, URL-safe, data-URL and wrapped base64 to the same bytes', () => {
    const std = bytes.toString('base64');
    expect(decodeBase64Image(std, 100)).toEqual(bytes);
    expect(decodeBase64Image(bytes.toString('base64url'), 100)).toEqual(bytes);
    expect(decodeBase64Image(`data:image/jpeg;base64,${std}`, 100)).toEqual(bytes);
    expect(decodeBase64Image(std.slice(0, 4) + '\n' + std.slice(4), 100)).toEqual(bytes);
  });
  it('refuses missing, non-string, empty, malformed and oversized values with distinct codes', () => {
    expect(codeOf(() => decodeBase64Image(undefined, 100))).toBe('image_missing');
    expect(codeOf(() => decodeBase64Image(42, 100))).toBe('image_invalid_base64');
    expect(codeOf(() => decodeBase64Image('   ', 100))).toBe('image_empty');
    expect(codeOf(() => decodeBase64Image('not base64!!', 100))).toBe('image_invalid_base64');
    expect(codeOf(() => decodeBase64Image('abcde', 100))).toBe('image_invalid_base64');
    expect(codeOf(() => decodeBase64Image(Buffer.alloc(200).toString('base64'), 100))).toBe('image_too_large');
  });
});
