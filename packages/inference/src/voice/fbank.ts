/**
 * Kaldi-compatible log mel filter bank (torchaudio.compliance.kaldi.fbank defaults: 25/10 ms frames, edges
 * snipped, DC removal, pre-emphasis 0.97, povey window, power spectrum, mel triangles 20 Hz..Nyquist, dither off),
 * the front end of the public speaker-embedding ONNX models (3D-Speaker CAM++, WeSpeaker ResNet34).
 */
import { logMelEnergies, melFilterBank, powerSpectrogram, type WindowType } from './spectrum.ts';
import { countVoiced, energyVad } from './vad.ts';

export interface FbankOptions {
  /** @defaultValue 80 */
  numMelBins?: number;
  /** @defaultValue 'povey' (3D-Speaker); WeSpeaker recipes use 'hamming' */
  window?: WindowType;
  /** @defaultValue 20 */
  lowHz?: number;
  /**
   * Keep only frames the energy VAD marks as speech (silence carries no speaker information).
   * @defaultValue true
   */
  voicedOnly?: boolean;
  /**
   * Subtract the per-bin mean over the kept frames (CMN), as both recipes do before the network.
   * @defaultValue true
   */
  cmn?: boolean;
}

export interface Fbank {
  /** frames x bins, row-major. */
  data: Float32Array;
  frames: number;
  bins: number;
  speechSeconds: number;
}

const filterCache = new Map<string, Float32Array[]>();

/** Log mel fbank of 16 kHz mono samples in [-1, 1] (scaled to the int16 range first, as Kaldi reads WAVs). */
export function kaldiFbank(samples: Float32Array, opts: FbankOptions = {}): Fbank {
  const sampleRate = 16_000;
  const bins = opts.numMelBins ?? 80;
  const scaled = Float32Array.from(samples, (v) => v * 32768);
  const spec = powerSpectrogram(scaled, { sampleRate, window: opts.window ?? 'povey', preemphasis: 0.97 });
  const key = `${bins}:${spec.fftSize}:${opts.lowHz ?? 20}`;
  let filters = filterCache.get(key);
  if (!filters) {
    filters = melFilterBank(bins, spec.fftSize, sampleRate, opts.lowHz ?? 20, sampleRate / 2);
    filterCache.set(key, filters);
  }
  const all = logMelEnergies(spec, filters);
  const mask = opts.voicedOnly === false ? new Uint8Array(spec.frames).fill(1) : energyVad(spec.logEnergy, { frameLength: 400 });
  const frames = countVoiced(mask);
  const data = new Float32Array(frames * bins);
  for (let t = 0, v = 0; t < spec.frames; t++) {
    if (!mask[t]) continue;
    data.set(all.subarray(t * bins, (t + 1) * bins), v * bins);
    v++;
  }
  if ((opts.cmn ?? true) && frames > 0) {
    for (let b = 0; b < bins; b++) {
      let s = 0;
      for (let t = 0; t < frames; t++) s += data[t * bins + b] ?? 0;
      const mean = s / frames;
      for (let t = 0; t < frames; t++) data[t * bins + b] = (data[t * bins + b] ?? 0) - mean;
    }
  }
  return { data, frames, bins, speechSeconds: frames * 0.01 };
}
