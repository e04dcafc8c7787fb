/**
 * Audio bandwidth of a recording: whether its speech carries energy above the telephone band. Recordings made at
 * 8 kHz (or through a narrowband codec) and resampled to 16 kHz have nothing above 4 kHz; the built-in model
 * scores a pair with its wideband front end only when both sides have that band (docs/voice.md).
 */
import { sharedPowerSpectrogram } from './spectrum.ts';
import { energyVad } from './vad.ts';

/**
 * Energy of 4.3..7.5 kHz relative to 0.3..3.4 kHz, in dB, over the speech frames of 16 kHz mono audio.
 * Measured on the corpus (4 s segments): -37 to -49 dB for 8 kHz sources (window leakage), -29 to +11 dB for
 * wideband ones.
 */
export function highBandRatioDb(samples: Float32Array, sampleRate = 16_000): number {
  // Same framing as the MFCC front end: the recording's spectrogram is computed once for both.
  const spec = sharedPowerSpectrogram(samples, { sampleRate, window: 'hamming' });
  const mask = energyVad(spec.logEnergy, { frameLength: Math.round(0.025 * sampleRate) });
  const hz = sampleRate / spec.fftSize;
  const band = (lo: number, hi: number) => [Math.ceil(lo / hz), Math.min(spec.bins - 1, Math.floor(hi / hz))] as const;
  const [tl, th] = band(300, 3400);
  const [hl, hh] = band(4300, 7500);
  let tel = 0;
  let high = 0;
  for (let t = 0; t < spec.frames; t++) {
    if (!mask[t]) continue;
    const row = t * spec.bins;
    for (let b = tl; b <= th; b++) tel += spec.power[row + b] ?? 0;
    for (let b = hl; b <= hh; b++) high += spec.power[row + b] ?? 0;
  }
  if (tel <= 0) return -Infinity;
  return 10 * Math.log10(Math.max(high, 1e-30) / tel);
}

/** Above this {@link highBandRatioDb}, a recording counts as wideband. */
export const WIDEBAND_MIN_DB = -25;

/** Whether 16 kHz mono audio carries speech above the telephone band (see {@link highBandRatioDb}). */
export const isWideband = (samples: Float32Array): boolean => highBandRatioDb(samples) > WIDEBAND_MIN_DB;
