import { access, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../apps/api/src/plugins/auth.ts';
import { startStack, type Stack } from './support/stack.ts';

/**
 * A process that dies between writing a blob and committing its row leaves a file nothing references; the
 * workers' sweep deletes such files once they are old enough, and never a file whose row exists.
 */
const exists = (path: string) => access(path).then(() => true, () => false);

describe('orphan file sweep', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { BIOGATE_ORPHAN_SWEEP_INTERVAL_MS: '300', BIOGATE_ORPHAN_SWEEP_AFTER_MS: '60000' } });
  });
  afterAll(async () => stack?.close());

  it('deletes old files without a row and keeps rowed and young ones', async () => {
    const tenantId = (await stack.infra.repos.tenants.findByApiKeyHash(hashApiKey(stack.apiKey)))!.tenant.id;
    const dir = stack.env.BIOGATE_BLOB_DIR ?? join(stack.env.BIOGATE_DATA_DIR, 'blobs');
    const put = () => stack.infra.blobs.put(tenantId, new TextEncoder().encode('encrypted face bytes stand-in'));
    const orphan = await put();
    const young = await put();
    const rowed = await put();
    await stack.infra.repos.blobs.create(tenantId, {
      kind: 'image',
      contentType: 'image/jpeg',
      byteSize: rowed.byteSize,
      sha256: rowed.sha256,
      storageKey: rowed.storageKey,
    });
    const hourAgo = new Date(Date.now() - 3600_000);
    for (const key of [orphan.storageKey, rowed.storageKey]) await utimes(join(dir, key), hourAgo, hourAgo);

    const deadline = Date.now() + 20_000;
    while ((await exists(join(dir, orphan.storageKey))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await exists(join(dir, orphan.storageKey))).toBe(false);
    expect(await exists(join(dir, rowed.storageKey))).toBe(true);
    expect(await exists(join(dir, young.storageKey))).toBe(true);
    expect((await stack.infra.blobs.get(rowed.storageKey)).toString()).toBe('encrypted face bytes stand-in');
  });
});
