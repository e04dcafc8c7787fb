/**
 * Evaluates voice compare on HELD-OUT speakers (never used by scripts/train-voice.ts): EER, and FMR/FNMR at the
 * shipped default threshold (similarity 0.5), with trial counts and 95% intervals, for the built-in model and the
 * MFCC mean/std cosine baseline. Pairs include cross-language (asterisk en vs es, one woman) and cross-codec (WAV vs
 * Ogg Opus/Vorbis made here with opusenc/sox into a tmp dir, decoded by the production WASM decoders); impostor pairs
 * are also split by same/different sex and same/different recording channel.
 *
 * Intervals: "speaker bootstrap" resamples speakers with replacement (1000 replicates), which keeps the
 * dependence between trials that share a speaker; Wilson intervals treat every trial as independent and are
 * therefore too narrow (shown for comparison).
 *
 *   npx tsx scripts/eval-voice.ts [--models models] [--speakers allison,vk2tpm,...] [--json out.json]
 *
 * Needs: apt-get install asterisk-core-sounds-{en,es}-wav codec2-examples alsa-utils opus-tools sox
 *        asterisk-prompt-fr-armelle asterisk-prompt-es-co asterisk-prompt-it-menardi-wav klettres-data
 *        fillets-ng-data-cs fillets-ng-data-nl pocketsphinx-testdata   (--speakers selects a subset)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeAudio } from '../packages/inference/src/voice/audio-decode.ts';
import { isWideband } from '../packages/inference/src/voice/bandwidth.ts';
import { calibrate, cosine, embedBuiltin, loadBuiltinModels, snorm, type CohortStats } from '../packages/inference/src/voice/builtin-model.ts';
import { realSpeaker } from '../packages/inference/src/voice/builtin-train.ts';
import { corpusSources, EXTRA_HELDOUT_SPEAKERS, HELDOUT_SPEAKERS, sourceReader, sourceSegments } from '../packages/inference/src/voice/corpus.ts';
import { speechFeatures } from '../packages/inference/src/voice/mfcc.ts';
import { equalErrorRate, ratesAt, speakerBootstrap, wilsonInterval, type Trial } from '../packages/inference/src/voice/verification-metrics.ts';
import { encodeWav16 } from '../packages/inference/src/voice/wav-encode.ts';

const { values: args } = parseArgs({
  options: {
    models: { type: 'string', default: 'models' },
    speakers: { type: 'string', default: [...HELDOUT_SPEAKERS, ...EXTRA_HELDOUT_SPEAKERS].join(',') },
    'max-segments': { type: 'string', default: '24' },
    'ogg-per-source': { type: 'string', default: '6' },
    bootstrap: { type: 'string', default: '1000' },
    json: { type: 'string' },
  },
});
// The narrowband model and, where the directory has it, the wideband one (used for pairs of wideband recordings).
const models = await loadBuiltinModels(resolve(args.models), { verify: false });
const model = models.narrow;
const heldOut = new Set(args.speakers.split(','));
// Pseudo speakers (`june@0.9`, speed-perturbed copies) count as the person behind them.
const trained = new Set([models.narrow, models.wide].flatMap((m) => (m?.config.training?.speakers as string[] | undefined) ?? []).map(realSpeaker));
const leak = [...heldOut].filter((s) => trained.has(s));
if (leak.length) throw new Error(`speakers ${leak.join(', ')} were used to train this model: not a held-out evaluation`);
const THRESHOLD = 0.5;
const REPS = Number(args.bootstrap);

interface Item {
  speaker: string;
  language: string;
  sex: string;
  channel: string;
  segment: string;
  codec: 'wav' | 'opus' | 'vorbis';
  speech: number;
  emb: Float32Array;
  norm: CohortStats | undefined;
  /** Wideband model embedding, for wideband recordings when the wideband model exists. */
  wide?: { emb: Float32Array; norm: CohortStats | undefined };
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
const sources: { speaker: string; language: string; pkg: string; sex: string; segments: number; seconds: number; speech: number }[] = [];
const t0 = performance.now();
try {
  for (const src of corpusSources()) {
    if (!heldOut.has(src.speaker)) continue;
    if (src.paths.length === 0) throw new Error(`${src.speaker}: no recordings; apt-get install ${src.debianPackage}`);
    // alsa-utils has eight ~1.4 s prompts only: shorter segments so it yields a few.
    const seconds = src.speaker === 'alsa' ? 2.5 : 4;
    const segs = sourceSegments(src, { seconds, max: Number(args['max-segments']), seed: 11, read: sourceReader(src, tmp) });
    let speech = 0;
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
        const wide = models.wide && isWideband(decoded.samples) ? embedBuiltin(models.wide, decoded.samples) : undefined;
        if (codec === 'wav') speech += emb.speechSeconds;
        items.push({
          speaker: seg.speaker,
          language: seg.language,
          sex: src.sex ?? '?',
          channel: src.channel ?? src.debianPackage,
          segment: seg.id,
          codec,
          speech: emb.speechSeconds,
          emb: emb.vector,
          norm: emb.norm,
          ...(wide ? { wide: { emb: wide.vector, norm: wide.norm } } : {}),
          base: baselineVector(decoded.samples),
        });
      }
    }
    const seconds16k = segs.reduce((n, s) => n + s.samples.length / 16_000, 0);
    sources.push({ speaker: src.speaker, language: src.language, pkg: src.debianPackage, sex: src.sex ?? '?', segments: segs.length, seconds: seconds16k, speech });
    console.error(`[eval-voice] ${src.speaker} (${src.language}): ${segs.length} segments, ${speech.toFixed(0)} s speech`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

type Category = 'same language, WAV/WAV' | 'cross-language (en vs es)' | 'cross-codec (WAV vs Ogg)' | 'Ogg/Ogg';
interface Scored {
  cat: Category | 'impostor';
  a: string;
  b: string;
  sameSex: boolean;
  sameChannel: boolean;
  builtin: Trial;
  /** Scored by the wideband model. */
  wide: boolean;
  raw: Trial;
  baseline: Trial;
}
/**
 * The service's similarity for a pair: the wideband model when both sides are wideband (and it exists), the rule of
 * modelForPair in builtin-model.ts, applied here to embeddings computed once per recording.
 */
function builtinSimilarity(a: Item, b: Item): number {
  const [m, x, y] = models.wide && a.wide && b.wide ? [models.wide, a.wide, b.wide] : [model, a, b];
  return calibrate(snorm(cosine(x.emb, y.emb), x.norm, y.norm), m.config.calibration);
}
const trials: Scored[] = [];
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
    const [x, y] = [a.speaker, b.speaker].sort() as [string, string];
    trials.push({
      cat,
      a: x,
      b: y,
      sameSex: a.sex === b.sex,
      sameChannel: a.channel === b.channel,
      builtin: { score: builtinSimilarity(a, b), target },
      wide: Boolean(models.wide && a.wide && b.wide),
      raw: { score: cosine(a.emb, b.emb), target },
      baseline: { score: cosine(a.base, b.base), target },
    });
  }
}

