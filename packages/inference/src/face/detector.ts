/**
 * fr_detect: an SSD with 4420 priors on a 320x240 RGB input normalised `(v - 127) / 128`; the whole image is
 * resized (aspect not kept). Outputs are already softmaxed scores and decoded corner boxes in 0..1.
 * Faces narrower than ~1/15 of the input are missed, so large photos get a second pass over overlapping tiles.
 */
import * as ort from 'onnxruntime-node';
import { FACE_THRESHOLDS } from './thresholds.ts';
import { cropResizeToTensor, type RgbImage, type TensorNorm } from './image.ts';

export const DETECT_WIDTH = 320;
export const DETECT_HEIGHT = 240;

export interface Detection {
  /** Corner box in source pixels. */
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
}

export interface DetectOptions {
  /** @defaultValue FACE_THRESHOLDS.detection.minScore */
  minScore?: number;
  /** @defaultValue FACE_THRESHOLDS.detection.nmsIou */
  nmsIou?: number;
  /**
   * Source tile width for the small-face pass; images wider or taller than 1.5 tiles get it.
   * @defaultValue 800
   */
  tileWidth?: number;
  /** Set false to run only the whole-image pass. @defaultValue true */
  tiling?: boolean;
}

/** fr_detect's input normalisation. */
export const DETECT_NORM: TensorNorm = { mean: 127, scale: 128 };

/** A source rectangle the detector looks at (the whole image or one tile). */
export interface DetectRegion {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * The NCHW `(v - 127) / 128` input of one region resized to 320x240, resized and normalised in one pass
 * (an exact 2x/4x shrink such as 640x480 is a box average straight into the tensor).
 */
export function detectorInput(img: RgbImage, region: DetectRegion): Float32Array {
  return cropResizeToTensor(img, region.x, region.y, region.w, region.h, DETECT_WIDTH, DETECT_HEIGHT, DETECT_NORM);
}

/** Runs the model on one region; boxes mapped back with the region's origin and size. */
function detectRegion(session: ort.InferenceSession, img: RgbImage, region: DetectRegion, minScore: number): Promise<Detection[]> {
  return runDetector(session, detectorInput(img, region), region, minScore);
}

/** Runs the model on a detector input; boxes (0..1 of the input) mapped onto `region` of the source. */
async function runDetector(session: ort.InferenceSession, tensor: Float32Array, region: DetectRegion, minScore: number): Promise<Detection[]> {
  const input = new ort.Tensor('float32', tensor, [1, 3, DETECT_HEIGHT, DETECT_WIDTH]);
  const out = await session.run({ input });
  const scores = out.scores?.data as Float32Array;
  const boxes = out.boxes?.data as Float32Array;
  const found: Detection[] = [];
  const n = scores.length / 2;
  for (let i = 0; i < n; i++) {
    const s = scores[2 * i + 1]!;
    if (s < minScore) continue;
    found.push({
      x1: region.x + boxes[4 * i]! * region.w,
      y1: region.y + boxes[4 * i + 1]! * region.h,
      x2: region.x + boxes[4 * i + 2]! * region.w,
      y2: region.y + boxes[4 * i + 3]! * region.h,
      score: s,
    });
  }
  return found;
}

function area(b: Detection): number {
  return Math.max(0, b.x2 - b.x1) * Math.max(0, b.y2 - b.y1);
}

function intersection(a: Detection, b: Detection): number {
  const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Score-sorted greedy NMS. A box is dropped when its IoU with a kept box exceeds `iou`, or when more than
 * `containment` of the smaller box lies inside a kept one (a face cut by a tile border inside the whole face).
 */
export function nms(boxes: Detection[], iou: number, containment = FACE_THRESHOLDS.detection.containment): Detection[] {
  const sorted = [...boxes].sort((p, q) => q.score - p.score);
  const kept: Detection[] = [];
  for (const b of sorted) {
    const dup = kept.some((k) => {
      const inter = intersection(k, b);
      if (inter === 0) return false;
      return inter / (area(k) + area(b) - inter) > iou || inter / Math.min(area(k), area(b)) > containment;
    });
    if (!dup) kept.push(b);
  }
  return kept;
}

/** Overlapping tiles of about `tileW` x `tileW * 3/4` covering the image (one row/column when it fits). */
export function tiles(width: number, height: number, tileW: number): DetectRegion[] {
  const tileH = Math.round((tileW * 3) / 4);
  const out: DetectRegion[] = [];
  const starts = (size: number, tile: number): number[] => {
    if (size <= tile) return [0];
    const count = Math.ceil((size - tile) / (tile * 0.75)) + 1; // >= 25% overlap so a face sits whole in one tile
    return Array.from({ length: count }, (_, i) => Math.round((i * (size - tile)) / (count - 1)));
  };
  for (const y of starts(height, tileH)) {
    for (const x of starts(width, tileW)) out.push({ x, y, w: Math.min(tileW, width), h: Math.min(tileH, height) });
  }
  return out;
}

/** Whether an image of this size gets the tiled small-face pass (then detection needs it at full resolution). */
export function needsTiling(width: number, height: number, opts: DetectOptions = {}): boolean {
  const tileW = opts.tileWidth ?? 800;
  return opts.tiling !== false && (width > tileW * 1.5 || height > tileW * 1.125);
}

/**
 * Detects faces on an image the decoder already resized to the detector's 320x240 (shrink-on-load); boxes in
 * pixels of the `width` x `height` source. Only for sources that need no tiled pass (see `needsTiling`).
 */
export async function detectFacesResized(session: ort.InferenceSession, resized: RgbImage, width: number, height: number, opts: DetectOptions = {}): Promise<Detection[]> {
  if (resized.width !== DETECT_WIDTH || resized.height !== DETECT_HEIGHT) throw new Error(`expected a ${DETECT_WIDTH}x${DETECT_HEIGHT} image`);
  const found = await runDetector(session, detectorInput(resized, { x: 0, y: 0, w: DETECT_WIDTH, h: DETECT_HEIGHT }), { x: 0, y: 0, w: width, h: height }, opts.minScore ?? FACE_THRESHOLDS.detection.minScore);
  return nms(found, opts.nmsIou ?? FACE_THRESHOLDS.detection.nmsIou);
}

/** Detects faces: whole-image pass, plus a tiled pass for large images; boxes in source pixels, best first. */
export async function detectFaces(session: ort.InferenceSession, img: RgbImage, opts: DetectOptions = {}): Promise<Detection[]> {
  const minScore = opts.minScore ?? FACE_THRESHOLDS.detection.minScore;
  const nmsIou = opts.nmsIou ?? FACE_THRESHOLDS.detection.nmsIou;
  const tileW = opts.tileWidth ?? 800;
  const all = await detectRegion(session, img, { x: 0, y: 0, w: img.width, h: img.height }, minScore);
  if (needsTiling(img.width, img.height, opts)) {
    for (const t of tiles(img.width, img.height, tileW)) all.push(...(await detectRegion(session, img, t, minScore)));
  }
  return nms(all, nmsIou);
}
