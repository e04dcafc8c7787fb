import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
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
  };
}
