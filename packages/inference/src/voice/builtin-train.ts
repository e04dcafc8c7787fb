/**
 * Training recipe of the built-in model (scripts/train-voice.ts): UBM on an equal share of frames per speaker,
 * raw supervectors, their mean, and the NAP subspace; plus trial scoring for calibration. No I/O.
 */
import { cohortStats, cosine, projectSupervector, rawSupervector, snorm, type BuiltinModel, type BuiltinModelConfig } from './builtin-model.ts';
import { nuisanceSubspace, trainGmm } from './gmm-train.ts';
import type { Gmm } from './gmm.ts';
import { DEFAULT_MFCC, type MfccConfig, type SpeechFeatures } from './mfcc.ts';
import type { Trial } from './verification-metrics.ts';

/**
 * Speaker-disjoint folds of the training speakers (corpus.ts TRAIN_SPEAKERS) for development experiments
 * (scripts/dev-voice.ts) and the cross-fold calibration (scripts/train-voice.ts). Each mixes channels and sexes;
 * since 3.0.0 each holds two or three Tux Paint readers, i.e. same-channel impostors of both sexes, and since 4.0.0
 * two or three KTuberling voices.
 */
export const DEV_FOLDS: string[][] = [
  ['june', 'carlo', 'klettres-cs', 'david', 'tuxpaint-ro', 'tuxpaint-ru', 'ktuberling-de', 'ktuberling-gl'],
  ['ivrvoice-ru', 'armelle', 'klettres-da', 've9qrp', 'tuxpaint-es', 'tuxpaint-bg', 'ktuberling-el', 'ktuberling-uk'],
  ['paola', 'klettres-fr', 'klettres-en', 'tuxpaint-el', 'tuxpaint-be', 'tuxpaint-ca', 'ktuberling-lt', 'ktuberling-sl', 'ktuberling-wa'],
];

export interface TrainItem {
  speaker: string;
  feats: SpeechFeatures;
}

export interface RecipeOptions {
  components: number;
  napRank: number;
  relevance: number;
  /** Frames per speaker for the UBM (evenly strided). */
  ubmFramesPerSpeaker: number;
  /** EM iterations after each split. */
  itersPerSplit: number;
  /** Cohort segments kept per training speaker for S-norm (evenly spaced). */
  cohortPerSpeaker: number;
  /**
   * How the NAP scatter is formed: 'speaker' (default) = within-speaker scatter of the training segments (plus
   * their channel-augmented copies when given); 'channel' = scatter of each segment's copies around their own mean
   * (clean + augmented copies of the same segment), i.e. channel directions only.
   */
  napMode?: 'speaker' | 'channel';
  /** Front end the items' features were computed with (recorded in the model). @defaultValue DEFAULT_MFCC */
  mfcc?: MfccConfig;
  log?: (msg: string) => void;
}

/** Channel-augmented copies of training segments for the NAP scatter only (not the UBM, mean or cohort). */
export interface NapExtra {
  /** Raw supervectors of the copies. */
  sv: Float32Array[];
  /** Index into the recipe's `items` of the segment each copy was made from. */
  source: number[];
}

/**
 * The whole recipe. `copies` (optional): channel-augmented copies of some of `items` (`of` = the original item),
 * used only in the NAP scatter.
 */
export function trainRecipe(items: TrainItem[], opts: RecipeOptions, copies: (TrainItem & { of: TrainItem })[] = []): BuiltinModel {
  const { ubm, frames } = trainUbm(items, opts);
  const sv = items.map((it) => rawSupervector(ubm, it.feats.data, it.feats.frames, opts.relevance));
  const kept = opts.napRank > 0 ? copies.filter((c) => items.includes(c.of)) : [];
  const extra = kept.length
    ? { sv: kept.map((c) => rawSupervector(ubm, c.feats.data, c.feats.frames, opts.relevance)), source: kept.map((c) => items.indexOf(c.of)) }
    : undefined;
  return recipeFromUbm(ubm, frames, items, sv, opts, extra);
}

/** The UBM step of the recipe: a GMM on an equal share of frames (evenly strided) from each speaker. */
export function trainUbm(items: TrainItem[], opts: RecipeOptions): { ubm: Gmm; frames: number } {
  const dim = (opts.mfcc ?? DEFAULT_MFCC).numCeps * 3;
  const bySpeaker = new Map<string, TrainItem[]>();
  for (const it of items) bySpeaker.set(it.speaker, [...(bySpeaker.get(it.speaker) ?? []), it]);
  const rows: Float32Array[] = [];
  for (const list of bySpeaker.values()) {
    const total = list.reduce((n, i) => n + i.feats.frames, 0);
    const stride = Math.max(1, Math.floor(total / opts.ubmFramesPerSpeaker));
    let k = 0;
    for (const it of list) {
      for (let t = 0; t < it.feats.frames; t++, k++) if (k % stride === 0) rows.push(it.feats.data.subarray(t * dim, (t + 1) * dim));
    }
  }
  const data = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => data.set(r, i * dim));
  const ubm = trainGmm(data, rows.length, dim, { components: opts.components, itersPerSplit: opts.itersPerSplit, ...(opts.log ? { log: opts.log } : {}) });
  return { ubm, frames: rows.length };
}