const speakers = [...new Set(items.map((i) => i.speaker))];
const speakerIndex = new Map(speakers.map((s, i) => [s, i]));
const pct = (x: number) => (Number.isNaN(x) ? 'n/a' : `${(x * 100).toFixed(1)}%`);
const range = ([lo, hi]: [number, number]) => (Number.isNaN(lo) ? 'n/a' : `${(lo * 100).toFixed(1)}-${(hi * 100).toFixed(1)}`);
const speakersOf = (ts: Scored[]) => new Set(ts.flatMap((t) => [t.a, t.b])).size;

interface Row {
  label: string;
  targets: number;
  impostors: number;
  targetSpeakers: number;
  eer: number;
  eerCi: [number, number];
  fmr: number;
  fmrCi: [number, number];
  fmrWilson: [number, number];
  fnmr: number;
  fnmrCi: [number, number];
  fnmrWilson: [number, number];
  baselineEer: number;
}
const baseEer = equalErrorRate(trials.map((t) => t.baseline));
function evaluate(label: string, tg: Scored[], im: Scored[]): Row | undefined {
  if (tg.length === 0 || im.length === 0) return undefined;
  const sel = [...tg, ...im].map((t) => t.builtin);
  const eer = equalErrorRate(sel);
  const at = ratesAt(sel, THRESHOLD);
  const boot = speakerBootstrap(
    [...tg, ...im].map((t) => ({ score: t.builtin.score, a: speakerIndex.get(t.a) ?? 0, b: speakerIndex.get(t.b) ?? 0 })),
    speakers.length,
    THRESHOLD,
    REPS,
  );
  const fm = im.filter((t) => t.builtin.score >= THRESHOLD).length;
  const nm = tg.filter((t) => t.builtin.score < THRESHOLD).length;
  return {
    label,
    targets: tg.length,
    impostors: im.length,
    targetSpeakers: speakersOf(tg),
    eer: eer.eer,
    eerCi: boot.eer,
    fmr: at.fmr,
    fmrCi: boot.fmr,
    fmrWilson: wilsonInterval(fm, im.length),
    fnmr: at.fnmr,
    fnmrCi: boot.fnmr,
    fnmrWilson: wilsonInterval(nm, tg.length),
    baselineEer: equalErrorRate([...tg, ...im].map((t) => t.baseline)).eer,
  };
}

