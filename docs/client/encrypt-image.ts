/**
 * Client helper for biogate's seed-003 `encrypted_image` (docs/api/seed-003-quality.md). Standalone: Node's
 * crypto only, copy it into a client as is.
 *
 *   key   = HKDF-SHA256(ikm = your API key (UTF-8), salt = "biogate/image-key/v1",
 *                       info = "seed-003 encrypted_image", length = 32)
 *   token = base64( 0x01 || iv (12 random bytes) || AES-256-GCM ciphertext || tag (16 bytes) )
 *           with the version byte 0x01 as GCM additional authenticated data.
 *
 * Command line: `npx tsx docs/client/encrypt-image.ts <api-key> <photo.jpg>` prints the token.
 */
import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** Encrypts a JPEG or PNG for `POST /quality/face/stateless` with the API key that will authenticate the call. */
export function encryptImageForBiogate(image: Uint8Array, apiKey: string): string {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(apiKey, 'utf8'), 'biogate/image-key/v1', 'seed-003 encrypted_image', 32));
  const version = Buffer.from([0x01]);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(version);
  const ciphertext = Buffer.concat([cipher.update(image), cipher.final()]);
  return Buffer.concat([version, iv, ciphertext, cipher.getAuthTag()]).toString('base64');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [apiKey, file] = process.argv.slice(2);
  if (!apiKey || !file) {
    process.stderr.write('usage: encrypt-image.ts <api-key> <photo.jpg|png>\n');
    process.exit(2);
  }
  process.stdout.write(encryptImageForBiogate(readFileSync(file), apiKey) + '\n');
}
