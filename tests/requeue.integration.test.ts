import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '@biogate/contracts';
import { createQueues, type Queues } from '@biogate/queue';
import { sampleMedia } from '@biogate/testing';
import { hashApiKey } from '../apps/api/src/plugins/auth.ts';
import { startStack, type Stack } from './support/stack.ts';
import { waitForJobs } from './support/job-polling.ts';

/**
 * Accepted work survives Redis losing it: the job row keeps the queue payload, and workers enqueue again
 * any unfinished row whose BullMQ job is gone (what a Redis SIGKILL inside the AOF fsync window, or a
 * restore from an older snapshot, leaves behind).
 */
const photo = readFileSync(sampleMedia().photos['audrey.jpg']);

describe('jobs lost by Redis are enqueued again', () => {
  let stack: Stack;
  let queues: Queues;
  let tenantId: string;
  beforeAll(async () => {
    stack = await startStack({ env: { BIOGATE_REQUEUE_INTERVAL_MS: '300', BIOGATE_REQUEUE_AFTER_MS: '0' } });
    queues = createQueues(stack.infra.newRedis('producer'));
    tenantId = (await stack.infra.repos.tenants.findByApiKeyHash(hashApiKey(stack.apiKey)))!.tenant.id;
  });
  afterAll(async () => {
    await Promise.all(Object.values(queues ?? {}).map((q) => q.close()));
    await stack?.close();
  });

  async function detectAsync(): Promise<string> {
    const form = new FormData();
    form.append('image_file', new Blob([photo], { type: 'image/jpeg' }), 'face.jpg');
    form.append('client_declaration_enduser_consent', 'true');
    const res = await stack.request('/v1/face/detect?async=true', { method: 'POST', body: form });
    expect(res.status).toBe(202);
    return ((await res.json()) as { job_id: string }).job_id;
  }

  it('an accepted job whose BullMQ job vanished completes with its real result', async () => {
    const inference = queues[QUEUES.inference];
    await inference.pause();
    let ids: string[];
    try {
      ids = [await detectAsync(), await detectAsync()];
      // Redis forgets them before any worker took them.
      for (const id of ids) {
        const job = await inference.getJob(id);
        expect(job).toBeDefined();
        await job!.remove();
      }
    } finally {
      await inference.resume();
    }
    const done = await waitForJobs(stack.request, ids, { timeoutMs: 60_000 });
    for (const job of done) {
      expect(job.status).toBe('completed');
      expect(job.result).toMatchObject({ total_faces: 1 });
    }
  });

  it('a lost job that cannot be rebuilt is failed with a clear error instead of waiting forever', async () => {
    const id = randomUUID();
    await stack.infra.repos.jobs.create({ id, tenantId, name: 'face.detect', input: { imageBlobId: randomUUID() } });
    const [job] = await waitForJobs(stack.request, [id], { timeoutMs: 30_000 });
    expect(job!.status).toBe('failed');
    expect(job!.error).toMatchObject({ code: 'job_failed' });
    expect((job!.error as unknown as { message: string }).message).toMatch(/submit the request again/);
  });
});
