/**
 * Voice compare benchmark: real-time factor and compares/s on one thread (in process) and through the
 * inference pool (piscina, 2 threads by default), per engine stage. Inputs: two 10 s held-out recordings
 * (codec2-examples vk2tpm_004, 8 kHz: the narrowband model) as 16 kHz WAV, the same as Ogg Opus when opusenc is
 * present, and, when pocketsphinx-testdata is installed, two 10 s of its 16 kHz LibriVox reader (wideband: the
 * wideband model scores the pair).
 *
 *   npm run bench:voice [-- --threads 2 --compares 40] [--models DIR]   (DIR: another models/ with its manifest.json,
 *                                                                      e.g. an older model version taken from git)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createInferencePool } from '../packages/inference/src/pool.ts';
import { decodeAudio } from '../packages/inference/src/voice/audio-decode.ts';
import { isWideband } from '../packages/inference/src/voice/bandwidth.ts';
import { embedBuiltin, loadBuiltinModel } from '../packages/inference/src/voice/builtin-model.ts';
import { corpusSources, readWav16k } from '../packages/inference/src/voice/corpus.ts';
import { DEFAULT_MODELS_DIR } from '../packages/inference/src/models.ts';
import { speechFeatures } from '../packages/inference/src/voice/mfcc.ts';
import { compareVoices, type VoiceCompareResult, type VoiceTask } from '../packages/inference/src/voice/voice.handler.ts';
import { encodeWav16 } from '../packages/inference/src/voice/wav-encode.ts';

const { values: args } = parseArgs({
  options: { threads: { type: 'string', default: '2' }, compares: { type: 'string', default: '40' }, models: { type: 'string', default: DEFAULT_MODELS_DIR } },
});
const SOURCE = '/usr/share/codec2/wav/vk2tpm_004.wav';
const all = readWav16k(SOURCE);
const a = encodeWav16(all.subarray(0, 160_000), 16_000);
const b = encodeWav16(all.subarray(160_000, 320_000), 16_000);
const audioSeconds = 20; // two 10 s recordings per compare
const librivox = corpusSources().find((s) => s.speaker === 'librivox')?.paths ?? [];
const wideAll = librivox.length ? Float32Array.from(librivox.flatMap((p) => [...readWav16k(p)])) : new Float32Array(0);
const [wa, wb] = wideAll.length >= 320_000 ? [encodeWav16(wideAll.subarray(0, 160_000), 16_000), encodeWav16(wideAll.subarray(160_000, 320_000), 16_000)] : [];
if (!wa) console.log('pocketsphinx-testdata absent: wideband rows skipped (apt-get install pocketsphinx-testdata)');
const tmp = mkdtempSync(join(tmpdir(), 'bench-voice-'));
let bOgg: Uint8Array | undefined;
try {
  writeFileSync(join(tmp, 'b.wav'), b);
  execFileSync('opusenc', ['--quiet', '--bitrate', '24', join(tmp, 'b.wav'), join(tmp, 'b.ogg')]);
  bOgg = new Uint8Array(readFileSync(join(tmp, 'b.ogg')));
} catch {
  console.log('opusenc absent: Ogg rows skipped (apt-get install opus-tools)');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const modelsDir = resolve(args.models);
const task = (x: Uint8Array, y: Uint8Array): VoiceTask => ({ domain: 'voice', op: 'compare', audio1: x.slice(), audio2: y.slice(), modelsDir });
const ms = (t0: number) => performance.now() - t0;
const row = (name: string, n: number, elapsedMs: number) =>
  console.log(`| ${name} | ${n} | ${(elapsedMs / n).toFixed(1)} | ${((1000 * n) / elapsedMs).toFixed(2)} | ${(elapsedMs / n / 1000 / audioSeconds).toFixed(4)} |`);

const n = Number(args.compares);
console.log(`CPU: ${cpus()[0]?.model ?? 'unknown'} x${cpus().length}; load average ${loadavg()[0]?.toFixed(1)}; Node ${process.version}; ${n} compares of 2 x 10 s; models ${modelsDir}\n`);

// Stage costs on one thread, median of 7 runs after a warm-up run (first calls include JIT and table setup).
const model = await loadBuiltinModel(modelsDir);
const stages = { decode: [] as number[], bandwidth: [] as number[], features: [] as number[], embed: [] as number[] };
let voiced = 0;
for (let i = 0; i < 8; i++) {
  let t = performance.now();
  const decoded = await decodeAudio(a);
  const decodeMs = ms(t);
  t = performance.now();
  isWideband(decoded.samples);
  const bandMs = ms(t);
  t = performance.now();
  voiced = speechFeatures(decoded.samples, model.config.mfcc).frames;
  const featMs = ms(t);
  t = performance.now();
  embedBuiltin(model, decoded.samples);
  const embedMs = ms(t) - featMs;
  if (i === 0) continue;
  stages.decode.push(decodeMs);
  stages.bandwidth.push(bandMs);
  stages.features.push(featMs);
  stages.embed.push(embedMs);
}
const median = (x: number[]) => [...x].sort((p, q) => p - q)[Math.floor(x.length / 2)] ?? 0;
console.log(
  `stages for one 10 s WAV (median): decode+resample ${median(stages.decode).toFixed(1)} ms, bandwidth check ${median(stages.bandwidth).toFixed(1)} ms, MFCC+VAD ${median(stages.features).toFixed(1)} ms ` +
    `(${voiced} voiced frames), GMM stats+supervector+S-norm ${median(stages.embed).toFixed(1)} ms\n`,
);
let t0 = 0;

console.log('| mode | compares | ms/compare | compares/s | real-time factor |');
console.log('|---|---|---|---|---|');
const pairs = (prefix: string) =>
  [
    [`${prefix}, WAV vs WAV`, a, b],
    [`${prefix}, WAV vs Ogg Opus`, a, bOgg],
    [`${prefix}, WAV vs WAV, wideband`, wa, wb],
  ] as const;
for (const [name, x, y] of pairs('1 thread')) {
  if (!x || !y) continue;
  await compareVoices(task(x, y)); // warm-up: model load, WASM compile
  t0 = performance.now();
  for (let i = 0; i < n; i++) await compareVoices(task(x, y));
  row(`${name} (${(await compareVoices(task(x, y))).engine})`, n, ms(t0));
}

const threads = Number(args.threads);
const pool = createInferencePool({ threads });
try {
  for (const [name, x, y] of pairs(`pool of ${threads}`)) {
    if (!x || !y) continue;
    const runOne = () => {
      const t = task(x, y);
      return pool.run<VoiceCompareResult>(t, [t.audio1.buffer as ArrayBuffer, t.audio2.buffer as ArrayBuffer]);
    };
    await Promise.all(Array.from({ length: threads * 2 }, runOne)); // warm every thread
    t0 = performance.now();
    await Promise.all(Array.from({ length: n }, runOne));
    row(name, n, ms(t0));
  }
} finally {
  await pool.close();
}
console.log('\nreal-time factor = processing time / audio duration (both recordings); below 1 is faster than real time.');
