/**
 * Clear glasses without a model: the lower rim of each lens is a thin line crossing the cheek just under the eye.
 * The face is resampled to a frame where the eye line is horizontal and the eye centres are `EYE_DISTANCE` px
 * apart; under each eye a strip is searched for the strongest continuous thin horizontal line (a dynamic-
 * programming path across the strip, slope <= 1 px per column) of a line-only filter: a pixel counts only when
 * it is darker (or brighter) than *both* neighbours 2 (or 4) px above and below, so the step edges of
 * lids, brows and the face border give nothing. Strength = mean contrast along the path in % of the cheek luma.
 * Smile creases and lower lids sit higher (under 148 in the frame, eyes at 120) and are left out of the strip.
 * The same search runs on chroma, for grey and metal rims as bright as the skin.
 * Measured on real photos in docs/quality.md.
 */
import type { Point } from '@biogate/contracts';
import { warpAffine, type Affine, type RgbImage } from '../image.ts';

/** Eye-centre distance of the normalised frame, px. */
export const EYE_DISTANCE = 100;
/** Frame rows searched for the lower rim (eyes at row 0 = 120 in the full frame). */
const STRIP_TOP = 148 - 120;
const STRIP_BOTTOM = 185 - 120;
/** Columns of each strip relative to the eye centre (lens width). */
const STRIP_HALF = 28;
/** Distances to the neighbours a line pixel is compared with: thin metal rims (2) and thick plastic ones (4). */
const LINE_HALF_WIDTHS = [2, 4] as const;
/** Pixels averaged along the line (the rim is horizontal: smoothing along it keeps its contrast). */
const ALONG = 2;
const MARGIN = 4 + ALONG + 1;

export interface RimStats {
  /** Lower-rim line strength in luma under the image-left / image-right eye, % of the skin luma. */
  left: number;
  right: number;
  /**
   * The same in chroma (CbCr magnitude), % of the band's median chroma: a grey or metal rim has the skin's
   * brightness but none of its colour.
   */
  chromaLeft: number;
  chromaRight: number;
}

/**
 * Luma of the band under the eyes in the normalised frame: columns -(D/2 + STRIP_HALF) .. +(D/2 + STRIP_HALF)
 * around the eye midpoint, rows from the eye line down to STRIP_BOTTOM (plus margins).
 */
function underEyeBand(img: RgbImage, l68: readonly Point[]): { luma: Float32Array; chroma: Float32Array; width: number; height: number; x0: number; y0: number } {
  const le = eyeCentre(l68, [37, 38, 40, 41]);
  const re = eyeCentre(l68, [43, 44, 46, 47]);
  const dx = re.x - le.x;
  const dy = re.y - le.y;
  const d = Math.hypot(dx, dy) || 1;
  const s = d / EYE_DISTANCE;
  const c = dx / d;
  const sn = dy / d;
  const x0 = -(EYE_DISTANCE / 2 + STRIP_HALF + MARGIN);
  const y0 = STRIP_TOP - MARGIN;
  const width = 2 * -x0;
  const height = STRIP_BOTTOM + MARGIN - y0;
  const ox = (le.x + re.x) / 2;
  const oy = (le.y + re.y) / 2;
  // Frame pixel (u, v) is at (x0 + u, y0 + v) relative to the eye midpoint, rotated by the eye line.
  const m: Affine = [s * c, -s * sn, ox + s * (c * x0 - sn * y0), s * sn, s * c, oy + s * (sn * x0 + c * y0)];
  const band = warpAffine(img, m, width, height);
  const luma = new Float32Array(width * height);
  const chroma = new Float32Array(width * height);
  for (let i = 0, p = 0; i < luma.length; i++, p += 3) {
    const r = band.data[p]!;
    const g = band.data[p + 1]!;
    const b = band.data[p + 2]!;
    luma[i] = 0.299 * r + 0.587 * g + 0.114 * b;
    chroma[i] = Math.hypot(-0.168736 * r - 0.331264 * g + 0.5 * b, 0.5 * r - 0.418688 * g - 0.081312 * b);
  }
  return { luma, chroma, width, height, x0, y0 };
}

