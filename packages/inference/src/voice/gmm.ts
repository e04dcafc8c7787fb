/**
 * Diagonal-covariance GMM (the universal background model), Baum-Welch statistics against it, and the
 * MAP-adapted mean supervector (KL-divergence kernel scaling) that the built-in speaker model compares.
 */
export interface Gmm {
  components: number;
  dim: number;
  weights: Float32Array;
  /** components x dim */
  means: Float32Array;
  /** components x dim */
  variances: Float32Array;
}

interface Prepared {
  gmm: Gmm;
  invVar: Float32Array;
  /** log w_c - 0.5 * (D log 2pi + sum log var) */
  logConst: Float64Array;
}

const prepared = new WeakMap<Gmm, Prepared>();

function prepare(gmm: Gmm): Prepared {
  let p = prepared.get(gmm);
  if (p) return p;
  const { components: k, dim } = gmm;
  const invVar = new Float32Array(k * dim);
  const logConst = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = dim * Math.log(2 * Math.PI);
    for (let d = 0; d < dim; d++) {
      const v = gmm.variances[c * dim + d] ?? 1;
      invVar[c * dim + d] = 1 / v;
      s += Math.log(v);
    }
    logConst[c] = Math.log(Math.max(gmm.weights[c] ?? 0, 1e-30)) - 0.5 * s;
  }
  p = { gmm, invVar, logConst };
  prepared.set(gmm, p);
  return p;
}

/** Writes each component's log(w_c N(x_t)) into `out` and returns the frame's total log-likelihood. */
export function componentLogLik(gmm: Gmm, x: Float32Array, t: number, out: Float64Array): number {
  const { invVar, logConst } = prepare(gmm);
  const { components: k, dim, means } = gmm;
  const o = t * dim;
  let max = -Infinity;
  for (let c = 0; c < k; c++) {
    const m = c * dim;
    let acc = 0;
    for (let d = 0; d < dim; d++) {
      const diff = (x[o + d] ?? 0) - (means[m + d] ?? 0);
      acc += diff * diff * (invVar[m + d] ?? 0);
    }
    const l = (logConst[c] ?? 0) - 0.5 * acc;
    out[c] = l;
    if (l > max) max = l;
  }
  let sum = 0;
  for (let c = 0; c < k; c++) sum += Math.exp((out[c] ?? 0) - max);
  return max + Math.log(sum);
}

export interface GmmStats {
  /** Zeroth order: soft counts per component. */
  n: Float64Array;
  /** First order: components x dim sums of posterior-weighted frames. */
  f: Float64Array;
  /** Mean frame log-likelihood under the GMM. */
  avgLogLik: number;
}

/** Baum-Welch statistics of `frames` feature rows against the GMM. */
export function collectStats(gmm: Gmm, x: Float32Array, frames: number): GmmStats {
  const { components: k, dim } = gmm;
  const n = new Float64Array(k);
  const f = new Float64Array(k * dim);
  const ll = new Float64Array(k);
  let total = 0;
  for (let t = 0; t < frames; t++) {
    const lse = componentLogLik(gmm, x, t, ll);
    total += lse;
    for (let c = 0; c < k; c++) {
      const post = Math.exp((ll[c] ?? 0) - lse);
      if (post < 1e-5) continue; // negligible posteriors: skipping them changes nothing measurable
      n[c] = (n[c] ?? 0) + post;
      const m = c * dim;
      const o = t * dim;
      for (let d = 0; d < dim; d++) f[m + d] = (f[m + d] ?? 0) + post * (x[o + d] ?? 0);
    }
  }
  return { n, f, avgLogLik: frames > 0 ? total / frames : 0 };
}

/**
 * MAP mean adaptation expressed as a supervector: sqrt(w_c) * alpha_c * (E_c[x] - m_c) / sigma_c with
 * alpha_c = n_c / (n_c + relevance). Inner products of these approximate the KL kernel between adapted GMMs.
 */
export function meanSupervector(gmm: Gmm, stats: GmmStats, relevance: number): Float32Array {
  const { components: k, dim } = gmm;
  const sv = new Float32Array(k * dim);
  for (let c = 0; c < k; c++) {
    const nc = stats.n[c] ?? 0;
    if (nc <= 0) continue;
    const scale = Math.sqrt(gmm.weights[c] ?? 0) * (nc / (nc + relevance));
    for (let d = 0; d < dim; d++) {
      const i = c * dim + d;
      const diff = (stats.f[i] ?? 0) / nc - (gmm.means[i] ?? 0);
      sv[i] = (scale * diff) / Math.sqrt(gmm.variances[i] ?? 1);
    }
  }
  return sv;
}
