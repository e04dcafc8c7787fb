/**
 * Seed 003 `encrypted_image`: AES-256-GCM under a key derived from the API key the request authenticates with,
 * so no image key is stored server-side and a client derives the same key from its own API key.
 *
 * Token = base64( version 0x01 || IV (12 bytes) || ciphertext || GCM tag (16 bytes) ), standard or URL-safe
 * alphabet. The version byte is also the GCM additional data, so it cannot be swapped.
 * Key = HKDF-SHA256(ikm = API key as UTF-8, salt = "biogate/image-key/v1", info = "seed-003 encrypted_image",
 * 32 bytes). See docs/api/seed-003-quality.md and the standalone client helper docs/client/encrypt-image.ts.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { BiogateError } from '@biogate/contracts';
import { decodeBase64Image } from './base64.ts';

export const IMAGE_TOKEN_VERSION = 0x01;
export const IMAGE_KEY_SALT = 'biogate/image-key/v1';
export const IMAGE_KEY_INFO = 'seed-003 encrypted_image';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Bytes a token adds around the image: version + IV + tag. */
export const IMAGE_TOKEN_OVERHEAD = 1 + IV_BYTES + TAG_BYTES;

/** The 32-byte AES key for one API key (HKDF-SHA256). */
export function deriveImageKey(apiKey: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(apiKey, 'utf8'), IMAGE_KEY_SALT, IMAGE_KEY_INFO, 32));
}

/** Encrypts image bytes into a base64 token (used by tests; clients use docs/client/encrypt-image.ts). */
export function encryptImage(image: Uint8Array, apiKey: string, iv: Uint8Array = randomBytes(IV_BYTES)): string {
  const version = Buffer.from([IMAGE_TOKEN_VERSION]);
  const cipher = createCipheriv('aes-256-gcm', deriveImageKey(apiKey), iv);
  cipher.setAAD(version);
  const body = Buffer.concat([cipher.update(image), cipher.final()]);
  return Buffer.concat([version, iv, body, cipher.getAuthTag()]).toString('base64');
}

/**
 * Decodes and decrypts a token. Broken base64 or a wrong structure/key/tag is `invalid_request` (the seed's
 * 1200 invalid argument); a token whose image would exceed `maxImageBytes` is `image_too_large`.
 * Messages never include the token or any decrypted byte.
 */
export function decryptImage(token: unknown, apiKey: string, maxImageBytes: number, field = 'encrypted_image'): Buffer {
  let raw: Buffer;
  try {
    raw = decodeBase64Image(token, maxImageBytes + IMAGE_TOKEN_OVERHEAD, field);
  } catch (err) {
    if (err instanceof BiogateError && err.code === 'image_invalid_base64') {
      throw new BiogateError('invalid_request', `${field} is not valid base64`);
    }
    if (err instanceof BiogateError && err.code === 'image_missing') {
      throw new BiogateError('invalid_request', `field "${field}" is required`);
    }
    throw err;
  }
  if (raw.length < IMAGE_TOKEN_OVERHEAD) {
    throw new BiogateError('invalid_request', `${field} is too short to hold an encrypted image`);
  }
  if (raw[0] !== IMAGE_TOKEN_VERSION) {
    throw new BiogateError('invalid_request', `${field} has an unknown format version (expected ${IMAGE_TOKEN_VERSION})`);
  }
  const iv = raw.subarray(1, 1 + IV_BYTES);
  const tag = raw.subarray(raw.length - TAG_BYTES);
  const body = raw.subarray(1 + IV_BYTES, raw.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', deriveImageKey(apiKey), iv);
    decipher.setAAD(raw.subarray(0, 1));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new BiogateError(
      'invalid_request',
      `${field} cannot be decrypted: it was not encrypted with the key derived from this API key, or it was altered`,
    );
  }
}
