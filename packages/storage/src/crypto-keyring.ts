import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One AES-256 key and the id written in the header of every blob it seals. */
export interface EncryptionKey {
  id: string;
  key: Buffer;
}

/** The first key encrypts new blobs; every key decrypts (so blobs sealed before a rotation stay readable). */
export interface Keyring {
  current: EncryptionKey;
  byId: ReadonlyMap<string, EncryptionKey>;
}

export class KeyringError extends Error {
  override name = 'KeyringError';
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const STRICT_BASE64 = /^[A-Za-z0-9+/]{43}=$/;

/**
 * Parses `BIOGATE_ENCRYPTION_KEYS`: comma-separated `<id>:<base64 of 32 bytes>` entries, newest first,
 * e.g. `k2:<base64>,k1:<base64>`. Ids are 1-32 of `[A-Za-z0-9_-]` and unique. Messages never echo key material.
 */
export function parseKeyring(value: string): Keyring {
  const entries = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (entries.length === 0) throw new KeyringError('BIOGATE_ENCRYPTION_KEYS holds no key');
  const keys: EncryptionKey[] = [];
  const byId = new Map<string, EncryptionKey>();
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    const material = colon > 0 ? entry.slice(colon + 1) : '';
    if (!KEY_ID.test(id)) throw new KeyringError(`key #${index + 1}: the id must be 1-32 of [A-Za-z0-9_-] before a colon`);
    if (byId.has(id)) throw new KeyringError(`key id "${id}" appears twice`);
    if (!STRICT_BASE64.test(material)) throw new KeyringError(`key "${id}": expected the base64 of exactly 32 bytes`);
    const key = { id, key: Buffer.from(material, 'base64') };
    keys.push(key);
    byId.set(id, key);
  });
  const current = keys[0];
  if (!current) throw new KeyringError('BIOGATE_ENCRYPTION_KEYS holds no key');
  return { current, byId };
}

/** A fresh keyring string with one random key, in the `BIOGATE_ENCRYPTION_KEYS` format. */
export function generateKeyringValue(id = `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

/** File (mode 0600) under the data dir where embedded mode keeps its generated keyring. */
export const EMBEDDED_KEYRING_FILE = 'encryption-keys';

export interface ResolveKeyringOptions {
  /** The `BIOGATE_ENCRYPTION_KEYS` value, when set; it always wins. */
  configured?: string | undefined;
  /** Data dir of an embedded (single-host) install. */
  dataDir: string;
  /**
   * Generate and keep a keyring under `dataDir` when none is configured. Only safe when every process that
   * reads the blobs reads the same data dir (embedded mode); cluster mode must configure the env var.
   * @defaultValue false
   */
  generate?: boolean;
}

/**
 * The keyring to use: the configured one; else the one kept in `<dataDir>/encryption-keys`; else, with
 * `generate`, a new one written there (0600). Returns undefined when nothing is configured or kept and
 * generation is off.
 */
export async function resolveKeyring(options: ResolveKeyringOptions): Promise<Keyring | undefined> {
  if (options.configured !== undefined && options.configured.trim() !== '') return parseKeyring(options.configured);
  const file = join(options.dataDir, EMBEDDED_KEYRING_FILE);
  let saved: string | undefined;
  try {
    saved = (await readFile(file, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (saved) return parseKeyring(saved);
  if (!options.generate) return undefined;
  const value = generateKeyringValue();
  await mkdir(options.dataDir, { recursive: true });
  // `wx`: two processes starting at once cannot both write; the loser reads the winner's key.
  try {
    await writeFile(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return parseKeyring((await readFile(file, 'utf8')).trim());
  }
  return parseKeyring(value);
}
