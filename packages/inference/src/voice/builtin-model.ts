/**
 * The built-in speaker model: GMM-UBM over MFCC, MAP-adapted mean supervectors, centred and with the
 * within-speaker (NAP) subspace projected out, compared by cosine. Parameters live in models/voice/.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { collectStats, meanSupervector, type Gmm } from './gmm.ts';
import { DEFAULT_MFCC, speechFeatures, type MfccConfig, type SpeechFeatures } from './mfcc.ts';
import { isWideband } from './bandwidth.ts';
import { verifyFile, voiceManifest } from './model-files.ts';
import { ModelIntegrityError } from '../models.ts';

/** Maps a cosine to the public similarity: sigmoid(scale * (cosine - centre)); 0.5 is the default threshold. */
export interface Calibration {
  centre: number;
  scale: number;
}

export interface BuiltinModelConfig {
  name: string;
  version: string;
  mfcc: MfccConfig;
  components: number;
  dim: number;
  relevance: number;
  napRank: number;
  /** Training-speaker vectors kept for symmetric score normalisation (S-norm). */
  cohortSize: number;
  /** Maps the S-normalised score (not the raw cosine) to the public similarity. */
  calibration: Calibration;
  /** Float32 little-endian: weights, means, variances, supervector mean, NAP basis (napRank rows), cohort rows. */
  weightsFile: string;
  training?: Record<string, unknown>;
}

export interface BuiltinModel {
  config: BuiltinModelConfig;
  ubm: Gmm;
  svMean: Float32Array;
  nap: Float32Array[];
  /** Projected, L2-normalised supervectors of training segments (impostors for every user). */
  cohort: Float32Array[];
}

export const BUILTIN_MODEL_FILE = 'voice/gmm-ubm-nap.json';
/** The wideband model (since 5.0.0): scores a pair when both recordings are wideband (bandwidth.ts). */
export const BUILTIN_WIDE_MODEL_FILE = 'voice/gmm-ubm-wide.json';

export interface LoadBuiltinOptions {
  /**
   * Check the JSON and weights against their sha256 in models/manifest.json ("voice" entries).
   * Training and evaluation scripts turn it off for candidate models outside the repo.
   * @defaultValue true
   */
  verify?: boolean;
  /** Which model: the narrowband one or {@link BUILTIN_WIDE_MODEL_FILE}. @defaultValue BUILTIN_MODEL_FILE */
  file?: string;
}

async function readChecked(modelsDir: string, file: string, verify: boolean): Promise<Buffer> {
  const path = join(modelsDir, file);
  if (!verify) return readFile(path);
  const entry = (await voiceManifest(modelsDir)).find((e) => e.file === file);
  if (!entry) throw new ModelIntegrityError(path, 'manifest', `models/manifest.json has no voice entry for ${file}`);
  return verifyFile(path, entry.sha256, 'it ships in the repository: restore it with git');
}

export async function loadBuiltinModel(modelsDir: string, opts: LoadBuiltinOptions = {}): Promise<BuiltinModel> {
  const verify = opts.verify ?? true;
  const config = JSON.parse((await readChecked(modelsDir, opts.file ?? BUILTIN_MODEL_FILE, verify)).toString('utf8')) as BuiltinModelConfig;
  const buf = await readChecked(modelsDir, `voice/${config.weightsFile}`, verify);
  const all = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const { components: k, dim, napRank } = config;
  const sd = k * dim;
  const cohortSize = config.cohortSize ?? 0;
  const expected = k + 2 * sd + sd + (napRank + cohortSize) * sd;
  if (all.length !== expected) throw new Error(`${config.weightsFile}: ${all.length} floats, expected ${expected}`);
  let o = 0;
  const take = (n: number) => all.slice(o, (o += n));
  const ubm: Gmm = { components: k, dim, weights: take(k), means: take(sd), variances: take(sd) };
  const svMean = take(sd);
  const nap = Array.from({ length: napRank }, () => take(sd));
  const cohort = Array.from({ length: cohortSize }, () => take(sd));
  return { config, ubm, svMean, nap, cohort };
}

/** The narrowband model and, where the models directory has it, the wideband one. */
export interface BuiltinModels {
  /** 24 mel filters over 100-3800 Hz: scores every pair with at least one narrowband recording. */
  narrow: BuiltinModel;
  /** 32 mel filters over 100-7600 Hz: scores pairs of wideband recordings (absent before 5.0.0). */
  wide?: BuiltinModel;
}

/**
 * Loads both built-in models; the wideband one only when the manifest lists it (or, unverified, when its file
 * exists) and it carries the narrowband model's version (a directory holding models of two trainings is not mixed).
 */
