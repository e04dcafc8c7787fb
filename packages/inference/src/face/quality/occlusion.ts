/**
 * Occlusion and accessories without a model (none exists offline): region statistics around the landmarks.
 * - Skin reference: pixels of the central face whose chroma falls in a wide skin range (YCbCr, after
 *   Chai & Ngan 1999); its mean chroma and luma adapt the test to this face's tone and lighting.
 * - Per region (each eye with its lids, nose, mouth with its surround): the share of pixels that look like
 *   that skin (chroma close, not much darker). Sunglasses, masks and other opaque occluders make it drop.
 * - Glasses: the lower rim of each lens, a thin continuous line under both eyes (rims.ts); and edge energy
 *   across the nose bridge between the eyes (the frame's bridge), relative to the face.
 * - Hand (or any skin-coloured flat cover): the lips, or an eye, replaced by a flat skin-coloured area: luma
 *   texture inside the lip / eye outline far under what lips and eyes (even closed ones, with their lashes) show.
 * Accuracy on labelled real photos and constructed occlusions is in docs/quality.md.
 */
import type { FaceBox, Point } from '@biogate/contracts';
import type { RgbImage } from '../image.ts';
import { rimStats, type RimStats } from './rims.ts';
import { clamp01 } from './tensors.ts';

export interface OcclusionRegions {
  leftEye: number;
  rightEye: number;
  nose: number;
  mouth: number;
  /** Mean of the four, 1 = nothing occluded. */
  total: number;
}

export interface OcclusionStats {
  /** Skin-likeness (0..1) of each region, before mapping to scores. */
  skin: { leftEye: number; rightEye: number; nose: number; mouth: number; forehead: number };
  /** Eye-region luma / skin luma (sunglasses are dark). */
  eyeDarkness: number;
  /** Bridge edge energy / face edge energy (a glasses bridge raises it). */
  bridgeEdges: number;
  /** Lower-rim line strength under each eye, % of the skin luma (clear glasses' rims raise both). */
  rims: RimStats;
  /**
   * Inside the outer lip outline (48-59) and each eye outline (36-41, 42-47): luma standard deviation / skin
   * luma (`texture`) and mean luma / skin luma (`luma`). A hand over the mouth or an eye makes it flat and bright.
   */
  outlines: { mouth: OutlineStats; leftEye: OutlineStats; rightEye: OutlineStats };
  /** False when too few skin-coloured pixels were found (grey image, strong cast): scores are then neutral. */
  reliable: boolean;
}

export interface OutlineStats {
  texture: number;
  luma: number;
}