const targets = trials.filter((t) => t.cat !== 'impostor');
const impostors = trials.filter((t) => t.cat === 'impostor');
const cats: Category[] = ['same language, WAV/WAV', 'cross-language (en vs es)', 'cross-codec (WAV vs Ogg)', 'Ogg/Ogg'];
const rows = [
  evaluate('all', targets, impostors),
  ...cats.map((c) => evaluate(c, targets.filter((t) => t.cat === c), impostors)),
].filter((r): r is Row => !!r);
const impRows = [
  evaluate('same sex', targets, impostors.filter((t) => t.sameSex)),
  evaluate('different sex', targets, impostors.filter((t) => !t.sameSex)),
  evaluate('same channel (same collection)', targets, impostors.filter((t) => t.sameChannel)),
  evaluate('different channel', targets, impostors.filter((t) => !t.sameChannel)),
  evaluate('same sex and same channel', targets, impostors.filter((t) => t.sameSex && t.sameChannel)),
].filter((r): r is Row => !!r);

const minutes = ((performance.now() - t0) / 60_000).toFixed(1);
console.log(`Held-out speakers: ${speakers.length} (${speakers.join(', ')}); recordings: ${items.length} (${items.filter((i) => i.codec !== 'wav').length} Ogg); trials: ${trials.length} (${targets.length} same-speaker, ${impostors.length} different-speaker); ${minutes} min\n`);

console.log('| speaker | language | sex | package | segments | audio s | speech s |\n|---|---|---|---|---|---|---|');
for (const s of sources) console.log(`| ${s.speaker} | ${s.language} | ${s.sex} | ${s.pkg} | ${s.segments} | ${s.seconds.toFixed(0)} | ${s.speech.toFixed(0)} |`);

const header = (first: string) => `\n| ${first} | targets (speakers) | impostors | EER [bootstrap 95%] | FMR @0.5 [bootstrap] [Wilson] | FNMR @0.5 [bootstrap] [Wilson] | baseline EER |\n|---|---|---|---|---|---|---|`;
const line = (r: Row) =>
  `| ${r.label} | ${r.targets} (${r.targetSpeakers}) | ${r.impostors} | **${pct(r.eer)}** [${range(r.eerCi)}] | ${pct(r.fmr)} [${range(r.fmrCi)}] [${range(r.fmrWilson)}] | ${pct(r.fnmr)} [${range(r.fnmrCi)}] [${range(r.fnmrWilson)}] | ${pct(r.baselineEer)} |`;
