import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { BlobNotFoundError, createFileBlobStore } from './index.ts';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('file blob store', () => {
  it('round-trips bytes, hashes them and deletes them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'blobs-'));
    dirs.push(dir);
    const store = createFileBlobStore(dir);
    const tenant = randomUUID();
    const bytes = new Uint8Array([1, 2, 3, 4]);
    const put = await store.put(tenant, bytes);
    expect(put.byteSize).toBe(4);
    expect(put.sha256).toBe('9f64a747e1b97f131fabb6b447296c9b6f0201e79fb3c5356e6c77e89b6a806a');
    expect(put.storageKey.startsWith(`${tenant}/`)).toBe(true);
    expect([...(await store.get(put.storageKey))]).toEqual([1, 2, 3, 4]);
    expect(await readdir(join(dir, tenant))).toHaveLength(1); // no temp file left behind
    await store.delete(put.storageKey);
    await expect(store.get(put.storageKey)).rejects.toBeInstanceOf(BlobNotFoundError);
  });
  it('never turns a crafted key into a path', async () => {
    const store = createFileBlobStore(join(tmpdir(), 'never-used'));
    for (const key of ['../../etc/passwd', '/etc/passwd', `${randomUUID()}/../../x`, '']) {
      await expect(store.get(key)).rejects.toBeInstanceOf(BlobNotFoundError);
    }
  });
  it('sweeps old files no row vouches for and unfinished temp files, and nothing else', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'blobs-'));
    dirs.push(dir);
    const store = createFileBlobStore(dir);
    const tenant = randomUUID();
    const kept = await store.put(tenant, new Uint8Array([1]));
    const orphan = await store.put(tenant, new Uint8Array([2]));
    const young = await store.put(tenant, new Uint8Array([3]));
    const temp = join(dir, tenant, `.tmp-${randomUUID()}`);
    await writeFile(temp, 'half a write');
    const old = new Date(Date.now() - 2 * 3600_000);
    for (const key of [kept.storageKey, orphan.storageKey]) await utimes(join(dir, key), old, old);
    await utimes(temp, old, old);
    const asked: string[][] = [];
    const deleted = await store.sweep(tenant, new Date(Date.now() - 3600_000), async (keys) => {
      asked.push(keys);
      return new Set([kept.storageKey]);
    });
    expect(deleted).toBe(2);
    expect(asked.flat().sort()).toEqual([kept.storageKey, orphan.storageKey].sort());
    expect((await readdir(join(dir, tenant))).sort()).toEqual([kept.storageKey, young.storageKey].map((k) => k.split('/')[1]).sort());
    expect(await store.sweep(randomUUID(), new Date(), async () => new Set())).toBe(0);
  });
});