interface Rect {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

const YCC = (d: Uint8Array, p: number) => {
  const r = d[p]!;
  const g = d[p + 1]!;
  const b = d[p + 2]!;
  return { y: 0.299 * r + 0.587 * g + 0.114 * b, cb: 128 - 0.168736 * r - 0.331264 * g + 0.5 * b, cr: 128 + 0.5 * r - 0.418688 * g - 0.081312 * b };
};

function forEachPixel(img: RgbImage, r: Rect, fn: (p: number, x: number, y: number) => void): void {
  const x1 = Math.max(0, Math.floor(r.x1));
  const y1 = Math.max(0, Math.floor(r.y1));
  const x2 = Math.min(img.width, Math.ceil(r.x2));
  const y2 = Math.min(img.height, Math.ceil(r.y2));
  // Large faces: sample on a grid of at most ~64 x 64 points per region.
  const step = Math.max(1, Math.floor(Math.max(x2 - x1, y2 - y1) / 64));
  for (let y = y1; y < y2; y += step) for (let x = x1; x < x2; x += step) fn((y * img.width + x) * 3, x, y);
}

function bounds(points: Point[], padX: number, padY: number): Rect {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  return { x1: Math.min(...xs) - padX, y1: Math.min(...ys) - padY, x2: Math.max(...xs) + padX, y2: Math.max(...ys) + padY };
}

const pick = (l68: readonly Point[], from: number, to: number) => l68.slice(from, to + 1) as Point[];

/** Raw statistics of the regions. */
export function occlusionStats(img: RgbImage, box: FaceBox, l68: readonly Point[]): OcclusionStats {
  const eyeW = Math.hypot(l68[45]!.x - l68[36]!.x, l68[45]!.y - l68[36]!.y) / 2.5;
  // Skin reference from the central 60% of the box.
  const core: Rect = { x1: box.x + 0.2 * box.width, y1: box.y + 0.2 * box.height, x2: box.x + 0.8 * box.width, y2: box.y + 0.8 * box.height };
  let n = 0;
  let ref = { y: 0, cb: 0, cr: 0 };
  let total = 0;
  forEachPixel(img, core, (p) => {
    total++;
    const c = YCC(img.data, p);
    if (c.cr >= 133 && c.cr <= 180 && c.cb >= 70 && c.cb <= 130 && c.y >= 30) {
      n++;
      ref = { y: ref.y + c.y, cb: ref.cb + c.cb, cr: ref.cr + c.cr };
    }
  });
  const reliable = n >= 0.15 * total && n > 20;
  if (n > 0) ref = { y: ref.y / n, cb: ref.cb / n, cr: ref.cr / n };

  // Skin varies mostly in saturation along one hue (shading, flushing): match the hue within 20 degrees and
  // the chroma magnitude within 0.4x-2.5x of the reference.
  const refHue = Math.atan2(ref.cr - 128, ref.cb - 128);
  const refMag = Math.hypot(ref.cr - 128, ref.cb - 128);
  const skinLike = (cb: number, cr: number): boolean => {
    const mag = Math.hypot(cb, cr);
    if (mag < 0.4 * refMag || mag > 2.5 * refMag + 4) return false;
    const dh = Math.abs(Math.atan2(cr, cb) - refHue);
    return Math.min(dh, 2 * Math.PI - dh) <= (20 * Math.PI) / 180;
  };
  const skinShare = (r: Rect): { share: number; luma: number } => {
    let k = 0;
    let m = 0;
    let lum = 0;
    forEachPixel(img, r, (p) => {
      const c = YCC(img.data, p);
      m++;
      lum += c.y;
      if (skinLike(c.cb - 128, c.cr - 128) && c.y >= 0.45 * ref.y && c.y <= 1.8 * ref.y + 20) k++;
    });
    return { share: m ? k / m : 0, luma: m ? lum / m : 0 };
  };
  const le = skinShare(bounds(pick(l68, 36, 41), 0.25 * eyeW, 0.5 * eyeW));
  const re = skinShare(bounds(pick(l68, 42, 47), 0.25 * eyeW, 0.5 * eyeW));
  // Tip and nostrils only (30-35): a mask always covers them, the bridge above may stay visible.
  const nose = skinShare(bounds(pick(l68, 30, 35), 0.1 * eyeW, 0.1 * eyeW));
  const mouth = skinShare(bounds(pick(l68, 48, 59), 0.3 * eyeW, 0.3 * eyeW));
  // Forehead patch above the brows along the face's own "up" (perpendicular to the eye line), so roll does not
  // move it into the hair.
  const ex = l68[45]!.x - l68[36]!.x;
  const ey = l68[45]!.y - l68[36]!.y;
  const len = Math.hypot(ex, ey) || 1;
  const up = { x: ey / len, y: -ex / len };
  const brow = { x: (l68[19]!.x + l68[24]!.x) / 2, y: (l68[19]!.y + l68[24]!.y) / 2 };
  const fc = { x: brow.x + up.x * 0.5 * eyeW, y: brow.y + up.y * 0.5 * eyeW };
  const forehead = skinShare({ x1: fc.x - 0.4 * eyeW, x2: fc.x + 0.4 * eyeW, y1: fc.y - 0.3 * eyeW, y2: fc.y + 0.3 * eyeW });
  return {
    skin: { leftEye: le.share, rightEye: re.share, nose: nose.share, mouth: mouth.share, forehead: forehead.share },
    eyeDarkness: ref.y > 0 ? (le.luma + re.luma) / (2 * ref.y) : 1,
    bridgeEdges: bridgeEdgeRatio(img, l68, eyeW),
    rims: rimStats(img, l68, ref.y),
    outlines: {
      mouth: outlineStats(img, pick(l68, 48, 59), ref.y),
      leftEye: outlineStats(img, pick(l68, 36, 41), ref.y),
      rightEye: outlineStats(img, pick(l68, 42, 47), ref.y),
    },
    reliable,
  };
}

function insidePolygon(poly: readonly Point[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const a = poly[i]!;
    const b = poly[j]!;
    if (a.y > y !== b.y > y && x < ((b.x - a.x) * (y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/** Luma spread and level inside a landmark outline, relative to the skin luma. */
function outlineStats(img: RgbImage, poly: readonly Point[], skinLuma: number): OutlineStats {
  let n = 0;
  let sum = 0;
  let sq = 0;
  forEachPixel(img, bounds(poly as Point[], 0, 0), (p, x, y) => {
    if (!insidePolygon(poly, x + 0.5, y + 0.5)) return;
    const l = YCC(img.data, p).y;
    n++;
    sum += l;
    sq += l * l;
  });
  const ref = Math.max(20, skinLuma);
  // Too few pixels (a closed eye can be a sliver): report it as textured, nothing to judge.
  if (n < 6) return { texture: 1, luma: 1 };
  const mean = sum / n;
  return { texture: Math.sqrt(Math.max(0, sq / n - mean * mean)) / ref, luma: mean / ref };
}

/** Mean absolute vertical luma gradient on the nose bridge between the eyes, over that of the whole face box. */
function bridgeEdgeRatio(img: RgbImage, l68: readonly Point[], eyeW: number): number {
  const grad = (r: Rect): number => {
    let s = 0;
    let m = 0;
    forEachPixel(img, r, (p, x, y) => {
      if (y + 1 >= img.height || x + 1 >= img.width) return;
      const a = YCC(img.data, p).y;
      const below = YCC(img.data, p + img.width * 3).y;
      s += Math.abs(below - a);
      m++;
    });
    return m ? s / m : 0;
  };
  const bridge: Rect = { x1: l68[39]!.x + 0.15 * eyeW, x2: l68[42]!.x - 0.15 * eyeW, y1: Math.min(l68[39]!.y, l68[42]!.y) - 0.6 * eyeW, y2: l68[28]!.y };
  const face = bounds(l68 as Point[], 0, 0);
  const base = grad(face);
  return base > 0 ? grad(bridge) / base : 0;
}

/** Accessories and per-region scores (1 = not occluded) derived from the statistics and the eye cues. */
export interface OcclusionResult {
  regions: OcclusionRegions;
  glasses: boolean;
  sunglasses: boolean;
  mask: boolean;
  hat: boolean;
  /** A flat skin-coloured cover over the lips or an eye (hand, docs/quality.md for what it does not catch). */
  hand: boolean;
  /** 1 - regions.total. */
  score: number;
  /** False when the image was not usable (see scoreOcclusion). */
  reliable: boolean;
  stats: OcclusionStats;
}

/**
 * Lower-rim line strength both eyes must exceed for clear glasses. Luma (% of skin luma): bare faces reach 6.3
 * of min(left, right) over 31 real photos and 10.6 after the constructed degradations (a face cut at the
 * border); the two real photos with glasses measure 24.7 and 27.1. Chroma (% of the band's chroma): bare faces
 * reach 6.3, drawn grey rims 12+ (real dark rims show in luma; 7.4-7.7 in chroma). docs/quality.md.
 */
const GLASSES_RIM_LINE = 14;
const GLASSES_RIM_CHROMA = 12;

/**
 * Hand: texture (luma std / skin luma) inside the lip outline under 0.05 (real mouths 0.13-0.32 over 33
 * photos, 0.079 at the lowest after a degradation: pale closed lips rotated; constructed hands over the mouth
 * 0.01-0.08), or inside an eye outline under 0.06 while as bright as the skin (bright real eyes 0.25+, closed
 * ones included; sunglasses are flat but dark). docs/quality.md.
 */
const HAND_FLAT_MOUTH = 0.05;
const HAND_FLAT_EYE = 0.06;

/** Linear ramp: 0 at or under `lo`, 1 at or over `hi`. */
const ramp = (v: number, lo: number, hi: number) => clamp01((v - lo) / (hi - lo));

/**
 * Maps statistics to scores. Ramps sit between the clean-photo and occluded distributions measured in
 * docs/quality.md: eye regions darker than 0.4x the skin read as covered, 0.7x and brighter as clear; nose and
 * mouth regions with under 20% / 10% skin-like pixels as covered, over 70% / 45% as clear.
 * `eyeConflict[i]`: the eye model says closed while the lids' aspect ratio says open (something over the eye).
 * `usable` false (exposure or sharpness outside the quality limits): no occlusion is reported, because a
 * blown-out face loses the skin colour the test relies on (it made 22 of 32 overexposed photos "occluded").
 */
export function scoreOcclusion(stats: OcclusionStats, eyeConflict: readonly [boolean, boolean], usable = true): OcclusionResult {
  if (!usable) {
    // Clipped or blurred pixels carry no colour or edge evidence: report nothing rather than guess.
    const regions = { leftEye: 1, rightEye: 1, nose: 1, mouth: 1, total: 1 };
    return { regions, glasses: false, sunglasses: false, mask: false, hat: false, hand: false, score: 0, reliable: false, stats };
  }
  const eye = (skin: number) => 0.7 * ramp(stats.eyeDarkness, 0.4, 0.7) + 0.3 * ramp(skin, 0.2, 0.5);
  const regions = {
    leftEye: eye(stats.skin.leftEye),
    rightEye: eye(stats.skin.rightEye),
    nose: stats.reliable ? ramp(stats.skin.nose, 0.2, 0.7) : 1,
    mouth: stats.reliable ? ramp(stats.skin.mouth, 0.1, 0.45) : 1,
    total: 0,
  };
  regions.total = (regions.leftEye + regions.rightEye + regions.nose + regions.mouth) / 4;
  const sunglasses = regions.leftEye < 0.5 && regions.rightEye < 0.5;
  const mask = regions.nose < 0.5 && regions.mouth < 0.5;
  const o = stats.outlines;
  const flatEye = (e: OutlineStats) => e.texture < HAND_FLAT_EYE && e.luma > 0.8;
  const flatMouth = stats.reliable && o.mouth.texture < HAND_FLAT_MOUTH && stats.skin.mouth >= 0.5;
  const r = stats.rims;
  const rims = Math.min(r.left, r.right) > GLASSES_RIM_LINE || Math.min(r.chromaLeft, r.chromaRight) > GLASSES_RIM_CHROMA;
  return {
    regions,
    sunglasses,
    glasses: !sunglasses && (rims || stats.bridgeEdges > 1.3 || (eyeConflict[0] && eyeConflict[1])),
    mask,
    hat: stats.reliable && stats.skin.forehead < 0.1,
    hand: !sunglasses && !mask && (flatMouth || flatEye(o.leftEye) || flatEye(o.rightEye)),
    score: 1 - regions.total,
    reliable: true,
    stats,
  };
}