export async function loadBuiltinModels(modelsDir: string, opts: Omit<LoadBuiltinOptions, 'file'> = {}): Promise<BuiltinModels> {
  const narrow = await loadBuiltinModel(modelsDir, opts);
  const hasWide =
    (opts.verify ?? true)
      ? (await voiceManifest(modelsDir)).some((e) => e.file === BUILTIN_WIDE_MODEL_FILE)
      : existsSync(join(modelsDir, BUILTIN_WIDE_MODEL_FILE));
  if (!hasWide) return { narrow };
  const wide = await loadBuiltinModel(modelsDir, { ...opts, file: BUILTIN_WIDE_MODEL_FILE });
  return wide.config.version === narrow.config.version ? { narrow, wide } : { narrow };
}

/**
 * The model that scores a pair of 16 kHz recordings: the wideband one when both carry the band above 4 kHz (it
 * sees twice the spectrum: dev folds 3.6% vs 4.5% EER on such pairs), the narrowband one otherwise, so a phone
 * recording is never compared on a band it lacks.
 */
export function modelForPair(models: BuiltinModels, a: Float32Array, b: Float32Array): BuiltinModel {
  return models.wide && isWideband(a) && isWideband(b) ? models.wide : models.narrow;
}

/** Serialises the model's arrays in the layout {@link loadBuiltinModel} reads. */
export function builtinModelWeights(model: BuiltinModel): Buffer {
  const parts = [model.ubm.weights, model.ubm.means, model.ubm.variances, model.svMean, ...model.nap, ...model.cohort];
  return Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));
}

/** Raw (uncentred, unprojected) supervector of a recording's normalised features. */
export function rawSupervector(ubm: Gmm, features: Float32Array, frames: number, relevance: number): Float32Array {
  return meanSupervector(ubm, collectStats(ubm, features, frames), relevance);
}

/** Centres, projects out the nuisance subspace and L2-normalises a raw supervector. */
export function projectSupervector(raw: Float32Array, svMean: Float32Array, nap: Float32Array[]): Float32Array {
  const v = Float32Array.from(raw, (x, i) => x - (svMean[i] ?? 0));
  for (const u of nap) {
    let dot = 0;
    for (let i = 0; i < v.length; i++) dot += (v[i] ?? 0) * (u[i] ?? 0);
    for (let i = 0; i < v.length; i++) v[i] = (v[i] ?? 0) - dot * (u[i] ?? 0);
  }
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < v.length; i++) v[i] = (v[i] ?? 0) / norm;
  return v;
}

/** Mean and spread of a vector's cosines against the cohort (S-norm statistics). */
export interface CohortStats {
  mean: number;
  sd: number;
}

export interface SpeakerEmbedding {
  vector: Float32Array;
  speechSeconds: number;
  norm: CohortStats | undefined;
}

/** Cohort statistics of a normalised vector; `skip` leaves out cohort rows (training-time self-exclusion). */
export function cohortStats(vector: Float32Array, cohort: Float32Array[], skip?: (index: number) => boolean): CohortStats | undefined {
  const scores: number[] = [];
  cohort.forEach((c, i) => {
    if (!skip?.(i)) scores.push(cosine(vector, c));
  });
  if (scores.length < 2) return undefined;
  const mean = scores.reduce((p, c) => p + c, 0) / scores.length;
  const sd = Math.sqrt(scores.reduce((p, c) => p + (c - mean) ** 2, 0) / scores.length) || 1;
  return { mean, sd };
}

/**
 * Symmetric score normalisation: the cosine measured in units of how each side scores against known
 * impostors. It keeps the threshold stable across channels where raw cosines drift; plain cosine without a cohort.
 */
export function snorm(cos: number, a: CohortStats | undefined, b: CohortStats | undefined): number {
  if (!a || !b) return cos;
  return 0.5 * ((cos - a.mean) / a.sd + (cos - b.mean) / b.sd);
}

/** Embeds 16 kHz mono audio with the built-in model. */
export function embedBuiltin(model: BuiltinModel, samples: Float32Array): SpeakerEmbedding {
  return embedFeatures(model, speechFeatures(samples, model.config.mfcc ?? DEFAULT_MFCC));
}

/** Embeds features already computed with the model's front end (`model.config.mfcc`). */
export function embedFeatures(model: BuiltinModel, feats: SpeechFeatures): SpeakerEmbedding {
  const raw = rawSupervector(model.ubm, feats.data, feats.frames, model.config.relevance);
  const vector = projectSupervector(raw, model.svMean, model.nap);
  return { vector, speechSeconds: feats.speechSeconds, norm: cohortStats(vector, model.cohort) };
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] ?? 0) * (b[i] ?? 0);
    na += (a[i] ?? 0) ** 2;
    nb += (b[i] ?? 0) ** 2;
  }
  return dot / (Math.sqrt(na * nb) || 1);
}

export function calibrate(cos: number, c: Calibration): number {
  return 1 / (1 + Math.exp(-c.scale * (cos - c.centre)));
}