/**
 * The rest of the recipe on a trained UBM: supervector mean, NAP subspace and S-norm cohort from `items` and
 * their raw supervectors `sv` (computed with `opts.relevance`).
 */
export function recipeFromUbm(ubm: Gmm, ubmFrames: number, items: TrainItem[], sv: Float32Array[], opts: RecipeOptions, extra?: NapExtra): BuiltinModel {
  const dim = ubm.dim;
  const bySpeaker = new Map<string, TrainItem[]>();
  for (const it of items) bySpeaker.set(it.speaker, [...(bySpeaker.get(it.speaker) ?? []), it]);
  const svMean = new Float32Array(opts.components * dim);
  for (const v of sv) for (let i = 0; i < v.length; i++) svMean[i] = (svMean[i] ?? 0) + (v[i] ?? 0) / sv.length;
  const centred = sv.map((v) => Float32Array.from(v, (x, i) => x - (svMean[i] ?? 0)));
  let nap: Float32Array[] = [];
  if (opts.napRank > 0) {
    const vecs = [...centred, ...(extra?.sv ?? []).map((v) => Float32Array.from(v, (x, i) => x - (svMean[i] ?? 0)))];
    const groups =
      opts.napMode === 'channel'
        ? [...items.map((_, i) => `seg${i}`), ...(extra?.source ?? []).map((i) => `seg${i}`)]
        : [...items.map((i) => i.speaker), ...(extra?.source ?? []).map((i) => items[i]?.speaker ?? '')];
    nap = nuisanceSubspace(vecs, groups, opts.napRank);
  }
  const cohort: Float32Array[] = [];
  const cohortSpeakers: string[] = [];
  for (const [speaker, list] of bySpeaker) {
    const step = Math.max(1, Math.floor(list.length / opts.cohortPerSpeaker));
    for (let i = 0; i < list.length && i / step < opts.cohortPerSpeaker; i += step) {
      cohort.push(projectSupervector(sv[items.indexOf(list[i] as TrainItem)] as Float32Array, svMean, nap));
      cohortSpeakers.push(speaker);
    }
  }
  const config: BuiltinModelConfig = {
    name: 'voice-gmm-ubm-nap',
    version: '2.0.0',
    mfcc: opts.mfcc ?? DEFAULT_MFCC,
    components: opts.components,
    dim,
    relevance: opts.relevance,
    napRank: opts.napRank,
    cohortSize: cohort.length,
    calibration: { centre: 0, scale: 1 },
    weightsFile: 'gmm-ubm-nap.f32',
    training: { speakers: [...bySpeaker.keys()].sort(), segments: items.length, ubmFrames, cohortSpeakers },
  };
  return { config, ubm, svMean, nap, cohort };
}

/** Pseudo speakers made by speed perturbation are named `speaker@factor`; this is the person behind them. */
export const realSpeaker = (speaker: string): string => speaker.split('@')[0] ?? speaker;

/**
 * S-normalised trials between every pair of `items` under `model` (target = same speaker). Each item's own
 * speaker (and its speed-perturbed pseudo speakers) is left out of its cohort, so training speakers are normalised
 * as unseen users would be.
 */
export function pairTrials(model: BuiltinModel, items: TrainItem[], raw?: Float32Array[]): Trial[] {
  const cohortSpeakers = (model.config.training?.cohortSpeakers as string[] | undefined) ?? [];
  const vec = items.map((it, i) => projectSupervector(raw?.[i] ?? rawSupervector(model.ubm, it.feats.data, it.feats.frames, model.config.relevance), model.svMean, model.nap));
  const norms = vec.map((v, i) => cohortStats(v, model.cohort, (c) => realSpeaker(cohortSpeakers[c] ?? '') === realSpeaker(items[i]?.speaker ?? '')));
  const trials: Trial[] = [];
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const cos = cosine(vec[i] as Float32Array, vec[j] as Float32Array);
      trials.push({ score: snorm(cos, norms[i], norms[j]), target: items[i]?.speaker === items[j]?.speaker });
    }
  }
  return trials;
}
