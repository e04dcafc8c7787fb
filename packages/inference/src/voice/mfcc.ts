/**
 * MFCC front end of the built-in models: telephone-band mel filters (much training speech is 8 kHz) or, for the
 * wideband model, filters up to 7.6 kHz; cepstra c1..cN, deltas and delta-deltas, then mean/variance
 * normalisation over the voiced frames of the recording.
 */
import { logMelEnergies, melFilterBank, sharedPowerSpectrogram } from './spectrum.ts';
import { countVoiced, energyVad } from './vad.ts';

export interface MfccConfig {
  sampleRate: number;
  numFilters: number;
  numCeps: number;
  lowHz: number;
  highHz: number;
  deltaWindow: number;
  /**
   * Sliding-window CMVN over this many voiced frames (centred window; 300 = 3 s) instead of one mean/variance per
   * recording. Absent or 0: per-recording CMVN (every shipped model).
   */
  cmvnWindow?: number;
}

export const DEFAULT_MFCC: MfccConfig = { sampleRate: 16_000, numFilters: 24, numCeps: 19, lowHz: 100, highHz: 3800, deltaWindow: 2 };

/** Front end of the wideband model (pairs where both recordings carry the band above 4 kHz, bandwidth.ts). */
export const WIDEBAND_MFCC: MfccConfig = { ...DEFAULT_MFCC, numFilters: 32, highHz: 7600 };

export interface SpeechFeatures {
  /** voicedFrames x dim, row-major, normalised. */
  data: Float32Array;
  frames: number;
  dim: number;
  /** Voiced seconds found by the VAD. */
  speechSeconds: number;
}

const filterCache = new Map<string, Float32Array[]>();
const dctCache = new Map<string, Float32Array>();

/** Orthonormal DCT-II rows c = 1..numCeps over numFilters log energies. */
function dctMatrix(numCeps: number, numFilters: number): Float32Array {
  const key = `${numCeps}:${numFilters}`;
  let m = dctCache.get(key);
  if (!m) {
    m = new Float32Array(numCeps * numFilters);
    for (let c = 1; c <= numCeps; c++) {
      for (let f = 0; f < numFilters; f++) m[(c - 1) * numFilters + f] = Math.cos((Math.PI * c * (f + 0.5)) / numFilters) * Math.sqrt(2 / numFilters);
    }
    dctCache.set(key, m);
  }
  return m;
}

function deltas(x: Float32Array, frames: number, dim: number, win: number): Float32Array {
  const out = new Float32Array(frames * dim);
  let norm = 0;
  for (let k = 1; k <= win; k++) norm += 2 * k * k;
  for (let t = 0; t < frames; t++) {
    for (let d = 0; d < dim; d++) {
      let acc = 0;
      for (let k = 1; k <= win; k++) {
        const a = Math.min(frames - 1, t + k);
        const b = Math.max(0, t - k);
        acc += k * ((x[a * dim + d] ?? 0) - (x[b * dim + d] ?? 0));
      }
      out[t * dim + d] = acc / norm;
    }
  }
  return out;
}

/** Computes normalised MFCC+delta+delta-delta features of the voiced frames of 16 kHz mono audio. */
export function speechFeatures(samples: Float32Array, cfg: MfccConfig = DEFAULT_MFCC, opts: { cmvn?: boolean } = {}): SpeechFeatures {
  const spec = sharedPowerSpectrogram(samples, { sampleRate: cfg.sampleRate, window: 'hamming' });
  const key = `${cfg.numFilters}:${spec.fftSize}:${cfg.sampleRate}:${cfg.lowHz}:${cfg.highHz}`;
  let filters = filterCache.get(key);
  if (!filters) {
    filters = melFilterBank(cfg.numFilters, spec.fftSize, cfg.sampleRate, cfg.lowHz, cfg.highHz);
    filterCache.set(key, filters);
  }
  const logMel = logMelEnergies(spec, filters);
  const frames = spec.frames;
  const nc = cfg.numCeps;
  const ceps = new Float32Array(frames * nc);
  const nf = cfg.numFilters;
  const dct = dctMatrix(nc, nf);
  for (let t = 0; t < frames; t++) {
    for (let c = 0; c < nc; c++) {
      let acc = 0;
      for (let m = 0; m < nf; m++) acc += (logMel[t * nf + m] ?? 0) * (dct[c * nf + m] ?? 0);
      ceps[t * nc + c] = acc;
    }
  }
  const d1 = deltas(ceps, frames, nc, cfg.deltaWindow);
  const d2 = deltas(d1, frames, nc, cfg.deltaWindow);
  const mask = energyVad(spec.logEnergy, { frameLength: Math.round(0.025 * cfg.sampleRate) });
  const voiced = countVoiced(mask);
  const dim = nc * 3;
  const data = new Float32Array(voiced * dim);
  for (let t = 0, v = 0; t < frames; t++) {
    if (!mask[t]) continue;
    const o = v * dim;
    for (let c = 0; c < nc; c++) {
      data[o + c] = ceps[t * nc + c] ?? 0;
      data[o + nc + c] = d1[t * nc + c] ?? 0;
      data[o + 2 * nc + c] = d2[t * nc + c] ?? 0;
    }
    v++;
  }
  if (opts.cmvn ?? true) {
    if (cfg.cmvnWindow && voiced > cfg.cmvnWindow) slidingNormalise(data, voiced, dim, cfg.cmvnWindow);
    else normalise(data, voiced, dim);
  }
  return { data, frames: voiced, dim, speechSeconds: voiced * 0.01 };
}

/** Per-utterance CMVN: zero mean, unit variance per dimension. */
function normalise(x: Float32Array, frames: number, dim: number): void {
  if (frames < 2) return;
  for (let d = 0; d < dim; d++) {
    let s = 0;
    let s2 = 0;
    for (let t = 0; t < frames; t++) {
      const v = x[t * dim + d] ?? 0;
      s += v;
      s2 += v * v;
    }
    const mean = s / frames;
    const sd = Math.sqrt(Math.max(s2 / frames - mean * mean, 1e-8));
    for (let t = 0; t < frames; t++) x[t * dim + d] = ((x[t * dim + d] ?? 0) - mean) / sd;
  }
}

/** Sliding-window CMVN: each frame normalised by the mean/variance of the `win` frames centred on it (clamped at the ends). */
export function slidingNormalise(x: Float32Array, frames: number, dim: number, win: number): void {
  const s = new Float64Array((frames + 1) * dim);
  const s2 = new Float64Array((frames + 1) * dim);
  for (let t = 0; t < frames; t++) {
    for (let d = 0; d < dim; d++) {
      const v = x[t * dim + d] ?? 0;
      s[(t + 1) * dim + d] = (s[t * dim + d] ?? 0) + v;
      s2[(t + 1) * dim + d] = (s2[t * dim + d] ?? 0) + v * v;
    }
  }
  const half = Math.floor(win / 2);
  for (let t = 0; t < frames; t++) {
    const a = Math.max(0, Math.min(t - half, frames - win));
    const b = a + win;
    for (let d = 0; d < dim; d++) {
      const sum = (s[b * dim + d] ?? 0) - (s[a * dim + d] ?? 0);
      const sq = (s2[b * dim + d] ?? 0) - (s2[a * dim + d] ?? 0);
      const mean = sum / win;
      const sd = Math.sqrt(Math.max(sq / win - mean * mean, 1e-8));
      x[t * dim + d] = ((x[t * dim + d] ?? 0) - mean) / sd;
    }
  }
}
