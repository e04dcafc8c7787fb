/**
 * Where the face sits in the image: size ratio, distance to centre (seed 003's formula), integrity, border
 * margins. Pure functions over the box and landmarks.
 */
import type { FaceBox, Point } from '@biogate/contracts';

export interface FaceGeometry {
  /** Face area (box united with the landmarks) inside the image / image area (seed 003 `size`). */
  sizeRatio: number;
  /** Distance from the five points' centre to the image centre / the image's short side (0 = centred). */
  centerDistance: number;
  /** Seed 003 `distance2center`: max(1 - centerDistance, 0). */
  distance2center: number;
  /** Share of the face inside the image, the face extended to where its 5 points say it must reach (1 = whole). */
  integrity: number;
  /** How many of the 5 points lie inside the image (0..5). */
  pointsInside: number;
  /** Smallest gap between the face region and an image border, as a fraction of the face width (negative = cut). */
  borderMargin: number;
  /** Inter-pupillary distance in pixels (seed 004's absolute size measure). */
  interPupillary: number;
}

/**
 * The face region: the detector box united with the landmarks' bounding box (the box alone can stop at the
 * border when the face is cut, while the landmark model still places points beyond it).
 */
export function faceRegion(box: FaceBox, l68: readonly Point[]): FaceBox {
  let x1 = box.x;
  let y1 = box.y;
  let x2 = box.x + box.width;
  let y2 = box.y + box.height;
  for (const p of l68) {
    x1 = Math.min(x1, p.x);
    y1 = Math.min(y1, p.y);
    x2 = Math.max(x2, p.x);
    y2 = Math.max(y2, p.y);
  }
  return { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
}

function insideArea(r: FaceBox, width: number, height: number): number {
  const w = Math.min(width, r.x + r.width) - Math.max(0, r.x);
  const h = Math.min(height, r.y + r.height) - Math.max(0, r.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Where a whole face is expected from the 5 points, in its own frame (eye line = x axis): 1.1 eye distances
 * either side of the eyes' midpoint, 0.8 above the eye line, 0.8 below the mouth. When a border cuts the face,
 * the detector box and the landmarks shrink to the visible part, but the eyes and mouth still say how big the
 * face is. Returned as the axis-aligned bounds of that rectangle.
 */
export function expectedFaceRegion(points5: readonly Point[]): FaceBox | null {
  const [le, re, , ml, mr] = points5;
  if (!le || !re || !ml || !mr) return null;
  const ipd = Math.hypot(re.x - le.x, re.y - le.y);
  if (ipd === 0) return null;
  const ux = (re.x - le.x) / ipd;
  const uy = (re.y - le.y) / ipd;
  const cx = (le.x + re.x) / 2;
  const cy = (le.y + re.y) / 2;
  const mouthDown = ((ml.x + mr.x) / 2 - cx) * -uy + ((ml.y + mr.y) / 2 - cy) * ux;
  const corners = [
    [-1.1, -0.8],
    [1.1, -0.8],
    [-1.1, mouthDown / ipd + 0.8],
    [1.1, mouthDown / ipd + 0.8],
  ].map(([a, b]) => ({ x: cx + ipd * (a! * ux - b! * uy), y: cy + ipd * (a! * uy + b! * ux) }));
  const xs = corners.map((p) => p.x);
  const ys = corners.map((p) => p.y);
  return { x: Math.min(...xs), y: Math.min(...ys), width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys) };
}

function union(a: FaceBox, b: FaceBox | null): FaceBox {
  if (!b) return a;
  const x1 = Math.min(a.x, b.x);
  const y1 = Math.min(a.y, b.y);
  return { x: x1, y: y1, width: Math.max(a.x + a.width, b.x + b.width) - x1, height: Math.max(a.y + a.height, b.y + b.height) - y1 };
}

export function faceGeometry(box: FaceBox, l68: readonly Point[], points5: readonly Point[], width: number, height: number): FaceGeometry {
  const seen = faceRegion(box, l68);
  const region = union(seen, expectedFaceRegion(points5));
  const area = region.width * region.height;
  const inside = insideArea(region, width, height);
  const cx = points5.reduce((s, p) => s + p.x, 0) / points5.length;
  const cy = points5.reduce((s, p) => s + p.y, 0) / points5.length;
  const centerDistance = Math.hypot(cx - width / 2, cy - height / 2) / Math.min(width, height);
  const margin = Math.min(region.x, region.y, width - (region.x + region.width), height - (region.y + region.height));
  const [le, re] = points5;
  return {
    sizeRatio: insideArea(seen, width, height) / (width * height),
    centerDistance,
    distance2center: Math.max(1 - centerDistance, 0),
    integrity: area > 0 ? inside / area : 0,
    pointsInside: points5.filter((p) => p.x >= 0 && p.y >= 0 && p.x < width && p.y < height).length,
    borderMargin: region.width > 0 ? margin / region.width : 0,
    interPupillary: le && re ? Math.hypot(re.x - le.x, re.y - le.y) : 0,
  };
}

export interface ContextCrop {
  x: number;
  y: number;
  w: number;
  h: number;
  /** Context scale achieved (2.7 when it fits). */
  scale: number;
  /** How far the window was shifted to stay inside the image, as a fraction of its size (0 = centred). */
  shift: number;
}

/** The face package's context-crop rule (liveness x2.7, age/gender x1.4): scale min(2.7, fits), centred on the box, then shifted inside the image. */
export function contextCrop(box: FaceBox, width: number, height: number, context: number): ContextCrop {
  const scale = Math.min((height - 1) / box.height, (width - 1) / box.width, context);
  const w = box.width * scale;
  const h = box.height * scale;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const x0 = cx - w / 2;
  const y0 = cy - h / 2;
  const x = Math.min(Math.max(0, x0), width - 1 - w);
  const y = Math.min(Math.max(0, y0), height - 1 - h);
  const shift = Math.max(Math.abs(x - x0) / w, Math.abs(y - y0) / h);
  return { x, y, w, h, scale, shift };
}

