import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { BlobStore } from './index.ts';
import type { Keyring } from './crypto-keyring.ts';

export * from './crypto-keyring.ts';

/**
 * A blob that fails authentication (a flipped byte, a truncated file, a blob moved to another tenant) or
 * was sealed with a key no longer in the keyring. Never garbage bytes, never the bytes in the message.
 */
export class BlobIntegrityError extends Error {
  override name = 'BlobIntegrityError';
}

/** "BGE" + format version. */
const MAGIC = Buffer.from([0x42, 0x47, 0x45, 0x01]);
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Sealed layout: `BGE\x01 | idLen (1 byte) | key id (ASCII) | IV (12) | AES-256-GCM ciphertext | tag (16)`.
 * The additional data is the header up to the IV plus the tenant id (the storage key's first segment), so
 * a changed key id or a blob copied under another tenant fails authentication like a flipped byte does.
 */
export function sealBlob(keyring: Keyring, tenantId: string, plain: Uint8Array): Buffer {
  const { id, key } = keyring.current;
  const header = Buffer.concat([MAGIC, Buffer.from([id.length]), Buffer.from(id, 'ascii')]);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.concat([header, Buffer.from(tenantId, 'utf8')]));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([header, iv, body, cipher.getAuthTag()]);
}

/** True when the bytes start with the sealed-blob header (used to tell plaintext blobs written before). */
export function isSealedBlob(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC.length && MAGIC.every((b, i) => bytes[i] === b);
}

/** Opens a blob sealed by {@link sealBlob}; throws {@link BlobIntegrityError} on any mismatch. */
export function openBlob(keyring: Keyring, tenantId: string, sealed: Uint8Array): Buffer {
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  if (!isSealedBlob(bytes)) throw new BlobIntegrityError('blob is not sealed with a known format');
  const idLen = bytes[MAGIC.length] ?? 0;
  const ivStart = MAGIC.length + 1 + idLen;
  if (idLen === 0 || bytes.length < ivStart + IV_BYTES + TAG_BYTES) throw new BlobIntegrityError('sealed blob is truncated');
  const keyId = bytes.subarray(MAGIC.length + 1, ivStart).toString('ascii');
  const entry = keyring.byId.get(keyId);
  if (!entry) throw new BlobIntegrityError(`blob was sealed with key "${keyId}", which is not in the keyring`);
  const decipher = createDecipheriv('aes-256-gcm', entry.key, bytes.subarray(ivStart, ivStart + IV_BYTES));
  decipher.setAAD(Buffer.concat([bytes.subarray(0, ivStart), Buffer.from(tenantId, 'utf8')]));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(ivStart + IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new BlobIntegrityError('blob failed authentication (modified, truncated or moved)');
  }
}

export interface EncryptedBlobStoreOptions {
  /**
   * Return blobs without the sealed header as they are (blobs written before encryption was enabled).
   * Off by default: a store that accepts plaintext also accepts a blob an attacker swapped in.
   * @defaultValue false
   */
  acceptPlaintext?: boolean;
}

const tenantOf = (storageKey: string): string => storageKey.slice(0, Math.max(0, storageKey.indexOf('/')));

/**
 * Wraps a {@link BlobStore} so every blob is encrypted at rest with AES-256-GCM under the keyring's current
 * key (fresh random IV per blob). `put` reports the plaintext's size and sha256 (what clients see); the
 * inner store only ever holds ciphertext. Rotation: put a new key first in the keyring and keep the old
 * ones; old blobs stay readable, new blobs use the new key.
 */
export function createEncryptedBlobStore(inner: BlobStore, keyring: Keyring, options: EncryptedBlobStoreOptions = {}): BlobStore {
  return {
    async put(tenantId, bytes) {
      const stored = await inner.put(tenantId, sealBlob(keyring, tenantId, bytes));
      return {
        storageKey: stored.storageKey,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        byteSize: bytes.byteLength,
      };
    },
    async get(storageKey) {
      const raw = await inner.get(storageKey);
      if (options.acceptPlaintext && !isSealedBlob(raw)) return raw;
      return openBlob(keyring, tenantOf(storageKey), raw);
    },
    delete: (storageKey) => inner.delete(storageKey),
    sweep: (tenantId, before, known) => inner.sweep(tenantId, before, known),
  };
}
