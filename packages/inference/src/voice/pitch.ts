/**
 * Speaking pitch of a recording: the median fundamental frequency of its voiced frames, in octaves (log2 Hz).
 * A long-term prosodic cue that MFCCs (which normalise away the source) mostly miss; the built-in model can
 * fuse it with the spectral score. Normalised cross-correlation (NCCF) per 40 ms frame, computed through the FFT.
 */
import { fft } from './spectrum.ts';

export interface PitchOptions {
  sampleRate: number;
  /** Search range in Hz. @defaultValue 60..400 */
  minHz?: number;
  maxHz?: number;
  /** A frame is voiced when its best NCCF peak reaches this. @defaultValue 0.7 */
  voicing?: number;
}

export interface PitchSummary {
  /** Median log2 F0 of the voiced frames (NaN when fewer than 20 frames are voiced). */
  medianLog2: number;
  voicedFrames: number;
}

const FRAME_MS = 40;
const HOP_MS = 10;

/** Median log2 F0 over frames that are voiced (periodic) and loud (within 30 dB of the loudest 5%). */
export function pitchSummary(samples: Float32Array, opts: PitchOptions): PitchSummary {
  const rate = opts.sampleRate;
  const n = Math.round((FRAME_MS * rate) / 1000);
  const hop = Math.round((HOP_MS * rate) / 1000);
  const minLag = Math.floor(rate / (opts.maxHz ?? 400));
  const maxLag = Math.min(n - 1, Math.ceil(rate / (opts.minHz ?? 60)));
  const voicing = opts.voicing ?? 0.7;
  let size = 1;
  while (size < n + maxLag) size <<= 1;
  const frames = samples.length >= n ? Math.floor((samples.length - n) / hop) + 1 : 0;
  const energy = new Float64Array(frames);
  for (let f = 0; f < frames; f++) {
    let e = 0;
    for (let i = 0; i < n; i++) e += (samples[f * hop + i] ?? 0) ** 2;
    energy[f] = e;
  }
  const loud = [...energy].sort((a, b) => a - b)[Math.floor(frames * 0.95)] ?? 0;
  const logs: number[] = [];
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  const cum = new Float64Array(n + 1);
  for (let f = 0; f < frames; f++) {
    if ((energy[f] ?? 0) < loud * 1e-3 || (energy[f] ?? 0) === 0) continue;
    re.fill(0);
    im.fill(0);
    let mean = 0;
    for (let i = 0; i < n; i++) mean += (samples[f * hop + i] ?? 0) / n;
    for (let i = 0; i < n; i++) {
      const v = (samples[f * hop + i] ?? 0) - mean;
      re[i] = v;
      cum[i + 1] = (cum[i] ?? 0) + v * v;
    }
    // Autocorrelation = inverse FFT of the power spectrum (zero padding keeps it linear up to maxLag).
    fft(re, im);
    for (let k = 0; k < size; k++) {
      re[k] = (re[k] ?? 0) ** 2 + (im[k] ?? 0) ** 2;
      im[k] = 0;
    }
    fft(re, im); // forward FFT of a real, even sequence = inverse up to the 1/size factor
    const total = cum[n] ?? 0;
    let best = -1;
    let bestLag = 0;
    const nccf = new Float64Array(maxLag + 1);
    for (let lag = minLag; lag <= maxLag; lag++) {
      const head = cum[n - lag] ?? 0; // energy of x[0 .. n-lag)
      const tail = total - (cum[lag] ?? 0); // energy of x[lag .. n)
      const r = (re[lag] ?? 0) / size / (Math.sqrt(head * tail) || 1);
      nccf[lag] = r;
      if (r > best) {
        best = r;
        bestLag = lag;
      }
    }
    if (best < voicing) continue;
    // Octave errors: the shortest lag with a local peak nearly as strong as the best one is the period.
    for (let lag = minLag + 1; lag < bestLag; lag++) {
      const r = nccf[lag] ?? 0;
      if (r >= 0.9 * best && r >= (nccf[lag - 1] ?? 0) && r >= (nccf[lag + 1] ?? 0)) {
        bestLag = lag;
        break;
      }
    }
    // Parabolic interpolation around the peak.
    const a = nccf[bestLag - 1] ?? 0;
    const b = nccf[bestLag] ?? 0;
    const c = nccf[bestLag + 1] ?? 0;
    const den = a - 2 * b + c;
    const shift = bestLag > minLag && bestLag < maxLag && den < 0 ? (0.5 * (a - c)) / den : 0;
    logs.push(Math.log2(rate / (bestLag + shift)));
  }
  if (logs.length < 20) return { medianLog2: Number.NaN, voicedFrames: logs.length };
  logs.sort((x, y) => x - y);
  return { medianLog2: logs[Math.floor(logs.length / 2)] ?? Number.NaN, voicedFrames: logs.length };
}
