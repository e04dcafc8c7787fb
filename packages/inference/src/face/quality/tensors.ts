/**
 * Small tensor helpers shared by the quality models: planar NCHW fills from interleaved RGB crops, softmax.
 */
import type { RgbImage } from '../image.ts';

const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

/** How a crop's 0..255 RGB values become model input. */
export type PixelNorm = 'imagenet' | 'unit' | 'raw';

/**
 * Planar float tensor data (C, H, W) of an RGB crop; `order: 'bgr'` writes blue first (the ImageNet
 * mean/std still apply by output channel position, as in the cv2-based training code of such models).
 */
export function rgbPlanar(img: RgbImage, norm: PixelNorm, order: 'rgb' | 'bgr' = 'rgb'): Float32Array {
  const plane = img.width * img.height;
  const out = new Float32Array(plane * 3);
  const d = img.data;
  for (let i = 0, p = 0; i < plane; i++, p += 3) {
    for (let c = 0; c < 3; c++) {
      const v = d[p + (order === 'bgr' ? 2 - c : c)]!;
      out[c * plane + i] = norm === 'raw' ? v : norm === 'unit' ? v / 255 : (v / 255 - IMAGENET_MEAN[c]!) / IMAGENET_STD[c]!;
    }
  }
  return out;
}

/** ITU-R 601 luma of every pixel, 0..255. */
export function luma(img: RgbImage): Float32Array {
  const n = img.width * img.height;
  const out = new Float32Array(n);
  const d = img.data;
  for (let i = 0, p = 0; i < n; i++, p += 3) out[i] = 0.299 * d[p]! + 0.587 * d[p + 1]! + 0.114 * d[p + 2]!;
  return out;
}

/** Numerically stable softmax. */
export function softmax(logits: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!);
  const exps = Array.from({ length: logits.length }, (_, i) => Math.exp(logits[i]! - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

export const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);
