/**
 * fr_feature: 512-d embedding of a 112x112 aligned crop normalised `(v - 127) / 128`, L2-normalised here.
 * Channel order BGR (measured slightly better separation than RGB, see docs/face-calibration.md).
 */
import * as ort from 'onnxruntime-node';
import { ALIGN_SIZE } from './align.ts';
import type { RgbImage } from './image.ts';
import { FACE_THRESHOLDS } from './thresholds.ts';

export const EMBEDDING_SIZE = 512;

/** Channel order fed to the model. */
export type ChannelOrder = 'bgr' | 'rgb';

export function embeddingTensor(aligned: RgbImage, order: ChannelOrder = 'bgr'): Float32Array {
  const plane = ALIGN_SIZE * ALIGN_SIZE;
  const t = new Float32Array(plane * 3);
  const d = aligned.data;
  const [c0, c2] = order === 'bgr' ? [2, 0] : [0, 2];
  for (let i = 0, p = 0; i < plane; i++, p += 3) {
    t[i] = (d[p + c0]! - 127) / 128;
    t[plane + i] = (d[p + 1]! - 127) / 128;
    t[2 * plane + i] = (d[p + c2]! - 127) / 128;
  }
  return t;
}

export function l2Normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const inv = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! * inv;
  return out;
}

/** Embeds one aligned face; the result has unit L2 norm. */
export async function embedFace(session: ort.InferenceSession, aligned: RgbImage, order: ChannelOrder = 'bgr'): Promise<Float32Array> {
  const input = new ort.Tensor('float32', embeddingTensor(aligned, order), [1, 3, ALIGN_SIZE, ALIGN_SIZE]);
  const out = (await session.run({ input })).output?.data as Float32Array;
  return l2Normalize(out);
}

/** Cosine similarity of two unit vectors (their dot product), in [-1, 1]. */
export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`embedding sizes differ: ${a.length} vs ${b.length}`);
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return Math.max(-1, Math.min(1, dot));
}

/**
 * Maps cosine similarity to the seeds' 0-100 `similarity_ratio`. Piecewise linear so the verification
 * threshold sits at 50: cosine <= 0 -> 0, cosine = threshold -> 50, cosine = 1 -> 100. Ratio >= 50 therefore
 * means "same person" at the default threshold, and clients comparing the ratio to 50 stay right when the
 * threshold is re-calibrated.
 */
export function similarityRatio(cosine: number, threshold: number = FACE_THRESHOLDS.verification.cosine): number {
  if (cosine <= 0) return 0;
  if (cosine >= 1) return 100;
  const r = cosine < threshold ? (50 * cosine) / threshold : 50 + (50 * (cosine - threshold)) / (1 - threshold);
  return Math.round(r * 100) / 100;
}
