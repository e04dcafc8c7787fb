import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BiogateError } from '@biogate/contracts';
import { decryptImage, deriveImageKey, encryptImage, IMAGE_TOKEN_OVERHEAD } from './image-crypto.ts';
import { encryptImageForBiogate } from '../../../../docs/client/encrypt-image.ts';

const KEY = 'bg_test-key-0123456789';
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(2048)]);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof BiogateError ? err.code : 'not-a-biogate-error';
  }
  return undefined;
}

describe('image crypto (seed 003 encrypted_image)', () => {
  it('derives a stable 32-byte key per API key, different across keys', () => {
    expect(deriveImageKey(KEY)).toHaveLength(32);
    expect(deriveImageKey(KEY).equals(deriveImageKey(KEY))).toBe(true);
    expect(deriveImageKey(KEY).equals(deriveImageKey(`${KEY}x`))).toBe(false);
  });

  it('round-trips bytes, with a fresh IV per token', () => {
    const a = encryptImage(JPEG, KEY);
    const b = encryptImage(JPEG, KEY);
    expect(a).not.toBe(b);
    expect(decryptImage(a, KEY, 10_000).equals(JPEG)).toBe(true);
    expect(Buffer.from(a, 'base64')).toHaveLength(JPEG.length + IMAGE_TOKEN_OVERHEAD);
  });

  it('decrypts what the standalone client helper in docs/client produces', () => {
    const token = encryptImageForBiogate(JPEG, KEY);
    expect(decryptImage(token, KEY, 10_000).equals(JPEG)).toBe(true);
  });

  it('accepts URL-safe base64 and line breaks', () => {
    const token = encryptImage(JPEG, KEY);
    const urlSafe = Buffer.from(token, 'base64').toString('base64url');
    expect(decryptImage(urlSafe, KEY, 10_000).equals(JPEG)).toBe(true);
    const wrapped = token.replace(/(.{76})/g, '$1\n');
    expect(decryptImage(wrapped, KEY, 10_000).equals(JPEG)).toBe(true);
  });

  it('refuses another key, a flipped bit, a wrong version, truncation and garbage as invalid_request', () => {
    const token = encryptImage(JPEG, KEY);
    expect(codeOf(() => decryptImage(token, 'bg_other', 10_000))).toBe('invalid_request');
    const raw = Buffer.from(token, 'base64');
    for (const at of [0, 5, 40, raw.length - 1]) {
      const bad = Buffer.from(raw);
      bad[at] = (bad[at] ?? 0) ^ 0x01;
      expect(codeOf(() => decryptImage(bad.toString('base64'), KEY, 10_000))).toBe('invalid_request');
    }
    expect(codeOf(() => decryptImage(raw.subarray(0, 20).toString('base64'), KEY, 10_000))).toBe('invalid_request');
    expect(codeOf(() => decryptImage('not base64 !!', KEY, 10_000))).toBe('invalid_request');
    expect(codeOf(() => decryptImage('', KEY, 10_000))).toBe('invalid_request');
    expect(codeOf(() => decryptImage(undefined, KEY, 10_000))).toBe('invalid_request');
  });

  it('decrypts an encrypted empty image to zero bytes (refused later as an empty image, not as a bad token)', () => {
    expect(decryptImage(encryptImage(Buffer.alloc(0), KEY), KEY, 10_000)).toHaveLength(0);
  });

  it('refuses a token whose image exceeds the limit before decrypting it', () => {
    const token = encryptImage(JPEG, KEY);
    expect(codeOf(() => decryptImage(token, KEY, 1000))).toBe('image_too_large');
  });

  it('never puts the token into an error message', () => {
    const token = encryptImage(JPEG, KEY);
    try {
      decryptImage(token, 'bg_other', 10_000);
    } catch (err) {
      expect((err as Error).message).not.toContain(token.slice(0, 16));
    }
  });
});
