/**
 * Development experiment on TRAINING speakers only: a second, wideband front end (32 mel filters up to 7.6 kHz)
 * used for a pair only when both recordings are wideband (bandwidth.ts), the narrowband model (4.0.0 recipe)
 * otherwise. Same speaker-disjoint folds, segments and channel copies (Opus 8 kbit/s, telephone) as
 * scripts/dev-voice.ts. Each fold's scores become similarities through a calibration fitted, as train-voice.ts
 * does, on the OTHER folds' unseen-speaker trials (one calibration per front end), so the pooled figures are what
 * the shipped threshold would give.
 *
 *   npx tsx scripts/dev-voice-wideband.ts [--filters 32] [--high-hz 7600] [--wide-nap 2]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isWideband } from '../packages/inference/src/voice/bandwidth.ts';
import { calibrate, cosine, embedFeatures, rawSupervector, snorm, type SpeakerEmbedding } from '../packages/inference/src/voice/builtin-model.ts';
import { DEV_FOLDS, recipeFromUbm, trainUbm, type RecipeOptions, type TrainItem } from '../packages/inference/src/voice/builtin-train.ts';
import { augmentChannel } from '../packages/inference/src/voice/channel-augment.ts';
import type { Gmm } from '../packages/inference/src/voice/gmm.ts';
import { corpusSources, sourceReader, sourceSegments, TRAIN_SPEAKERS } from '../packages/inference/src/voice/corpus.ts';
import { DEFAULT_MFCC, speechFeatures, type MfccConfig } from '../packages/inference/src/voice/mfcc.ts';
import { equalErrorRate, fitLogistic, ratesAt, type Trial } from '../packages/inference/src/voice/verification-metrics.ts';

const { values: args } = parseArgs({
  options: {
    filters: { type: 'string', default: '32' },
    'high-hz': { type: 'string', default: '7600' },
    'wide-nap': { type: 'string', default: '2' },
  },
});
const log = (msg: string) => console.log(`[dev-voice-wideband ${(performance.now() / 1000).toFixed(1)}s] ${msg}`);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const WIDE: MfccConfig = { ...DEFAULT_MFCC, numFilters: Number(args.filters), highHz: Number(args['high-hz']) };

interface Item extends TrainItem {
  wideFeats: TrainItem['feats'];
  wide: boolean;
  dev: boolean;
  seg: string;
  aug: string;
}
const all: Item[] = [];
const tmp = mkdtempSync(join(tmpdir(), 'dev-voice-wb-'));
for (const src of corpusSources()) {
  if (!(TRAIN_SPEAKERS as readonly string[]).includes(src.speaker)) continue;
  for (const [i, seg] of sourceSegments(src, { seconds: 4, max: 60, seed: 7, read: sourceReader(src, tmp) }).entries()) {
    for (const aug of ['wav', 'opus8', 'tel'] as const) {
      const samples = aug === 'wav' ? seg.samples : await augmentChannel(aug, seg.samples, tmp, `${seg.id}-${aug}`.replace(/[^\w.-]/g, '_'));
      const wide = isWideband(samples);
      all.push({ speaker: seg.speaker, feats: speechFeatures(samples), wideFeats: speechFeatures(samples, WIDE), wide, dev: i % 4 === 3, seg: seg.id, aug });
    }
  }
  const own = all.filter((x) => x.speaker === src.speaker);
  log(`${src.speaker}: ${own.length / 3} segments, wideband: ${own.filter((x) => x.aug === 'wav' && x.wide).length} originals, ${own.filter((x) => x.aug !== 'wav' && x.wide).length} copies`);
}
rmSync(tmp, { recursive: true, force: true });

interface Scored {
  target: boolean;
  narrow: number;
  wide?: number;
  clean: boolean;
}
const recipe: RecipeOptions = { components: 64, napRank: 2, relevance: 8, ubmFramesPerSpeaker: 20_000, itersPerSplit: 4, cohortPerSpeaker: 8, napMode: 'speaker' };
const folds = DEV_FOLDS.map((f) => new Set(f));
const perFold: Scored[][] = [];
const sv = (list: TrainItem[], ubm: Gmm) => list.map((it) => rawSupervector(ubm, it.feats.data, it.feats.frames, recipe.relevance));
for (const [f, out] of folds.entries()) {
  const items = all.filter((i) => !out.has(i.speaker) && i.aug === 'wav' && !i.dev);
  const copies = all.filter((i) => !out.has(i.speaker) && i.aug !== 'wav' && !i.dev);
  const { ubm, frames } = trainUbm(items, recipe);
  const narrow = recipeFromUbm(ubm, frames, items, sv(items, ubm), recipe, { sv: sv(copies, ubm), source: copies.map((c) => items.findIndex((i) => i.seg === c.seg)) });
  const wideItems = items.filter((i) => i.wide).map((i) => ({ speaker: i.speaker, feats: i.wideFeats }));
  const w = trainUbm(wideItems, recipe);
  const wideModel = recipeFromUbm(w.ubm, w.frames, wideItems, sv(wideItems, w.ubm), { ...recipe, napRank: Number(args['wide-nap']) });
  log(`fold ${f + 1}: narrow UBM on ${frames} frames; wideband UBM on ${w.frames} frames of ${new Set(wideItems.map((i) => i.speaker)).size} speakers`);
  const test = all.filter((i) => out.has(i.speaker));
  const n = test.map((it) => embedFeatures(narrow, it.feats));
  const wv = test.map((it) => (it.wide ? embedFeatures(wideModel, it.wideFeats) : undefined));
  const scored: Scored[] = [];
  for (let i = 0; i < test.length; i++) {
    for (let j = i + 1; j < test.length; j++) {
      const a = test[i] as Item;
      const b = test[j] as Item;
      if (a.seg === b.seg) continue;
      const score = (x: SpeakerEmbedding, y: SpeakerEmbedding) => snorm(cosine(x.vector, y.vector), x.norm, y.norm);
      const wa = wv[i];
      const wb = wv[j];
      scored.push({
        target: a.speaker === b.speaker,
        narrow: score(n[i] as SpeakerEmbedding, n[j] as SpeakerEmbedding),
        ...(wa && wb ? { wide: score(wa, wb) } : {}),
        clean: a.aug === 'wav' && b.aug === 'wav',
      });
    }
  }
  perFold.push(scored);
  log(`fold ${f + 1}: ${scored.length} trials, ${scored.filter((s) => s.wide !== undefined).length} wideband pairs`);
}

// Cross-fold calibration per front end, then pooled figures on similarities.
const fit = (trials: Trial[]) => ({ centre: equalErrorRate(trials).threshold, scale: fitLogistic(trials).scale });
const report = (name: string, useWide: boolean) => {
  const sims: (Trial & { clean: boolean; wide: boolean })[][] = perFold.map((scored, f) => {
    const others = perFold.filter((_, g) => g !== f).flat();
    const cn = fit(others.map((s) => ({ score: s.narrow, target: s.target })));
    const wideOthers = others.filter((s) => s.wide !== undefined).map((s) => ({ score: s.wide as number, target: s.target }));
    const cw = fit(wideOthers);
    return scored.map((s) => {
      const wide = useWide && s.wide !== undefined;
      return { score: wide ? calibrate(s.wide as number, cw) : calibrate(s.narrow, cn), target: s.target, clean: s.clean, wide: s.wide !== undefined };
    });
  });
  const pooled = sims.flat();
  const at = ratesAt(pooled, 0.5);
  log(
    `${name}: pooled unseen EER ${pct(equalErrorRate(pooled).eer)}, per fold ${sims.map((t) => pct(equalErrorRate(t).eer)).join(' / ')}, ` +
      `WAV/WAV ${pct(equalErrorRate(pooled.filter((t) => t.clean)).eer)}, both-wideband pairs ${pct(equalErrorRate(pooled.filter((t) => t.wide)).eer)}, ` +
      `other pairs ${pct(equalErrorRate(pooled.filter((t) => !t.wide)).eer)}; at 0.5: FMR ${pct(at.fmr)} FNMR ${pct(at.fnmr)}`,
  );
};
report('narrowband only (4.0.0)', false);
report(`hybrid (wideband ${WIDE.numFilters} filters to ${WIDE.highHz} Hz when both sides are wideband)`, true);
