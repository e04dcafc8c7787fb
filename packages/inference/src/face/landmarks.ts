/**
 * fr_landmark: 68 iBUG points from a 64x64 gray crop scaled `/256`, outputs normalised to the crop.
 * Crop measured to work best (MODELS.md): a square of side sqrt(w*h) of the raw box, centred, widened 5% left
 * and right and 10% at the bottom, clipped to the image.
 */
import * as ort from 'onnxruntime-node';
import type { Point } from '@biogate/contracts';
import type { Detection } from './detector.ts';
import { cropResize, type RgbImage } from './image.ts';

export const LANDMARK_SIZE = 64;

export interface Region {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The landmark crop for a detection, in source pixels, clipped to the image. */
export function landmarkCrop(det: Detection, width: number, height: number): Region {
  const side = Math.sqrt(Math.max(1, (det.x2 - det.x1) * (det.y2 - det.y1)));
  const cx = (det.x1 + det.x2) / 2;
  const cy = (det.y1 + det.y2) / 2;
  const x1 = Math.max(0, cx - side / 2 - 0.05 * side);
  const x2 = Math.min(width, cx + side / 2 + 0.05 * side);
  const y1 = Math.max(0, cy - side / 2);
  const y2 = Math.min(height, cy + side / 2 + 0.1 * side);
  return { x: x1, y: y1, w: Math.max(1, x2 - x1), h: Math.max(1, y2 - y1) };
}

/** Gray (ITU-R 601 luma) `/256` NCHW tensor of a 64x64 RGB crop. */
export function landmarkTensor(crop: RgbImage): Float32Array {
  const n = LANDMARK_SIZE * LANDMARK_SIZE;
  const t = new Float32Array(n);
  const d = crop.data;
  for (let i = 0, p = 0; i < n; i++, p += 3) t[i] = (0.299 * d[p]! + 0.587 * d[p + 1]! + 0.114 * d[p + 2]!) / 256;
  return t;
}

/** Runs the landmark model for one detection; points in source pixels. */
export async function detectLandmarks(session: ort.InferenceSession, img: RgbImage, det: Detection): Promise<Point[]> {
  const r = landmarkCrop(det, img.width, img.height);
  const crop = cropResize(img, r.x, r.y, r.w, r.h, LANDMARK_SIZE, LANDMARK_SIZE);
  const input = new ort.Tensor('float32', landmarkTensor(crop), [1, 1, LANDMARK_SIZE, LANDMARK_SIZE]);
  const out = (await session.run({ input })).output?.data as Float32Array;
  const points: Point[] = [];
  for (let i = 0; i < 68; i++) points.push({ x: r.x + out[2 * i]! * r.w, y: r.y + out[2 * i + 1]! * r.h });
  return points;
}

function mean(points: Point[], idx: number[]): Point {
  let x = 0;
  let y = 0;
  for (const i of idx) {
    x += points[i]!.x;
    y += points[i]!.y;
  }
  return { x: x / idx.length, y: y / idx.length };
}

/**
 * 5 points from the 68: eye centres (mean of 37,38,40,41 and 43,44,46,47), nose tip 30, mouth corners
 * mean(48,60) and mean(54,64). Order: image-left eye, image-right eye, nose, image-left mouth, image-right mouth.
 */
export function fivePoints(l68: Point[]): Point[] {
  return [
    mean(l68, [37, 38, 40, 41]),
    mean(l68, [43, 44, 46, 47]),
    mean(l68, [30]),
    mean(l68, [48, 60]),
    mean(l68, [54, 64]),
  ];
}
