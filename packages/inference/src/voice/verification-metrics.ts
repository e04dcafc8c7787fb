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
