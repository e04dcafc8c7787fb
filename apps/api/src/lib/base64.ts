import { BiogateError } from '@biogate/contracts';

const DATA_URL = /^data:[a-z0-9.+/-]+;base64,/i;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * Strict base64 decoding of a client-sent image: accepts standard or URL-safe alphabets, with or without a
 * `data:*;base64,` prefix and line breaks; anything else is `image_invalid_base64` rather than the silent
 * garbage `Buffer.from(x, 'base64')` would produce.
 */
export function decodeBase64Image(value: unknown, maxBytes: number, field = 'image'): Buffer {
  if (value === undefined || value === null || value === '') {
    throw new BiogateError('image_missing', `field "${field}" is required (base64-encoded JPEG or PNG)`);
  }
  if (typeof value !== 'string') throw new BiogateError('image_invalid_base64', `field "${field}" must be a base64 string`);
  const cleaned = value.replace(DATA_URL, '').replace(/\s+/g, '');
  if (cleaned.length === 0) throw new BiogateError('image_empty', `field "${field}" is empty`);
  if (!BASE64.test(cleaned) || cleaned.replace(/=+$/, '').length % 4 === 1) {
    throw new BiogateError('image_invalid_base64', `field "${field}" is not valid base64`);
  }
  // Estimate before decoding so an oversized string is refused without allocating its bytes.
  if (Math.floor((cleaned.length * 3) / 4) > maxBytes + 2) {
    throw new BiogateError('image_too_large', `image is larger than ${maxBytes} bytes`);
  }
  const bytes = Buffer.from(cleaned, cleaned.includes('-') || cleaned.includes('_') ? 'base64url' : 'base64');
  if (bytes.length === 0) throw new BiogateError('image_empty', `field "${field}" is empty`);
  if (bytes.length > maxBytes) throw new BiogateError('image_too_large', `image is larger than ${maxBytes} bytes`);
  return bytes;
}
