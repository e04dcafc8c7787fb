/**
 * Short-time power spectra and mel filter banks shared by the MFCC (built-in model) and Kaldi-style fbank
 * (neural models) front ends. Radix-2 FFT; Kaldi conventions for framing (snip edges), DC removal and windows.
 */
export type WindowType = 'hamming' | 'povey';

export interface FramingOptions {
  sampleRate: number;
  /** @defaultValue 25 (ms) */
  frameLengthMs?: number;
  /** @defaultValue 10 (ms) */
  frameShiftMs?: number;
  /** @defaultValue 0.97 */
  preemphasis?: number;
  /** @defaultValue 'povey' */
  window?: WindowType;
}

export interface PowerSpectrogram {
  /** frames x bins, row-major; bins = fftSize / 2 + 1. */
  power: Float32Array;
  frames: number;
  bins: number;
  fftSize: number;
  /** Natural-log energy of each frame after DC removal, before windowing (Kaldi's raw energy). */
  logEnergy: Float32Array;
}

function makeWindow(type: WindowType, n: number): Float32Array {
  const w = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const hann = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1));
    w[i] = type === 'povey' ? hann ** 0.85 : 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (n - 1));
  }
  return w;
}

/** In-place iterative radix-2 complex FFT; `re`/`im` length must be a power of two. */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const tr = re[i] ?? 0;
      re[i] = re[j] ?? 0;
      re[j] = tr;
      const ti = im[i] ?? 0;
      im[i] = im[j] ?? 0;
      im[j] = ti;
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    const wr = Math.cos(ang);
    const wi = Math.sin(ang);
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = i + k;
        const b = a + len / 2;
        const xr = (re[b] ?? 0) * cr - (im[b] ?? 0) * ci;
        const xi = (re[b] ?? 0) * ci + (im[b] ?? 0) * cr;
        re[b] = (re[a] ?? 0) - xr;
        im[b] = (im[a] ?? 0) - xi;
        re[a] = (re[a] ?? 0) + xr;
        im[a] = (im[a] ?? 0) + xi;
        const t = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = t;
      }
    }
  }
}

/** Frames the signal (edges snipped, as Kaldi's default), removes DC, pre-emphasises, windows, |FFT|^2. */
export function powerSpectrogram(samples: Float32Array, opts: FramingOptions): PowerSpectrogram {
  const frameLength = Math.round(((opts.frameLengthMs ?? 25) * opts.sampleRate) / 1000);
  const shift = Math.round(((opts.frameShiftMs ?? 10) * opts.sampleRate) / 1000);
  const pre = opts.preemphasis ?? 0.97;
  let fftSize = 1;
  while (fftSize < frameLength) fftSize <<= 1;
  const bins = fftSize / 2 + 1;
  const frames = samples.length < frameLength ? 0 : 1 + Math.floor((samples.length - frameLength) / shift);
  const power = new Float32Array(frames * bins);
  const logEnergy = new Float32Array(frames);
  const win = makeWindow(opts.window ?? 'povey', frameLength);
  const frame = new Float64Array(frameLength);
  const re = new Float64Array(fftSize);
  const im = new Float64Array(fftSize);
  for (let f = 0; f < frames; f++) {
    const start = f * shift;
    let mean = 0;
    for (let i = 0; i < frameLength; i++) mean += samples[start + i] ?? 0;
    mean /= frameLength;
    let energy = 0;
    for (let i = 0; i < frameLength; i++) {
      const v = (samples[start + i] ?? 0) - mean;
      frame[i] = v;
      energy += v * v;
    }
    logEnergy[f] = Math.log(Math.max(energy, 1e-10));
    for (let i = frameLength - 1; i > 0; i--) frame[i] = (frame[i] ?? 0) - pre * (frame[i - 1] ?? 0);
    frame[0] = (frame[0] ?? 0) * (1 - pre);
    re.fill(0);
    im.fill(0);
    for (let i = 0; i < frameLength; i++) re[i] = (frame[i] ?? 0) * (win[i] ?? 0);
    fft(re, im);
    const row = f * bins;
    for (let k = 0; k < bins; k++) power[row + k] = (re[k] ?? 0) ** 2 + (im[k] ?? 0) ** 2;
  }
  return { power, frames, bins, fftSize, logEnergy };
}

const lastSpectrogram = new WeakMap<Float32Array, { key: string; spec: PowerSpectrogram }>();

/**
 * {@link powerSpectrogram}, remembered per samples array (for its last options) so that the bandwidth check and
 * the MFCC front end of one recording compute it once. Callers must not modify `samples` afterwards.
 */
export function sharedPowerSpectrogram(samples: Float32Array, opts: FramingOptions): PowerSpectrogram {
  const key = JSON.stringify(opts);
  const hit = lastSpectrogram.get(samples);
  if (hit?.key === key) return hit.spec;
  const spec = powerSpectrogram(samples, opts);
  lastSpectrogram.set(samples, { key, spec });
  return spec;
}

const mel = (hz: number) => 1127 * Math.log(1 + hz / 700);

/** Kaldi-style triangular mel filters (triangles in the mel domain), as a dense bins x filters matrix. */
export function melFilterBank(numFilters: number, fftSize: number, sampleRate: number, lowHz: number, highHz: number): Float32Array[] {
  const bins = fftSize / 2 + 1;
  const lo = mel(lowHz);
  const delta = (mel(highHz) - lo) / (numFilters + 1);
  const filters: Float32Array[] = [];
  for (let m = 0; m < numFilters; m++) {
    const left = lo + m * delta;
    const centre = left + delta;
    const right = centre + delta;
    const w = new Float32Array(bins);
    for (let k = 0; k < bins; k++) {
      const z = mel((k * sampleRate) / fftSize);
      if (z > left && z < right) w[k] = z <= centre ? (z - left) / (centre - left) : (right - z) / (right - centre);
    }
    filters.push(w);
  }
  return filters;
}

/** Applies filters to every frame: returns frames x filters natural-log energies (floored at `floor`). */
export function logMelEnergies(spec: PowerSpectrogram, filters: Float32Array[], floor = 1.1920929e-7): Float32Array {
  const n = filters.length;
  const out = new Float32Array(spec.frames * n);
  const ranges = filters.map((w) => {
    let a = w.findIndex((v) => v > 0);
    if (a < 0) a = 0;
    let b = w.length - 1;
    while (b > a && (w[b] ?? 0) === 0) b--;
    return [a, b] as const;
  });
  for (let f = 0; f < spec.frames; f++) {
    const row = f * spec.bins;
    for (let m = 0; m < n; m++) {
      const w = filters[m] as Float32Array;
      const [a, b] = ranges[m] as readonly [number, number];
      let acc = 0;
      for (let k = a; k <= b; k++) acc += (w[k] ?? 0) * (spec.power[row + k] ?? 0);
      out[f * n + m] = Math.log(Math.max(acc, floor));
    }
  }
  return out;
}
