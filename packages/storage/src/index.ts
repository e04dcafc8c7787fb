import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';

/** What the store returns for a written blob. */
export interface StoredBlob {
  storageKey: string;
  sha256: string;
  byteSize: number;
}

export interface BlobStore {
  put(tenantId: string, bytes: Uint8Array): Promise<StoredBlob>;
  get(storageKey: string): Promise<Buffer>;
  delete(storageKey: string): Promise<void>;
  /**
   * Lists the tenant's stored blobs last written before `before` and deletes those `known` does not vouch for
   * (a crash between writing a blob and committing its row), plus temp files of writes that never finished.
   * Returns how many files were deleted.
   */
  sweep(tenantId: string, before: Date, known: (storageKeys: string[]) => Promise<Set<string>>): Promise<number>;
}

export class BlobNotFoundError extends Error {
  override name = 'BlobNotFoundError';
}

const KEY_PATTERN = /^[0-9a-f-]{36}\/[0-9a-f-]{36}$/;

/**
 * Blobs on a local (or shared, in cluster mode) filesystem. Keys are `<tenantId>/<uuid>`, generated here,
 * so a client-supplied string never becomes a path. Writes go to a temp file and are renamed, so a reader
 * never sees half a blob and a crash leaves no partial file under a real key.
 */
export function createFileBlobStore(rootDir: string): BlobStore {
  const root = resolve(rootDir);
  const pathOf = (storageKey: string): string => {
    if (!KEY_PATTERN.test(storageKey)) throw new BlobNotFoundError('invalid storage key');
    const full = resolve(root, storageKey);
    if (!full.startsWith(root + sep)) throw new BlobNotFoundError('invalid storage key');
    return full;
  };

  return {
    async put(tenantId, bytes) {
      const storageKey = `${tenantId}/${randomUUID()}`;
      const full = pathOf(storageKey);
      await mkdir(dirname(full), { recursive: true });
      const tmp = join(dirname(full), `.tmp-${randomUUID()}`);
      await writeFile(tmp, bytes, { mode: 0o600 });
      await rename(tmp, full);
      return { storageKey, sha256: createHash('sha256').update(bytes).digest('hex'), byteSize: bytes.byteLength };
    },
    async get(storageKey) {
      try {
        return await readFile(pathOf(storageKey));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobNotFoundError('blob not found');
        throw err;
      }
    },
    async delete(storageKey) {
      await rm(pathOf(storageKey), { force: true });
    },
    async sweep(tenantId, before, known) {
      const dir = dirname(pathOf(`${tenantId}/${randomUUID()}`));
      let names: string[];
      try {
        names = await readdir(dir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
        throw err;
      }
      const stale: string[] = [];
      for (const name of names) {
        const info = await stat(join(dir, name)).catch(() => null);
        if (info?.isFile() && info.mtime < before) stale.push(name);
      }
      const temps = stale.filter((n) => n.startsWith('.tmp-'));
      const keys = stale.filter((n) => !n.startsWith('.tmp-')).map((n) => `${tenantId}/${n}`);
      const vouched = keys.length > 0 ? await known(keys) : new Set<string>();
      const orphans = keys.filter((k) => !vouched.has(k));
      for (const name of temps) await rm(join(dir, name), { force: true });
      for (const key of orphans) await rm(pathOf(key), { force: true });
      return temps.length + orphans.length;
    },
  };
}
