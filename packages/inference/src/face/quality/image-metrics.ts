/**
 * Exposure, brightness, sharpness and colour of a region (the face box, or the whole image), measured on a
 * fixed-size resample so values do not depend on resolution. Pure functions over RGB pixels (no models).
 */
import type { FaceBox } from '@biogate/contracts';
import { cropResize, type RgbImage } from '../image.ts';
import { clamp01, luma } from './tensors.ts';

/** Side of the square resample the metrics are measured on. */
export const METRIC_SIZE = 128;

/** Luma at or below which a pixel has lost shadow detail (about 1.7 stops under mid-grey: skin of any tone holds detail above it under usable light). */
export const SHADOW_CLIP = 40;
/** Luma at or above which a pixel has lost highlight detail. */
export const HIGHLIGHT_CLIP = 235;
/**
 * Scale of the sharpness mapping `1 - exp(-r / SHARPNESS_SCALE)`, r = Laplacian energy of the most detailed
 * blocks / var(luma) on the 128 px resample: contrast-normalised, so darkening alone does not read as blur.
 * Measured r: sharp faces 0.2-0.8, faces blurred with sigma = width/60 0.002-0.006 (docs/quality.md).
 */
export const SHARPNESS_SCALE = 0.2;
/** Mean chroma (YCbCr, 0..255 units) under which a region counts as colourless. */
export const CHROMA_REF = 10;

export interface RegionMetrics {
  /** Share of pixels with crushed shadows, 0..1 (0 is better). */
  underexposure: number;
  /** Share of pixels with clipped highlights, 0..1 (0 is better). */
  overexposure: number;
  /** Mean luma mapped to -1 (black) .. 0 (mid-grey 128) .. 1 (white). */
  brightness: number;
  /** 0 (blurred) .. 1 (sharp). */
  sharpness: number;
  /** 0 (natural colour) .. 1 (grey or strongly cast). */
  colorDegradation: number;
  /** Raw contrast-normalised Laplacian energy (diagnostics, calibration). */
  laplacianRatio: number;
}

/** Resamples a rectangle (clipped to the image) to METRIC_SIZE x METRIC_SIZE. */
export function resampleRegion(img: RgbImage, box: FaceBox, size = METRIC_SIZE): RgbImage {
  const x1 = Math.max(0, box.x);
  const y1 = Math.max(0, box.y);
  const x2 = Math.min(img.width, box.x + box.width);
  const y2 = Math.min(img.height, box.y + box.height);
  return cropResize(img, x1, y1, Math.max(1, x2 - x1), Math.max(1, y2 - y1), size, size);
}

/**
 * Laplacian energy of the most detailed quarter of 16x16 blocks over the variance of the whole region: blur
 * lowers every block, while a flat area (a mask, a plain background) only lowers the blocks it covers.
 */
function laplacianRatio(y: Float32Array, w: number, h: number): number {
  let mean = 0;
  for (const v of y) mean += v;
  mean /= y.length;
  let varY = 0;
  for (const v of y) varY += (v - mean) ** 2;
  varY /= y.length;
  // A flat region (varY ~ 0) carries no detail to judge: count it as blurred.
  if (varY < 1) return 0;
  const B = 16;
  const blocks: number[] = [];
  for (let by = 0; by + B <= h; by += B) {
    for (let bx = 0; bx + B <= w; bx += B) {
      let sum = 0;
      let sum2 = 0;
      let n = 0;
      for (let r = Math.max(1, by); r < Math.min(h - 1, by + B); r++) {
        for (let c = Math.max(1, bx); c < Math.min(w - 1, bx + B); c++) {
          const i = r * w + c;
          const lap = y[i - 1]! + y[i + 1]! + y[i - w]! + y[i + w]! - 4 * y[i]!;
          sum += lap;
          sum2 += lap * lap;
          n++;
        }
      }
      if (n > 0) blocks.push(sum2 / n - (sum / n) ** 2);
    }
  }
  blocks.sort((a, b) => b - a);
  const top = blocks.slice(0, Math.max(1, Math.floor(blocks.length / 4)));
  return top.reduce((a, b) => a + b, 0) / top.length / varY;
}

/**
 * Colour degradation: the larger of "no colour" (mean chroma magnitude far under CHROMA_REF) and "cast"
 * (mean chroma pointing away from the skin-tone direction in CbCr, Cr > 128 > Cb, for face regions).
 */
function colorDegradation(px: RgbImage, skin: boolean): number {
  const d = px.data;
  let cb = 0;
  let cr = 0;
  let mag = 0;
  const n = d.length / 3;
  for (let p = 0; p < d.length; p += 3) {
    const r = d[p]!;
    const g = d[p + 1]!;
    const b = d[p + 2]!;
    const pcb = -0.168736 * r - 0.331264 * g + 0.5 * b;
    const pcr = 0.5 * r - 0.418688 * g - 0.081312 * b;
    cb += pcb;
    cr += pcr;
    mag += Math.hypot(pcb, pcr);
  }
  cb /= n;
  cr /= n;
  mag /= n;
  const grey = clamp01(1 - mag / CHROMA_REF);
  if (!skin) return grey;
  // Skin hue in the CbCr plane sits near 125 deg (Cb < 0, Cr > 0); beyond 60 deg off it the cast is total.
  const len = Math.hypot(cb, cr);
  if (len < 2) return grey;
  const hue = (Math.atan2(cr, cb) * 180) / Math.PI;
  const off = Math.abs(((hue - 125 + 540) % 360) - 180);
  const cast = clamp01((off - 25) / 35) * clamp01(len / CHROMA_REF);
  return Math.max(grey, cast);
}

/** Measures a region; `skin` = true for face regions (enables the colour-cast check). */
export function regionMetrics(px: RgbImage, skin: boolean): RegionMetrics {
  const y = luma(px);
  let under = 0;
  let over = 0;
  let mean = 0;
  for (const v of y) {
    if (v <= SHADOW_CLIP) under++;
    if (v >= HIGHLIGHT_CLIP) over++;
    mean += v;
  }
  mean /= y.length;
  const ratio = laplacianRatio(y, px.width, px.height);
  return {
    underexposure: under / y.length,
    overexposure: over / y.length,
    brightness: Math.max(-1, Math.min(1, (mean - 128) / 127)),
    sharpness: 1 - Math.exp(-ratio / SHARPNESS_SCALE),
    colorDegradation: colorDegradation(px, skin),
    laplacianRatio: ratio,
  };
}

/** Metrics of the face box. */
export function faceMetrics(img: RgbImage, box: FaceBox): RegionMetrics {
  return regionMetrics(resampleRegion(img, box), true);
}

/** Metrics of the whole image (resampled to 256 x 256, aspect not kept: statistics only). */
export function wholeImageMetrics(img: RgbImage): RegionMetrics {
  return regionMetrics(resampleRegion(img, { x: 0, y: 0, width: img.width, height: img.height }, 256), false);
}
