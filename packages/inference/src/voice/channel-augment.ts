/**
 * Channel augmentation for training and development only (scripts/dev-voice.ts, scripts/train-voice.ts; never at
 * inference): codec/channel copies of a 16 kHz recording, so that within-training-speaker trials and the NAP
 * scatter contain channel variability that the training speakers (one channel each) do not have.
 *   - 'opus8': Ogg Opus at 8 kbit/s (opusenc), decoded by the production WASM decoder;
 *   - 'tel':   telephone channel: 300-3400 Hz band pass, 8 kHz, G.711 mu-law, back to 16 kHz.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeAudio } from './audio-decode.ts';
import { resample } from './resample.ts';
import { encodeWav16 } from './wav-encode.ts';

export type ChannelAugment = 'opus8' | 'tel';

/** RBJ biquad (high- or low-pass, Q = 1/sqrt 2) applied in place. */
function biquad(x: Float32Array, rate: number, hz: number, kind: 'hp' | 'lp'): void {
  const w = (2 * Math.PI * hz) / rate;
  const alpha = Math.sin(w) / (2 * Math.SQRT1_2);
  const cos = Math.cos(w);
  const b0 = kind === 'lp' ? (1 - cos) / 2 : (1 + cos) / 2;
  const b1 = kind === 'lp' ? 1 - cos : -(1 + cos);
  const a0 = 1 + alpha;
  const a1 = -2 * cos;
  const a2 = 1 - alpha;
  let x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const x0 = x[i] ?? 0;
    const y0 = (b0 * x0 + b1 * x1 + b0 * x2 - a1 * y1 - a2 * y2) / a0;
    x2 = x1; x1 = x0; y2 = y1; y1 = y0;
    x[i] = y0;
  }
}

const MU = 255;
const muLaw = (v: number) => {
  const c = Math.max(-1, Math.min(1, v));
  const q = Math.round(((Math.sign(c) * Math.log1p(MU * Math.abs(c))) / Math.log1p(MU)) * 127) / 127; // 8-bit code
  return (Math.sign(q) * ((1 + MU) ** Math.abs(q) - 1)) / MU;
};

/** Telephone channel copy of 16 kHz audio (band pass 300-3400 Hz, 8 kHz mu-law, back to 16 kHz). */
export function telephoneChannel(samples: Float32Array): Float32Array {
  const x = Float32Array.from(samples);
  biquad(x, 16_000, 300, 'hp');
  biquad(x, 16_000, 300, 'hp');
  biquad(x, 16_000, 3400, 'lp');
  biquad(x, 16_000, 3400, 'lp');
  const narrow = resample(x, 16_000, 8_000).map(muLaw);
  return resample(narrow, 8_000, 16_000);
}

/** Ogg Opus round trip at `kbps` through opusenc (tmp files under `tmpDir`) and the production decoder. */
export async function opusRoundTrip(samples: Float32Array, kbps: number, tmpDir: string, id: string): Promise<Float32Array> {
  const inPath = join(tmpDir, `${id}.wav`);
  const outPath = join(tmpDir, `${id}.opus`);
  writeFileSync(inPath, encodeWav16(samples, 16_000));
  execFileSync('opusenc', ['--quiet', '--bitrate', String(kbps), inPath, outPath]);
  return (await decodeAudio(new Uint8Array(readFileSync(outPath)), { maxDurationMs: 3_600_000, maxBytes: 1 << 30 })).samples;
}

/**
 * Speed perturbation (training only): the recording played `factor` times faster, pitch and formants scaled by
 * `factor` (resampled as if it had been recorded at 16 kHz x factor). Used as a new pseudo speaker, as in Kaldi's
 * speed-perturbed x-vector training: a vocal tract ~10% shorter or longer is another voice to the model.
 */
export function speedPerturb(samples: Float32Array, factor: number): Float32Array {
  return resample(samples, Math.round(16_000 * factor), 16_000);
}

export async function augmentChannel(kind: ChannelAugment, samples: Float32Array, tmpDir: string, id: string): Promise<Float32Array> {
  return kind === 'tel' ? telephoneChannel(samples) : opusRoundTrip(samples, 8, tmpDir, id);
}
