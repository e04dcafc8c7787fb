/**
 * Energy voice activity detection on per-frame log energies: a frame is speech when it stands well above the
 * recording's own noise floor and not far below its loudest frames, and above an absolute floor (digital silence).
 */
export interface VadOptions {
  /**
   * A frame must be within this many dB of the loud (99th percentile) frames.
   * @defaultValue 30
   */
  dynamicRangeDb?: number;
  /**
   * Fraction of the way from the noise floor (10th percentile) to the loud frames a frame must reach.
   * @defaultValue 0.35
   */
  floorFraction?: number;
  /**
   * Absolute floor as frame RMS in dBFS; quieter frames are never speech.
   * @defaultValue -55
   */
  absoluteFloorDbfs?: number;
  /** Frame length in samples, to turn the absolute floor into an energy. */
  frameLength: number;
}

const DB_TO_LN = Math.LN10 / 10;

function percentile(sorted: Float32Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))] ?? 0;
}

/** Returns a 0/1 mask per frame, smoothed with a 5-frame majority vote. */
export function energyVad(logEnergy: Float32Array, opts: VadOptions): Uint8Array {
  const n = logEnergy.length;
  const mask = new Uint8Array(n);
  if (n === 0) return mask;
  const sorted = Float32Array.from(logEnergy).sort();
  const loud = percentile(sorted, 0.99);
  const noise = percentile(sorted, 0.1);
  const absFloor = Math.log(opts.frameLength) + (opts.absoluteFloorDbfs ?? -55) * DB_TO_LN;
  const threshold = Math.max(
    loud - (opts.dynamicRangeDb ?? 30) * DB_TO_LN,
    noise + (opts.floorFraction ?? 0.35) * (loud - noise),
    absFloor,
  );
  const raw = new Uint8Array(n);
  for (let i = 0; i < n; i++) raw[i] = (logEnergy[i] ?? -Infinity) > threshold ? 1 : 0;
  for (let i = 0; i < n; i++) {
    let votes = 0;
    for (let k = -2; k <= 2; k++) votes += raw[Math.min(n - 1, Math.max(0, i + k))] ?? 0;
    mask[i] = votes >= 3 ? 1 : 0;
  }
  return mask;
}

export function countVoiced(mask: Uint8Array): number {
  let c = 0;
  for (const v of mask) c += v;
  return c;
}
