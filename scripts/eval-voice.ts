/**
 * Evaluates voice compare on HELD-OUT speakers (never used by scripts/train-voice.ts): EER, and FMR/FNMR at the
 * shipped default threshold (similarity 0.5), for the built-in model and the MFCC mean/std cosine baseline.
 * Pairs include cross-language (asterisk en vs es, one woman) and cross-codec (WAV vs Ogg Opus/Vorbis made here
 * with opusenc/sox into a tmp dir, decoded by the production WASM decoders).
 *
 *   npx tsx scripts/eval-voice.ts [--models models] [--speakers allison,vk2tpm,vk5qi,alsa] [--json out.json]
 *
 * Needs: apt-get install asterisk-core-sounds-{en,es}-wav codec2-examples alsa-utils opus-tools sox
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeAudio } from '../packages/inference/src/voice/audio-decode.ts';
import { calibrate, cosine, embedBuiltin, loadBuiltinModel, snorm, type CohortStats } from '../packages/inference/src/voice/builtin-model.ts';
import { corpusSources, HELDOUT_SPEAKERS, sourceSegments } from '../packages/inference/src/voice/corpus.ts';
import { speechFeatures } from '../packages/inference/src/voice/mfcc.ts';
import { equalErrorRate, ratesAt, type Trial } from '../packages/inference/src/voice/verification-metrics.ts';
import { encodeWav16 } from '../packages/inference/src/voice/wav-encode.ts';

const { values: args } = parseArgs({
  options: {
    models: { type: 'string', default: 'models' },
    speakers: { type: 'string', default: HELDOUT_SPEAKERS.join(',') },
    'max-segments': { type: 'string', default: '24' },
    'ogg-per-source': { type: 'string', default: '6' },
    json: { type: 'string' },
  },
});
const model = await loadBuiltinModel(resolve(args.models), { verify: false });
const heldOut = new Set(args.speakers.split(','));
const trained = new Set((model.config.training?.speakers as string[] | undefined) ?? []);
const leak = [...heldOut].filter((s) => trained.has(s));
if (leak.length) throw new Error(`speakers ${leak.join(', ')} were used to train this model: not a held-out evaluation`);

interface Item {
  speaker: string;
  language: string;
  segment: string;
  codec: 'wav' | 'opus' | 'vorbis';
  emb: Float32Array;
  norm: CohortStats | undefined;
  base: Float32Array;
}

function baselineVector(samples: Float32Array): Float32Array {
  const f = speechFeatures(samples, model.config.mfcc, { cmvn: false });
  const n = model.config.mfcc.numCeps;
  const v = new Float32Array(2 * n);
  for (let d = 0; d < n; d++) {
    let s = 0;
    let s2 = 0;
    for (let t = 0; t < f.frames; t++) {
      const x = f.data[t * f.dim + d] ?? 0;
      s += x;
      s2 += x * x;
    }
    const m = s / Math.max(1, f.frames);
    v[d] = m;
    v[n + d] = Math.sqrt(Math.max(0, s2 / Math.max(1, f.frames) - m * m));
  }
  return v;
}

const tmp = mkdtempSync(join(tmpdir(), 'eval-voice-'));
const items: Item[] = [];
const t0 = performance.now();
try {
  for (const src of corpusSources()) {
    if (!heldOut.has(src.speaker)) continue;
    if (src.paths.length === 0) throw new Error(`${src.speaker}: no recordings; apt-get install ${src.debianPackage}`);
    // alsa-utils has eight ~1.4 s prompts only: shorter segments so it yields a few.
    const seconds = src.speaker === 'alsa' ? 2.5 : 4;
    const segs = sourceSegments(src, { seconds, max: Number(args['max-segments']), seed: 11 });
    for (const [i, seg] of segs.entries()) {
      const wav = encodeWav16(seg.samples, 16_000);
      const codecs: Item['codec'][] = ['wav'];
      if (i < Number(args['ogg-per-source'])) codecs.push(i % 2 === 0 ? 'opus' : 'vorbis');
      for (const codec of codecs) {
        let bytes = wav;
        if (codec !== 'wav') {
          const inPath = join(tmp, `${seg.id}.wav`);
          const outPath = join(tmp, `${seg.id}.${codec}.ogg`);
          writeFileSync(inPath, wav);
          if (codec === 'opus') execFileSync('opusenc', ['--quiet', '--bitrate', '16', inPath, outPath]);
          else execFileSync('sox', [inPath, '-C', '1', outPath]);
          bytes = new Uint8Array(readFileSync(outPath));
        }
        const decoded = await decodeAudio(bytes);
        const emb = embedBuiltin(model, decoded.samples);
        items.push({ speaker: seg.speaker, language: seg.language, segment: seg.id, codec, emb: emb.vector, norm: emb.norm, base: baselineVector(decoded.samples) });
      }
    }
    console.error(`[eval-voice] ${src.speaker} (${src.language}): ${segs.length} segments`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

type Category = 'same language, WAV/WAV' | 'cross-language (en vs es)' | 'cross-codec (WAV vs Ogg)' | 'Ogg/Ogg';
const trials: { cat: Category | 'impostor'; pair: string; builtin: Trial; raw: Trial; baseline: Trial }[] = [];
for (let i = 0; i < items.length; i++) {
  for (let j = i + 1; j < items.length; j++) {
    const a = items[i] as Item;
    const b = items[j] as Item;
    if (a.segment === b.segment) continue; // the same words re-encoded is not a speaker trial
    const target = a.speaker === b.speaker;
    let cat: Category | 'impostor' = 'impostor';
    if (target) {
      if (a.language !== b.language) cat = 'cross-language (en vs es)';
      else if (a.codec !== 'wav' && b.codec !== 'wav') cat = 'Ogg/Ogg';
      else if (a.codec !== b.codec) cat = 'cross-codec (WAV vs Ogg)';
      else cat = 'same language, WAV/WAV';
    }
    trials.push({
      cat,
      pair: [a.speaker, b.speaker].sort().join(' vs '),
      builtin: { score: calibrate(snorm(cosine(a.emb, b.emb), a.norm, b.norm), model.config.calibration), target },
      raw: { score: cosine(a.emb, b.emb), target },
      baseline: { score: cosine(a.base, b.base), target },
    });
  }
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const impostors = trials.filter((t) => t.cat === 'impostor');
const baseAll = trials.map((t) => t.baseline);
const baseEer = equalErrorRate(baseAll);
const rawEer = equalErrorRate(trials.map((t) => t.raw));
const rows: string[] = [];
const summary: Record<string, unknown> = {};
const cats: (Category | 'all')[] = ['all', 'same language, WAV/WAV', 'cross-language (en vs es)', 'cross-codec (WAV vs Ogg)', 'Ogg/Ogg'];
for (const cat of cats) {
  const tg = trials.filter((t) => (cat === 'all' ? t.cat !== 'impostor' : t.cat === cat));
  if (tg.length === 0) continue;
  const sel = [...tg, ...impostors];
  const eer = equalErrorRate(sel.map((t) => t.builtin));
  const at = ratesAt(sel.map((t) => t.builtin), 0.5);
  const beer = equalErrorRate(sel.map((t) => t.baseline));
  const bat = ratesAt(sel.map((t) => t.baseline), baseEer.threshold);
  rows.push(`| ${cat} | ${tg.length} | ${impostors.length} | **${pct(eer.eer)}** | ${pct(at.fmr)} | ${pct(at.fnmr)} | ${pct(beer.eer)} | ${pct(bat.fmr)} | ${pct(bat.fnmr)} |`);
  summary[cat] = { targets: tg.length, impostors: impostors.length, eer: eer.eer, fmr: at.fmr, fnmr: at.fnmr, baselineEer: beer.eer };
}
const sp = [...new Set(items.map((i) => i.speaker))];
console.log(`Held-out speakers: ${sp.join(', ')}; recordings: ${items.length} (${items.filter((i) => i.codec !== 'wav').length} Ogg); trials: ${trials.length}; ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
console.log('| target pairs | targets | impostors | EER | FMR @0.5 | FNMR @0.5 | baseline EER | baseline FMR | baseline FNMR |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
const byPair = new Map<string, Trial[]>();
for (const t of trials) byPair.set(t.pair, [...(byPair.get(t.pair) ?? []), t.builtin]);
console.log('\n| speaker pair | trials | accepted @0.5 |\n|---|---|---|');
for (const [pair, ts] of [...byPair].sort()) {
  const acc = ts.filter((t) => t.score >= 0.5).length / ts.length;
  console.log(`| ${pair} | ${ts.length} | ${pct(acc)} |`);
}
console.log(`\nBuilt-in without S-norm (raw cosine): pooled EER ${pct(rawEer.eer)}.`);
console.log(`Baseline FMR/FNMR at its own pooled EER threshold (cosine ${baseEer.threshold.toFixed(4)}), chosen on this evaluation data (favours the baseline).`);
if (args.json) writeFileSync(args.json, `${JSON.stringify({ model: model.config.name, version: model.config.version, speakers: sp, summary }, null, 2)}\n`);