console.log(header('target pairs (vs all impostors)'));
for (const r of rows) console.log(line(r));
console.log(header('impostor pairs (vs all targets)'));
for (const r of impRows) console.log(line(r));

// Threshold table on the pooled trials.
const pooled = trials.map((t) => t.builtin);
const eerAll = equalErrorRate(pooled);
console.log(`\nPooled EER threshold: similarity ${eerAll.threshold.toFixed(3)} (measured on these held-out speakers: for reading, not for setting the default).\n`);
console.log('| threshold | FMR | FNMR |\n|---|---|---|');
for (const th of [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95]) {
  const r = ratesAt(pooled, th);
  console.log(`| ${th} | ${pct(r.fmr)} | ${pct(r.fnmr)} |`);
}

// Per speaker: its own pairs (FNMR) and its impostor pairs on either side (FMR).
console.log('\n| speaker | same-speaker trials | FNMR @0.5 | impostor trials | FMR @0.5 |\n|---|---|---|---|---|');
for (const s of speakers) {
  const own = targets.filter((t) => t.a === s);
  const imp = impostors.filter((t) => t.a === s || t.b === s);
  const r1 = ratesAt(own.map((t) => t.builtin), THRESHOLD);
  const r2 = ratesAt(imp.map((t) => t.builtin), THRESHOLD);
  console.log(`| ${s} | ${own.length} | ${pct(r1.fnmr)} | ${imp.length} | ${pct(r2.fmr)} |`);
}

// The speaker pairs that produce the false matches.
const byPair = new Map<string, Scored[]>();
for (const t of impostors) byPair.set(`${t.a} vs ${t.b}`, [...(byPair.get(`${t.a} vs ${t.b}`) ?? []), t]);
const pairRows = [...byPair].map(([pair, ts]) => ({ pair, n: ts.length, acc: ts.filter((t) => t.builtin.score >= THRESHOLD).length, sameSex: ts[0]?.sameSex, sameChannel: ts[0]?.sameChannel }));
pairRows.sort((x, y) => y.acc - x.acc);
const totalFm = pairRows.reduce((n, p) => n + p.acc, 0);
console.log(`\nFalse matches at 0.5: ${totalFm} of ${impostors.length}; speaker pairs with any: ${pairRows.filter((p) => p.acc > 0).length} of ${pairRows.length}. Top 12:\n`);
console.log('| speaker pair | same sex | same channel | trials | accepted @0.5 | share of all false matches |\n|---|---|---|---|---|---|');
for (const p of pairRows.slice(0, 12)) console.log(`| ${p.pair} | ${p.sameSex ? 'yes' : 'no'} | ${p.sameChannel ? 'yes' : 'no'} | ${p.n} | ${pct(p.acc / p.n)} | ${pct(p.acc / Math.max(1, totalFm))} |`);

console.log(`\nBuilt-in without S-norm (raw cosine, narrowband model): pooled EER ${pct(equalErrorRate(trials.map((t) => t.raw)).eer)}.`);
if (models.wide) {
  const wide = trials.filter((t) => t.wide);
  console.log(`Scored by the wideband model (both recordings wideband): ${wide.length} of ${trials.length} trials (${wide.filter((t) => t.builtin.target).length} same-speaker); their EER ${pct(equalErrorRate(wide.map((t) => t.builtin)).eer)}.`);
}
console.log(`Baseline = MFCC mean/std cosine; its EER is threshold-free (its own EER threshold ${baseEer.threshold.toFixed(4)} would be chosen on this evaluation data).`);
if (args.json) {
  writeFileSync(
    args.json,
    `${JSON.stringify({ model: model.config.name, version: model.config.version, speakers, sources, trials: { targets: targets.length, impostors: impostors.length }, rows, impostorRows: impRows }, null, 2)}\n`,
  );
}
