import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileBlobStore } from './index.ts';
import {
  BlobIntegrityError,
  createEncryptedBlobStore,
  generateKeyringValue,
  KeyringError,
  openBlob,
  parseKeyring,
  resolveKeyring,
  sealBlob,
} from './crypto.ts';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'blobs-crypto-'));
  dirs.push(dir);
  return dir;
}

const k1 = `k1:${randomBytes(32).toString('base64')}`;
const k2 = `k2:${randomBytes(32).toString('base64')}`;

describe('encrypted blob store', () => {
  it('keeps only ciphertext on disk and reports the plaintext size and hash', async () => {
    const dir = await tempDir();
    const store = createEncryptedBlobStore(createFileBlobStore(dir), parseKeyring(k1));
    const tenant = randomUUID();
    const plain = Buffer.from('JFIF-like marker '.repeat(200));
    const put = await store.put(tenant, plain);
    expect(put.byteSize).toBe(plain.length);
    const onDisk = await readFile(join(dir, put.storageKey));
    expect(onDisk.includes(Buffer.from('JFIF-like marker'))).toBe(false);
    expect(onDisk.length).toBe(plain.length + 4 + 1 + 2 + 12 + 16);
    expect((await store.get(put.storageKey)).equals(plain)).toBe(true);
    // Same bytes twice give different ciphertexts (fresh IV per blob).
    const again = await store.put(tenant, plain);
    expect((await readFile(join(dir, again.storageKey))).equals(onDisk)).toBe(false);
  });

  it('reads blobs sealed before a key rotation and seals new ones with the new key', async () => {
    const dir = await tempDir();
    const tenant = randomUUID();
    const before = createEncryptedBlobStore(createFileBlobStore(dir), parseKeyring(k1));
    const old = await before.put(tenant, Buffer.from('old blob'));
    const after = createEncryptedBlobStore(createFileBlobStore(dir), parseKeyring(`${k2},${k1}`));
    const fresh = await after.put(tenant, Buffer.from('new blob'));
    expect((await after.get(old.storageKey)).toString()).toBe('old blob');
    expect((await after.get(fresh.storageKey)).toString()).toBe('new blob');
    expect((await readFile(join(dir, fresh.storageKey))).subarray(5, 7).toString()).toBe('k2');
    // Dropping k1 from the keyring makes its blobs unreadable: an error, not garbage.
    const dropped = createEncryptedBlobStore(createFileBlobStore(dir), parseKeyring(k2));
    await expect(dropped.get(old.storageKey)).rejects.toBeInstanceOf(BlobIntegrityError);
  });

  it('refuses a blob copied under another tenant', async () => {
    const dir = await tempDir();
    const store = createEncryptedBlobStore(createFileBlobStore(dir), parseKeyring(k1));
    const [a, b] = [randomUUID(), randomUUID()];
    const put = await store.put(a, Buffer.from('tenant a'));
    const other = await store.put(b, Buffer.from('tenant b'));
    await writeFile(join(dir, other.storageKey), await readFile(join(dir, put.storageKey)));
    await expect(store.get(other.storageKey)).rejects.toBeInstanceOf(BlobIntegrityError);
  });

  it('refuses plaintext unless told to accept it', async () => {
    const dir = await tempDir();
    const inner = createFileBlobStore(dir);
    const legacy = await inner.put(randomUUID(), Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
    await expect(createEncryptedBlobStore(inner, parseKeyring(k1)).get(legacy.storageKey)).rejects.toBeInstanceOf(
      BlobIntegrityError,
    );
    const lenient = createEncryptedBlobStore(inner, parseKeyring(k1), { acceptPlaintext: true });
    expect([...(await lenient.get(legacy.storageKey))]).toEqual([0xff, 0xd8, 0xff, 0xe0]);
  });

  it('turns any flipped bit or truncation into BlobIntegrityError', () => {
    const keyring = parseKeyring(`${k2},${k1}`);
    const tenant = randomUUID();
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), fc.nat(), fc.integer({ min: 0, max: 7 }), (plain, at, bit) => {
        const sealed = sealBlob(keyring, tenant, plain);
        expect(openBlob(keyring, tenant, sealed).equals(Buffer.from(plain))).toBe(true);
        const flipped = Buffer.from(sealed);
        const index = at % flipped.length;
        flipped[index] = (flipped[index] ?? 0) ^ (1 << bit);
        expect(() => openBlob(keyring, tenant, flipped)).toThrow(BlobIntegrityError);
        expect(() => openBlob(keyring, tenant, sealed.subarray(0, at % sealed.length))).toThrow(BlobIntegrityError);
      }),
      { numRuns: 300 },
    );
  });
});

describe('keyring', () => {
  it('parses newest-first entries and rejects malformed ones without echoing key material', () => {
    const ring = parseKeyring(` ${k2} , ${k1} `);
    expect(ring.current.id).toBe('k2');
    expect([...ring.byId.keys()]).toEqual(['k2', 'k1']);
    const secret = randomBytes(31).toString('base64');
    for (const bad of ['', ',', 'nokey', `k1:${secret}`, `:${randomBytes(32).toString('base64')}`, `${k1},${k1}`, `bad id:${randomBytes(32).toString('base64')}`]) {
      let caught: unknown;
      try {
        parseKeyring(bad);
      } catch (err) {
        caught = err;
      }
      expect(caught, bad).toBeInstanceOf(KeyringError);
      expect((caught as Error).message).not.toContain(secret);
    }
    expect(parseKeyring(generateKeyringValue('fresh')).current.key.length).toBe(32);
  });

  it('generates one key into the data dir (0600) only when asked, then keeps it', async () => {
    const dir = await tempDir();
    expect(await resolveKeyring({ dataDir: dir })).toBeUndefined();
    const first = await resolveKeyring({ dataDir: dir, generate: true });
    const second = await resolveKeyring({ dataDir: dir, generate: true });
    expect(first?.current.key.equals(second?.current.key ?? Buffer.alloc(0))).toBe(true);
    expect((await stat(join(dir, 'encryption-keys'))).mode & 0o777).toBe(0o600);
    const configured = await resolveKeyring({ dataDir: dir, configured: k1, generate: true });
    expect(configured?.current.id).toBe('k1');
  });
});
