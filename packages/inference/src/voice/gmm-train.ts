/**
 * Training-time math for the built-in model (used by scripts/train-voice.ts, not at inference): GMM by
 * binary splitting + EM, and the nuisance attribute projection (NAP) subspace of within-speaker variability.
 */
import { collectStats, componentLogLik, type Gmm } from './gmm.ts';

export interface GmmTrainOptions {
  components: number;
  /** EM iterations after each split. @defaultValue 4 */
  itersPerSplit?: number;
  /** Variance floor as a fraction of the global variance. @defaultValue 0.01 */
  varianceFloor?: number;
  log?: (msg: string) => void;
}

function emStep(gmm: Gmm, x: Float32Array, frames: number, floor: Float32Array): { gmm: Gmm; avgLogLik: number } {
  const { components: k, dim } = gmm;
  const n = new Float64Array(k);
  const f = new Float64Array(k * dim);
  const s = new Float64Array(k * dim);
  const ll = new Float64Array(k);
  let total = 0;
  for (let t = 0; t < frames; t++) {
    const lse = componentLogLik(gmm, x, t, ll);
    total += lse;
    const o = t * dim;
    for (let c = 0; c < k; c++) {
      const p = Math.exp((ll[c] ?? 0) - lse);
      if (p < 1e-6) continue;
      n[c] = (n[c] ?? 0) + p;
      const m = c * dim;
      for (let d = 0; d < dim; d++) {
        const v = x[o + d] ?? 0;
        f[m + d] = (f[m + d] ?? 0) + p * v;
        s[m + d] = (s[m + d] ?? 0) + p * v * v;
      }
    }
  }
  const next: Gmm = { components: k, dim, weights: new Float32Array(k), means: new Float32Array(k * dim), variances: new Float32Array(k * dim) };
  for (let c = 0; c < k; c++) {
    const nc = Math.max(n[c] ?? 0, 1e-3);
    next.weights[c] = nc / frames;
    for (let d = 0; d < dim; d++) {
      const i = c * dim + d;
      const mean = (f[i] ?? 0) / nc;
      next.means[i] = mean;
      next.variances[i] = Math.max((s[i] ?? 0) / nc - mean * mean, floor[d] ?? 1e-3);
    }
  }
  return { gmm: next, avgLogLik: total / frames };
}

/** Trains a diagonal GMM on `frames` rows of `x` by splitting 1 -> 2 -> ... -> `components` with EM in between. */
export function trainGmm(x: Float32Array, frames: number, dim: number, opts: GmmTrainOptions): Gmm {
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  for (let t = 0; t < frames; t++) {
    for (let d = 0; d < dim; d++) {
      const v = x[t * dim + d] ?? 0;
      mean[d] = (mean[d] ?? 0) + v;
      sq[d] = (sq[d] ?? 0) + v * v;
    }
  }
  const floor = new Float32Array(dim);
  let gmm: Gmm = { components: 1, dim, weights: Float32Array.of(1), means: new Float32Array(dim), variances: new Float32Array(dim) };
  for (let d = 0; d < dim; d++) {
    const m = (mean[d] ?? 0) / frames;
    const v = (sq[d] ?? 0) / frames - m * m;
    gmm.means[d] = m;
    gmm.variances[d] = v;
    floor[d] = v * (opts.varianceFloor ?? 0.01);
  }
  while (gmm.components < opts.components) {
    const k = gmm.components * 2;
    const split: Gmm = { components: k, dim, weights: new Float32Array(k), means: new Float32Array(k * dim), variances: new Float32Array(k * dim) };
    for (let c = 0; c < gmm.components; c++) {
      for (const [j, sign] of [[2 * c, 1], [2 * c + 1, -1]] as const) {
        split.weights[j] = (gmm.weights[c] ?? 0) / 2;
        for (let d = 0; d < dim; d++) {
          const v = gmm.variances[c * dim + d] ?? 1;
          split.means[j * dim + d] = (gmm.means[c * dim + d] ?? 0) + sign * 0.2 * Math.sqrt(v);
          split.variances[j * dim + d] = v;
        }
      }
    }
    gmm = split;
    for (let it = 0; it < (opts.itersPerSplit ?? 4); it++) {
      const r = emStep(gmm, x, frames, floor);
      gmm = r.gmm;
      opts.log?.(`gmm ${k} components, iteration ${it + 1}: avg log-lik ${r.avgLogLik.toFixed(3)}`);
    }
  }
  return gmm;
}

/** Average log-likelihood of frames under the GMM (for held-out checks). */
export function gmmAvgLogLik(gmm: Gmm, x: Float32Array, frames: number): number {
  return collectStats(gmm, x, frames).avgLogLik;
}

function orthonormalise(v: Float64Array[], dim: number): void {
  for (let i = 0; i < v.length; i++) {
    const a = v[i] as Float64Array;
    for (let j = 0; j < i; j++) {
      const b = v[j] as Float64Array;
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += (a[d] ?? 0) * (b[d] ?? 0);
      for (let d = 0; d < dim; d++) a[d] = (a[d] ?? 0) - dot * (b[d] ?? 0);
    }
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += (a[d] ?? 0) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < dim; d++) a[d] = (a[d] ?? 0) / norm;
  }
}

/**
 * Top `rank` eigenvectors of the within-speaker scatter of `vectors` (each minus its speaker's mean), by
 * subspace iteration. Projecting them out removes session, channel and content variability seen in training.
 */
export function nuisanceSubspace(vectors: Float32Array[], speakers: string[], rank: number, iterations = 25): Float32Array[] {
  const dim = vectors[0]?.length ?? 0;
  const bySpeaker = new Map<string, number[]>();
  speakers.forEach((s, i) => bySpeaker.set(s, [...(bySpeaker.get(s) ?? []), i]));
  const centred: Float64Array[] = [];
  for (const idx of bySpeaker.values()) {
    const mean = new Float64Array(dim);
    for (const i of idx) for (let d = 0; d < dim; d++) mean[d] = (mean[d] ?? 0) + ((vectors[i] as Float32Array)[d] ?? 0) / idx.length;
    for (const i of idx) centred.push(Float64Array.from(vectors[i] as Float32Array, (v, d) => v - (mean[d] ?? 0)));
  }
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff) - 0.5;
  let basis = Array.from({ length: rank }, () => Float64Array.from({ length: dim }, rand));
  orthonormalise(basis, dim);
  for (let it = 0; it < iterations; it++) {
    const next = Array.from({ length: rank }, () => new Float64Array(dim));
    for (const row of centred) {
      for (let r = 0; r < rank; r++) {
        const b = basis[r] as Float64Array;
        let dot = 0;
        for (let d = 0; d < dim; d++) dot += (row[d] ?? 0) * (b[d] ?? 0);
        const out = next[r] as Float64Array;
        for (let d = 0; d < dim; d++) out[d] = (out[d] ?? 0) + dot * (row[d] ?? 0);
      }
    }
    orthonormalise(next, dim);
    basis = next;
  }
  return basis.map((b) => Float32Array.from(b));
}
