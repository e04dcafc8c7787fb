/**
 * The built-in speaker model: GMM-UBM over MFCC, MAP-adapted mean supervectors, centred and with the
 * within-speaker (NAP) subspace projected out, compared by cosine. Parameters live in models/voice/.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { collectStats, meanSupervector, type Gmm } from './gmm.ts';
import { DEFAULT_MFCC, speechFeatures, type MfccConfig } from './mfcc.ts';

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
  calibration: Calibration;
  /** Float32 little-endian: weights, means, variances, supervector mean, NAP basis (napRank rows). */
  weightsFile: string;
  training?: Record<string, unknown>;
}

export interface BuiltinModel {
  config: BuiltinModelConfig;
  ubm: Gmm;
  svMean: Float32Array;
  nap: Float32Array[];
}

export const BUILTIN_MODEL_FILE = 'voice/gmm-ubm-nap.json';

export async function loadBuiltinModel(modelsDir: string, file = BUILTIN_MODEL_FILE): Promise<BuiltinModel> {
  const jsonPath = join(modelsDir, file);
  const config = JSON.parse(await readFile(jsonPath, 'utf8')) as BuiltinModelConfig;
  const buf = await readFile(join(modelsDir, 'voice', config.weightsFile));
  const all = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const { components: k, dim, napRank } = config;
  const sd = k * dim;
  const expected = k + 2 * sd + sd + napRank * sd;
  if (all.length !== expected) throw new Error(`${config.weightsFile}: ${all.length} floats, expected ${expected}`);
  let o = 0;
  const take = (n: number) => all.slice(o, (o += n));
  const ubm: Gmm = { components: k, dim, weights: take(k), means: take(sd), variances: take(sd) };
  const svMean = take(sd);
  const nap = Array.from({ length: napRank }, () => take(sd));
  return { config, ubm, svMean, nap };
}

/** Serialises the model's arrays in the layout {@link loadBuiltinModel} reads. */
export function builtinModelWeights(model: BuiltinModel): Buffer {
  const parts = [model.ubm.weights, model.ubm.means, model.ubm.variances, model.svMean, ...model.nap];
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

export interface SpeakerEmbedding {
  vector: Float32Array;
  speechSeconds: number;
}

/** Embeds 16 kHz mono audio with the built-in model. */
export function embedBuiltin(model: BuiltinModel, samples: Float32Array): SpeakerEmbedding {
  const feats = speechFeatures(samples, model.config.mfcc ?? DEFAULT_MFCC);
  const raw = rawSupervector(model.ubm, feats.data, feats.frames, model.config.relevance);
  return { vector: projectSupervector(raw, model.svMean, model.nap), speechSeconds: feats.speechSeconds };
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
