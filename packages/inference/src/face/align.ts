/**
 * 5-point similarity alignment to the ArcFace 112x112 template (least squares, Umeyama without reflection).
 */
import type { Point } from '@biogate/contracts';
import { warpAffine, type Affine, type RgbImage } from './image.ts';

export const ALIGN_SIZE = 112;

/** ArcFace reference points for a 112x112 crop: eyes, nose, mouth corners. */
export const ARCFACE_TEMPLATE: readonly Point[] = [
  { x: 38.2946, y: 51.6963 },
  { x: 73.5318, y: 51.5014 },
  { x: 56.0252, y: 71.7366 },
  { x: 41.5493, y: 92.3655 },
  { x: 70.7299, y: 92.2041 },
];

/**
 * Least-squares similarity (rotation, uniform scale, translation) mapping `from` onto `to`:
 * returns [a, b, c, d, e, f] with x' = a*x + b*y + c, y' = d*x + e*y + f (a = e, b = -d).
 */
export function similarityTransform(from: readonly Point[], to: readonly Point[]): Affine {
  const n = from.length;
  let fx = 0;
  let fy = 0;
  let tx = 0;
  let ty = 0;
  for (let i = 0; i < n; i++) {
    fx += from[i]!.x;
    fy += from[i]!.y;
    tx += to[i]!.x;
    ty += to[i]!.y;
  }
  fx /= n;
  fy /= n;
  tx /= n;
  ty /= n;
  let sxx = 0;
  let sxy = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const ux = from[i]!.x - fx;
    const uy = from[i]!.y - fy;
    const vx = to[i]!.x - tx;
    const vy = to[i]!.y - ty;
    sxx += ux * vx + uy * vy;
    sxy += ux * vy - uy * vx;
    norm += ux * ux + uy * uy;
  }
  const a = sxx / norm;
  const b = sxy / norm;
  // [a -b; b a] is scale*rotation.
  return [a, -b, tx - a * fx + b * fy, b, a, ty - b * fx - a * fy];
}

/** Inverts a similarity/affine map. */
export function invertAffine(m: Affine): Affine {
  const [a, b, c, d, e, f] = m;
  const det = a * e - b * d;
  const ia = e / det;
  const ib = -b / det;
  const id = -d / det;
  const ie = a / det;
  return [ia, ib, -(ia * c + ib * f), id, ie, -(id * c + ie * f)];
}

/** Warps the face to the 112x112 ArcFace layout from its 5 points (source pixels). */
export function alignFace(img: RgbImage, points5: readonly Point[]): RgbImage {
  const toTemplate = similarityTransform(points5, ARCFACE_TEMPLATE);
  return warpAffine(img, invertAffine(toTemplate), ALIGN_SIZE, ALIGN_SIZE);
}