/** The 5-point eye centre (mean of four lid points), as the alignment uses it. */
function eyeCentre(l68: readonly Point[], idx: readonly number[]): Point {
  let x = 0;
  let y = 0;
  for (const i of idx) {
    x += l68[i]!.x;
    y += l68[i]!.y;
  }
  return { x: x / idx.length, y: y / idx.length };
}

/** Strongest continuous thin horizontal line across columns [c0, c1) and rows [r0, r1) of one band channel. */
function bestLine(channel: Float32Array, width: number, c0: number, c1: number, r0: number, r1: number): number {
  const rows = r1 - r0;
  const cols = c1 - c0;
  // Channel averaged along the line direction (2 * ALONG + 1 columns), over every row a response reads.
  const y0 = r0 - 4;
  const y1 = r1 + 4;
  const smooth = new Float32Array((y1 - y0) * cols);
  for (let y = y0; y < y1; y++) {
    for (let i = 0; i < cols; i++) {
      let sum = 0;
      for (let t = -ALONG; t <= ALONG; t++) sum += channel[y * width + c0 + i + t]!;
      smooth[(y - y0) * cols + i] = sum / (2 * ALONG + 1);
    }
  }
  const response = (i: number, j: number): number => {
    const row = j + r0 - y0;
    const mid = smooth[row * cols + i]!;
    let r = 0;
    for (const w of LINE_HALF_WIDTHS) {
      const up = smooth[(row - w) * cols + i]!;
      const down = smooth[(row + w) * cols + i]!;
      r = Math.max(r, Math.min(up - mid, down - mid), Math.min(mid - up, mid - down));
    }
    return r;
  };
  let best = new Float64Array(rows);
  let next = new Float64Array(rows);
  for (let j = 0; j < rows; j++) best[j] = response(0, j);
  for (let i = 1; i < cols; i++) {
    for (let j = 0; j < rows; j++) {
      const prev = Math.max(best[j]!, j > 0 ? best[j - 1]! : 0, j + 1 < rows ? best[j + 1]! : 0);
      next[j] = response(i, j) + prev;
    }
    [best, next] = [next, best];
  }
  return Math.max(...best) / cols;
}

/** Lower-rim line strength under each eye; `skinLuma` is the face's skin luma (the luma contrast's reference). */
export function rimStats(img: RgbImage, l68: readonly Point[], skinLuma: number): RimStats {
  const band = underEyeBand(img, l68);
  const r0 = STRIP_TOP - band.y0;
  const r1 = STRIP_BOTTOM - band.y0;
  const strip = (eyeX: number, channel: Float32Array) => {
    const c = eyeX - band.x0;
    return bestLine(channel, band.width, c - STRIP_HALF, c + STRIP_HALF, r0, r1);
  };
  const ref = Math.max(20, skinLuma);
  const chromaRef = Math.max(3, median(band.chroma));
  return {
    left: (100 * strip(-EYE_DISTANCE / 2, band.luma)) / ref,
    right: (100 * strip(EYE_DISTANCE / 2, band.luma)) / ref,
    chromaLeft: (100 * strip(-EYE_DISTANCE / 2, band.chroma)) / chromaRef,
    chromaRight: (100 * strip(EYE_DISTANCE / 2, band.chroma)) / chromaRef,
  };
}

/** Median of every 7th value (the band's typical chroma; a sample is plenty). */
function median(values: Float32Array): number {
  const sample = new Float32Array(Math.ceil(values.length / 7));
  for (let i = 0, k = 0; i < values.length; i += 7, k++) sample[k] = values[i]!;
  sample.sort();
  return sample[sample.length >> 1] ?? 0;
}
