/**
 * Development experiments for the built-in voice model on TRAINING speakers only (never the held-out ones):
 * speaker-disjoint folds. Each fold model is trained (same recipe as scripts/train-voice.ts: the non-dev segments,
 * i.e. not every fourth) on the other training speakers and scores every segment of the fold's speakers, which
 * it has never seen. Reports, per recipe variant, the pooled and per-fold EER on these unseen-speaker trials, and
 * how two ways of placing the default threshold transfer to the unseen fold:
 *   - "in-model": EER threshold on the fold model's own dev segments (every fourth segment of its training
 *     speakers, own speaker removed from the cohort) — the calibration the shipped model used until issue #5;
 *   - "cross-fold": EER threshold of the pooled unseen-speaker trials of the OTHER folds (fold models).
 *
 * `--augment opus8,tel` adds channel-augmented copies (channel-augment.ts: Opus 8 kbit/s, telephone mu-law) of
 * every training segment: the fold's copies enter the unseen trials (pairs of copies of the same segment are left
 * out), so the dev split contains cross-channel target pairs; the training copies enter the NAP scatter only
 * (`--nap-mode speaker` within-speaker, `channel` within-segment). `--cmvn-window 300` uses sliding-window CMVN.
 *
 * `--speed none,0.9+1.1` compares speed-perturbation settings: each adds pseudo speakers (`june@0.9`, the training
 * segments played 0.9x/1.1x as fast) to every fold model's training; the unseen trials stay between real speakers.
 * `--pitch` also reports the fusion of the score with the pitch difference (pitch.ts) for a grid of weights.
 *
 *   npx tsx scripts/dev-voice.ts [--components 64] [--nap 10,20,40] [--relevance 16] [--augment opus8,tel]
 *     [--nap-mode speaker,channel] [--cmvn-window 300] [--max-segments 60] [--speed none,0.9+1.1] [--pitch]
 *     [--high-hz 7600] [--filters 32]
 *     [--json out.json]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cohortStats, cosine, projectSupervector, snorm } from '../packages/inference/src/voice/builtin-model.ts';
import { DEV_FOLDS, pairTrials, realSpeaker, recipeFromUbm, trainUbm, type RecipeOptions, type TrainItem } from '../packages/inference/src/voice/builtin-train.ts';
import { augmentChannel, speedPerturb, type ChannelAugment } from '../packages/inference/src/voice/channel-augment.ts';
import { corpusSources, sourceReader, sourceSegments, TRAIN_SPEAKERS } from '../packages/inference/src/voice/corpus.ts';
import { collectStats, meanSupervector, type GmmStats } from '../packages/inference/src/voice/gmm.ts';
import { DEFAULT_MFCC, speechFeatures } from '../packages/inference/src/voice/mfcc.ts';
import { pitchSummary } from '../packages/inference/src/voice/pitch.ts';
import { equalErrorRate, ratesAt, type Trial } from '../packages/inference/src/voice/verification-metrics.ts';

const { values: args } = parseArgs({
  options: {
    components: { type: 'string', default: '64' },
    nap: { type: 'string', default: '10,20,40' },
    relevance: { type: 'string', default: '16' },
    cohort: { type: 'string', default: '8' },
    'ubm-frames': { type: 'string', default: '20000' },
    folds: { type: 'string', default: DEV_FOLDS.map((f) => f.join('+')).join(',') },
    augment: { type: 'string', default: '' },
    'nap-mode': { type: 'string', default: 'speaker' },
    'cmvn-window': { type: 'string', default: '0' },
    // Front-end band and filter count (MfccConfig highHz / numFilters); the shipped models use 3800 Hz and 24.
    'high-hz': { type: 'string', default: String(DEFAULT_MFCC.highHz) },
    filters: { type: 'string', default: String(DEFAULT_MFCC.numFilters) },
    'max-segments': { type: 'string', default: '60' },
    pitch: { type: 'boolean', default: false },
    speed: { type: 'string', default: 'none' },
    json: { type: 'string' },
  },
});
const log = (msg: string) => console.log(`[dev-voice ${(performance.now() / 1000).toFixed(1)}s] ${msg}`);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

const mfcc = {
  ...DEFAULT_MFCC,
  highHz: Number(args['high-hz']),
  numFilters: Number(args.filters),
  ...(Number(args['cmvn-window']) > 0 ? { cmvnWindow: Number(args['cmvn-window']) } : {}),
};
const augments = args.augment.split(',').filter(Boolean) as ChannelAugment[];
type DevItem = TrainItem & { dev: boolean; seg: string; aug: string; pseudo?: boolean; pitch?: number };
// `--pitch`: also score |difference of median log2 F0| (pitch.ts) and report its fusion with the spectral score.
const withPitch = Boolean(args.pitch);
const pitchOf = (x: Float32Array) => (withPitch ? pitchSummary(x, { sampleRate: 16_000 }).medianLog2 : Number.NaN);
// Speed-perturbation settings to compare, e.g. `none,0.9+1.1`: each adds pseudo speakers `speaker@factor` to training.
const speedSets = args.speed.split(',').map((s) => (s === 'none' ? [] : s.split('+').map(Number)));
const factors = [...new Set(speedSets.flat())];
const all: DevItem[] = [];
const tmp = mkdtempSync(join(tmpdir(), 'dev-voice-'));
for (const src of corpusSources()) {
  if (!(TRAIN_SPEAKERS as readonly string[]).includes(src.speaker)) continue;
  const segs = sourceSegments(src, { seconds: 4, max: Number(args['max-segments']), seed: 7, read: sourceReader(src, tmp) });
  for (const [i, seg] of segs.entries()) {
    all.push({ speaker: seg.speaker, feats: speechFeatures(seg.samples, mfcc), dev: i % 4 === 3, seg: seg.id, aug: 'wav', pitch: pitchOf(seg.samples) });
    for (const a of augments) {
      const samples = await augmentChannel(a, seg.samples, tmp, `${seg.id}-${a}`.replace(/[^\w.-]/g, '_'));
      all.push({ speaker: seg.speaker, feats: speechFeatures(samples, mfcc), dev: i % 4 === 3, seg: seg.id, aug: a, pitch: pitchOf(samples) });
    }
    for (const f of factors) {
      all.push({ speaker: `${seg.speaker}@${f}`, feats: speechFeatures(speedPerturb(seg.samples, f), mfcc), dev: i % 4 === 3, seg: `${seg.id}@${f}`, aug: 'wav', pseudo: true });
    }
  }
  log(`${src.speaker}: ${segs.length} segments${augments.length ? ` (+ ${augments.join(', ')} copies)` : ''}`);
}
rmSync(tmp, { recursive: true, force: true });
log(`${all.length} segments of ${TRAIN_SPEAKERS.length} training speakers`);
const napModes = args['nap-mode'].split(',') as ('speaker' | 'channel')[];
const crossChannel = new Map<Key, Trial[][]>(); // variant -> per-fold trials: cross-channel targets + all impostors
const cleanOnly = new Map<Key, Trial[][]>(); // variant -> per-fold trials between original (wav) segments only

const folds = args.folds.split(',').map((f) => new Set(f.split('+')));
type Key = string;
const naps = args.nap.split(',').map(Number);
const relevances = args.relevance.split(',').map(Number);
const components = Number(args.components);
const unseen = new Map<Key, Trial[][]>();
const pitchTrials = new WeakMap<Trial, number>(); // trial -> |delta median log2 F0| (--pitch) // variant -> per-fold trials (fold model on fold speakers)
const inModel = new Map<Key, number[]>(); // variant -> per-fold in-model dev EER threshold

for (const [f, out] of folds.entries()) for (const speeds of speedSets) {
  const train = all.filter((i) => !out.has(realSpeaker(i.speaker)) && i.aug === 'wav' && (!i.pseudo || speeds.some((x) => i.speaker.endsWith(`@${x}`))));
  const items = train.filter((i) => !i.dev);
  const devItems = train.filter((i) => i.dev && !i.pseudo);
  const copies = all.filter((i) => !out.has(i.speaker) && i.aug !== 'wav' && !i.dev);
  const copySource = copies.map((c) => items.findIndex((i) => i.seg === c.seg));
  const test = all.filter((i) => out.has(i.speaker) && !i.pseudo);
  const spKey = speeds.length ? ` sp${speeds.join('+')}` : '';
  const base: RecipeOptions = { components, napRank: 0, relevance: 16, ubmFramesPerSpeaker: Number(args['ubm-frames']), itersPerSplit: 4, cohortPerSpeaker: Number(args.cohort) };
  const { ubm, frames } = trainUbm(items, base);
  const stats = new Map<TrainItem, GmmStats>();
  for (const it of [...items, ...devItems, ...copies, ...test]) stats.set(it, collectStats(ubm, it.feats.data, it.feats.frames));
  log(`fold ${f + 1} (without ${[...out].join(', ')})${spKey}: UBM ${components} on ${frames} frames, ${new Set(items.map((i) => i.speaker)).size} (pseudo) speakers`);
  for (const r of relevances) {
    const sv = (list: TrainItem[]) => list.map((it) => meanSupervector(ubm, stats.get(it) as GmmStats, r));
    const svItems = sv(items);
    const svCopies = sv(copies);
    for (const nap of naps) for (const napMode of nap > 0 ? napModes : ['speaker' as const]) {
      const band = mfcc.highHz !== DEFAULT_MFCC.highHz || mfcc.numFilters !== DEFAULT_MFCC.numFilters ? ` ${mfcc.numFilters}f..${mfcc.highHz}Hz` : '';
      const key = `K${components} r${r} nap${nap}${nap > 0 && augments.length ? ` ${napMode}+aug` : ''}${mfcc.cmvnWindow ? ` cmvn${mfcc.cmvnWindow}` : ''}${band}${spKey}`;
      const extra = augments.length ? { sv: svCopies, source: copySource } : undefined;
      const model = recipeFromUbm(ubm, frames, items, svItems, { ...base, relevance: r, napRank: nap, napMode }, extra);
      // Unseen speakers: full cohort (none of them is in it).
      const vec = sv(test).map((v) => projectSupervector(v, model.svMean, model.nap));
      const norms = vec.map((v) => cohortStats(v, model.cohort));
      const trials: Trial[] = [];
      const cross: Trial[] = [];
      const clean: Trial[] = [];
      for (let i = 0; i < test.length; i++) {
        for (let j = i + 1; j < test.length; j++) {
          const a = test[i] as DevItem;
          const b = test[j] as DevItem;
          if (a.seg === b.seg) continue; // copies of the same segment
          const t = { score: snorm(cosine(vec[i] as Float32Array, vec[j] as Float32Array), norms[i], norms[j]), target: a.speaker === b.speaker };
          trials.push(t);
          if (withPitch) pitchTrials.set(t, Math.abs((a.pitch ?? Number.NaN) - (b.pitch ?? Number.NaN)));
          if (a.aug === 'wav' && b.aug === 'wav') clean.push(t);
          if (!t.target || (a.aug === 'wav') !== (b.aug === 'wav')) cross.push(t);
        }
      }
      unseen.set(key, [...(unseen.get(key) ?? []), trials]);
      cleanOnly.set(key, [...(cleanOnly.get(key) ?? []), clean]);
      crossChannel.set(key, [...(crossChannel.get(key) ?? []), cross]);
      const dev = pairTrials(model, devItems, sv(devItems));
      inModel.set(key, [...(inModel.get(key) ?? []), equalErrorRate(dev).threshold]);
      const e = equalErrorRate(trials);
      log(`  ${key}: unseen EER ${pct(e.eer)} at S-norm ${e.threshold.toFixed(3)} (${trials.filter((t) => t.target).length}/${trials.length} target/all); in-model dev threshold ${inModel.get(key)?.at(-1)?.toFixed(3)}`);
    }
  }
}

// Pitch fusion: score - w * |delta log2 F0| (0 when either side has no reliable pitch), for a grid of w;
// `cv` = w chosen on the other two folds, applied to the held fold (pooled FMR/FNMR at the cross-fold threshold).
if (withPitch) {
  const grid = [0, 0.5, 1, 2, 3, 4, 6, 8, 12];
  const fuse = (t: Trial, w: number): Trial => {
    const d = pitchTrials.get(t) ?? Number.NaN;
    return { score: t.score - w * (Number.isNaN(d) ? 0 : d), target: t.target };
  };
  for (const [key, perFold] of unseen) {
    const byW = grid.map((w) => ({ w, folds: perFold.map((ts) => ts.map((t) => fuse(t, w))) }));
    for (const { w, folds } of byW) log(`${key} pitch w=${w}: pooled EER ${pct(equalErrorRate(folds.flat()).eer)}, per fold ${folds.map((f) => pct(equalErrorRate(f).eer)).join(' / ')}, WAV/WAV ${pct(equalErrorRate((cleanOnly.get(key) ?? []).flat().map((t) => fuse(t, w))).eer)}`);
    const cv = perFold.map((_, f) => {
      const others = (w: number) => byW.find((b) => b.w === w)?.folds.filter((_, g) => g !== f).flat() ?? [];
      const w = grid.reduce((best, x) => (equalErrorRate(others(x)).eer < equalErrorRate(others(best)).eer ? x : best), 0);
      return { w, eer: equalErrorRate(byW.find((b) => b.w === w)?.folds[f] ?? []).eer };
    });
    log(`${key} pitch cross-validated: w per fold ${cv.map((c) => c.w).join(' / ')}, EER per fold ${cv.map((c) => pct(c.eer)).join(' / ')}`);
  }
}

const report: Record<string, unknown>[] = [];
for (const [key, perFold] of unseen) {
  const pooled = perFold.flat();
  const eers = perFold.map((t) => equalErrorRate(t).eer);
  const inT = inModel.get(key) ?? [];
  // Threshold transfer to the unseen fold: FMR/FNMR pooled over folds.
  const transfer = (pick: (f: number) => number) => {
    let fa = 0, fr = 0, nt = 0, nn = 0;
    perFold.forEach((t, f) => {
      const r = ratesAt(t, pick(f));
      const targets = t.filter((x) => x.target).length;
      fr += r.fnmr * targets; nt += targets;
      fa += r.fmr * (t.length - targets); nn += t.length - targets;
    });
    return { fmr: fa / nn, fnmr: fr / nt };
  };
  const a = transfer((f) => inT[f] ?? 0);
  const b = transfer((f) => equalErrorRate(perFold.filter((_, g) => g !== f).flat()).threshold);
  const clean = equalErrorRate((cleanOnly.get(key) ?? []).flat()).eer;
  const cross = augments.length ? equalErrorRate((crossChannel.get(key) ?? []).flat()).eer : Number.NaN;
  const row = { key, cleanEer: clean, crossChannelEer: cross, pooledEer: equalErrorRate(pooled).eer, meanFoldEer: eers.reduce((p, c) => p + c, 0) / eers.length, foldEers: eers, inModel: a, crossFold: b, pooledThreshold: equalErrorRate(pooled).threshold };
  report.push(row);
  log(`${key}: pooled unseen EER ${pct(row.pooledEer)} (WAV/WAV ${pct(clean)}${augments.length ? `, cross-channel targets ${pct(cross)}` : ''}), per fold ${eers.map(pct).join(' / ')}; in-model threshold → FMR ${pct(a.fmr)} FNMR ${pct(a.fnmr)}; cross-fold threshold → FMR ${pct(b.fmr)} FNMR ${pct(b.fnmr)}`);
}
if (args.json) writeFileSync(args.json, JSON.stringify(report, null, 2));
