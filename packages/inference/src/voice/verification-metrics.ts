/** Verification metrics over scored trials: EER, FMR/FNMR at a threshold, and a logistic calibration fit. */
export interface Trial {
  score: number;
  /** true for a same-speaker pair. */
  target: boolean;
}

export interface ErrorRates {
  /** False match rate: different-speaker pairs accepted. */
  fmr: number;
  /** False non-match rate: same-speaker pairs rejected. */
  fnmr: number;
}

/** Rates when scores >= threshold are accepted. */
export function ratesAt(trials: Trial[], threshold: number): ErrorRates {
  let fm = 0;
  let nm = 0;
  let tg = 0;
  let im = 0;
  for (const t of trials) {
    if (t.target) {
      tg++;
      if (t.score < threshold) nm++;
    } else {
      im++;
      if (t.score >= threshold) fm++;
    }
  }
  return { fmr: im ? fm / im : 0, fnmr: tg ? nm / tg : 0 };
}

/** Equal error rate and the threshold where FMR and FNMR cross (scanning every observed score). */
export function equalErrorRate(trials: Trial[]): { eer: number; threshold: number } {
  const sorted = [...trials].sort((a, b) => a.score - b.score);
  const targets = trials.filter((t) => t.target).length;
  const impostors = trials.length - targets;
  if (!targets || !impostors) return { eer: Number.NaN, threshold: Number.NaN };
  let best = { gap: Infinity, eer: 1, threshold: 0 };
  let rejectedTargets = 0;
  let rejectedImpostors = 0;
  for (let i = 0; i <= sorted.length; i++) {
    // threshold just above sorted[i-1]: everything before i is rejected
    const fnmr = rejectedTargets / targets;
    const fmr = (impostors - rejectedImpostors) / impostors;
    const gap = Math.abs(fnmr - fmr);
    if (gap < best.gap) {
      const lo = sorted[i - 1]?.score ?? (sorted[0]?.score ?? 0) - 1e-6;
      const hi = sorted[i]?.score ?? lo + 1e-6;
      best = { gap, eer: (fnmr + fmr) / 2, threshold: (lo + hi) / 2 };
    }
    const t = sorted[i];
    if (!t) break;
    if (t.target) rejectedTargets++;
    else rejectedImpostors++;
  }
  return { eer: best.eer, threshold: best.threshold };
}

/** Fits p(target) = sigmoid(scale * (score - centre)) by Newton's method on balanced-weight log loss. */
export function fitLogistic(trials: Trial[], iterations = 50): { centre: number; scale: number } {
  const nt = trials.filter((t) => t.target).length;
  const ni = trials.length - nt;
  let a = 1; // slope
  let b = 0; // intercept
  for (let it = 0; it < iterations; it++) {
    let ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
    for (const t of trials) {
      const w = t.target ? 0.5 / nt : 0.5 / ni;
      const p = 1 / (1 + Math.exp(-(a * t.score + b)));
      const e = p - (t.target ? 1 : 0);
      const h = p * (1 - p) * w;
      ga += w * e * t.score;
      gb += w * e;
      haa += h * t.score * t.score;
      hab += h * t.score;
      hbb += h;
    }
    const reg = 1e-6;
    const det = (haa + reg) * (hbb + reg) - hab * hab;
    if (Math.abs(det) < 1e-18) break;
    a -= ((hbb + reg) * ga - hab * gb) / det;
    b -= ((haa + reg) * gb - hab * ga) / det;
  }
  return { centre: -b / a, scale: a };
}

/** Wilson score interval (95% by default) for `k` events out of `n` independent trials. */
export function wilsonInterval(k: number, n: number, z = 1.96): [number, number] {
  if (n === 0) return [Number.NaN, Number.NaN];
  const p = k / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, c - h), Math.min(1, c + h)];
}

/** A trial between two speakers (indices); same index = target trial. */
export interface SpeakerTrial {
  score: number;
  a: number;
  b: number;
}

export interface BootstrapResult {
  eer: [number, number];
  fmr: [number, number];
  fnmr: [number, number];
  /** Replicates that had both target and impostor trials. */
  replicates: number;
}

/**
 * 95% percentile intervals of EER and FMR/FNMR at `threshold` by resampling SPEAKERS with replacement
 * (trials share speakers and recordings, so they are not independent; this keeps each speaker's trials together).
 * A speaker drawn c times weighs c in its target trials; an impostor pair of speakers drawn c and d times weighs c*d.
 */
export function speakerBootstrap(trials: SpeakerTrial[], speakers: number, threshold: number, reps = 1000, seed = 1): BootstrapResult {
  const sorted = [...trials].sort((x, y) => x.score - y.score);
  let s = seed >>> 0 || 1;
  const rand = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
  const eers: number[] = [];
  const fmrs: number[] = [];
  const fnmrs: number[] = [];
  const count = new Float64Array(speakers);
  for (let r = 0; r < reps; r++) {
    count.fill(0);
    for (let i = 0; i < speakers; i++) count[Math.floor(rand() * speakers)]! += 1;
    let tgt = 0;
    let imp = 0;
    let fm = 0;
    let nm = 0;
    const w = new Float64Array(sorted.length);
    sorted.forEach((t, i) => {
      const wi = t.a === t.b ? (count[t.a] ?? 0) : (count[t.a] ?? 0) * (count[t.b] ?? 0);
      w[i] = wi;
      if (t.a === t.b) {
        tgt += wi;
        if (t.score < threshold) nm += wi;
      } else {
        imp += wi;
        if (t.score >= threshold) fm += wi;
      }
    });
    if (tgt === 0 || imp === 0) continue;
    fmrs.push(fm / imp);
    fnmrs.push(nm / tgt);
    // EER: scan thresholds upward; everything below the cut is rejected.
    let rejT = 0;
    let rejI = 0;
    let best = { gap: Infinity, eer: 1 };
    for (let i = 0; i <= sorted.length; i++) {
      const fnmr = rejT / tgt;
      const fmr = (imp - rejI) / imp;
      const gap = Math.abs(fnmr - fmr);
      if (gap < best.gap) best = { gap, eer: (fnmr + fmr) / 2 };
      const t = sorted[i];
      if (!t) break;
      if (t.a === t.b) rejT += w[i] ?? 0;
      else rejI += w[i] ?? 0;
    }
    eers.push(best.eer);
  }
  const ci = (xs: number[]): [number, number] => {
    if (xs.length === 0) return [Number.NaN, Number.NaN];
    const v = [...xs].sort((x, y) => x - y);
    return [v[Math.floor(0.025 * (v.length - 1))] ?? Number.NaN, v[Math.ceil(0.975 * (v.length - 1))] ?? Number.NaN];
  };
  return { eer: ci(eers), fmr: ci(fmrs), fnmr: ci(fnmrs), replicates: eers.length };
}
