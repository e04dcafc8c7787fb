import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueues, enqueue, type Queues } from '@biogate/queue';
import { sampleMedia } from '@biogate/testing';
import { hashApiKey } from '../apps/api/src/plugins/auth.ts';
import { startStack, type Stack } from './support/stack.ts';

/**
 * Inputs a request does not keep (stateless detect/compare/voice, refused photos) are erased only after the
 * job's result commits, and a retry that finds the job already finished (a worker that died between the
 * commit and the erase) erases them then. Checked on the stored files, not only on the rows.
 */
const media = sampleMedia();
const photo = readFileSync(media.photos['audrey.jpg']);

const exists = (path: string) => access(path).then(() => true, () => false);

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('erase after commit', () => {
  let stack: Stack;
  let queues: Queues;
  let tenantId: string;
  beforeAll(async () => {
    stack = await startStack();
    queues = createQueues(stack.infra.newRedis('producer'));
    const found = await stack.infra.repos.tenants.findByApiKeyHash(hashApiKey(stack.apiKey));
    tenantId = found!.tenant.id;
  });
  afterAll(async () => {
    await Promise.all(Object.values(queues ?? {}).map((q) => q.close()));
    await stack?.close();
  });

  const blobFile = (storageKey: string) => join(stack.env.BIOGATE_BLOB_DIR ?? join(stack.env.BIOGATE_DATA_DIR, 'blobs'), storageKey);

  async function storeBlob() {
    const stored = await stack.infra.blobs.put(tenantId, photo);
    const row = await stack.infra.repos.blobs.create(tenantId, {
      kind: 'image',
      contentType: 'image/jpeg',
      byteSize: stored.byteSize,
      sha256: stored.sha256,
      storageKey: stored.storageKey,
    });
    return { id: row.id, file: blobFile(stored.storageKey) };
  }

  it('a stateless detect keeps no photo once answered', async () => {
    const form = new FormData();
    form.append('image_file', new Blob([photo], { type: 'image/jpeg' }), 'face.jpg');
    form.append('client_declaration_enduser_consent', 'true');
    const res = await stack.request('/v1/face/detect?async=true', { method: 'POST', body: form });
    expect(res.status).toBe(202);
    const { job_id } = (await res.json()) as { job_id: string };
    const blobId = ((await stack.infra.repos.jobs.get(tenantId, job_id))!.input as { imageBlobId: string }).imageBlobId;
    const blob = await stack.infra.repos.blobs.get(tenantId, blobId);
    expect(blob).not.toBeNull();
    const file = blobFile(blob!.storageKey);
    expect(await exists(file)).toBe(true);

    await waitUntil(async () => (await stack.infra.repos.jobs.get(tenantId, job_id))?.status === 'completed', 60_000);
    const view = (await (await stack.request(`/v1/jobs/${job_id}`)).json()) as { result: { total_faces: number } };
    expect(view.result.total_faces).toBe(1);
    expect(view).not.toHaveProperty('result.erase');
    await waitUntil(async () => !(await exists(file)), 10_000);
    expect(await stack.infra.repos.blobs.get(tenantId, blobId)).toBeNull();
  });

  it('a retry that finds the job finished erases what the dead attempt left', async () => {
    const kept = await storeBlob();
    const left = await storeBlob();
    const id = randomUUID();
    // The state a worker leaves when it dies after committing the result and before erasing the input.
    await stack.infra.repos.jobs.create({ id, tenantId, name: 'face.detect', input: { imageBlobId: left.id } });
    await stack.infra.repos.jobs.complete(tenantId, id, { status: 200, body: { total_faces: 1 }, erase: [left.id] });
    expect(await exists(left.file)).toBe(true);

    await enqueue(queues, 'face.detect', { requestId: id, tenantId, image: { blobId: left.id }, format: 'v1' } as never, { jobId: id });
    await waitUntil(async () => !(await exists(left.file)), 30_000);
    expect(await stack.infra.repos.blobs.get(tenantId, left.id)).toBeNull();
    // Only the listed blob goes; the stored result is untouched.
    expect(await exists(kept.file)).toBe(true);
    expect((await stack.infra.repos.jobs.get(tenantId, id))!.result).toMatchObject({ status: 200, body: { total_faces: 1 } });
  });
});
