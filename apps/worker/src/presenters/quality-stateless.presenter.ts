import type { FaceAnalysis, FaceResult } from '@biogate/contracts';
import type { DetectPresenter } from './index.ts';

const round = (v: number, digits = 4) => Number(v.toFixed(digits));
const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/** Inner-lip gap over face height at which the mouth counts as fully open (closed ~0-0.03, open 0.06+). */
const MOUTH_FULLY_OPEN_GAP = 0.12;

/** Seed 003 `rect`: the detector box in pixels, rounded; it may pass the image border (see `integrity`). */
export function seedRect(face: FaceResult) {
  const { x, y, width, height } = face.box;
  return { left: Math.round(x), top: Math.round(y), right: Math.round(x + width), bottom: Math.round(y + height) };
}

/** Share of the face box inside the image, 0..1 (the seed's "area in the image / face area"). */
export function seedIntegrity(face: FaceResult, analysis: FaceAnalysis): number {
  const { x, y, width, height } = face.box;
  const area = width * height;
  if (area <= 0) return 0;
  const w = Math.max(0, Math.min(x + width, analysis.width) - Math.max(x, 0));
  const h = Math.max(0, Math.min(y + height, analysis.height) - Math.max(y, 0));
  return clamp01((w * h) / area);
}

/** max(1 - |centre of the five points - image centre| / short side, 0), the seed's formula. */
export function seedDistanceToCenter(face: FaceResult, analysis: FaceAnalysis): number {
  const n = face.points5.length;
  const cx = face.points5.reduce((s, p) => s + p.x, 0) / n;
  const cy = face.points5.reduce((s, p) => s + p.y, 0) / n;
  const d = Math.hypot(cx - analysis.width / 2, cy - analysis.height / 2);
  return Math.max(1 - d / Math.min(analysis.width, analysis.height), 0);
}

/** Face box area inside the image over the image area, 0..1. */
export function seedSize(face: FaceResult, analysis: FaceAnalysis): number {
  return clamp01((seedIntegrity(face, analysis) * face.box.width * face.box.height) / (analysis.width * analysis.height));
}

/** Seed 003 `mouth_open`: 1 = closed, 0 = wide open, from the inner-lip gap (points 62/66) over face height (27-8). */
export function seedMouthOpen(face: FaceResult): number {
  const p = face.landmarks68;
  const [top, bottom, chin, bridge] = [p[62], p[66], p[8], p[27]];
  if (!top || !bottom || !chin || !bridge) return 1;
  const faceHeight = Math.abs(chin.y - bridge.y);
  const gap = face.mouth?.gapRatio ?? (faceHeight > 0 ? Math.max(0, bottom.y - top.y) / faceHeight : 0);
  return clamp01(1 - gap / MOUTH_FULLY_OPEN_GAP);
}

/**
 * Seed 003 `occlusion` (1 = not occluded): the quality module's per-region scores when it measured them;
 * otherwise the overall occlusion score for every part. Either way a part whose landmarks fall outside the image
 * counts as occluded in proportion.
 */
export function seedOcclusion(face: FaceResult, analysis: FaceAnalysis) {
  const regions = face.occlusion?.regions;
  const visible = 1 - (face.occlusion?.score ?? 0);
  const inside = (i: number) => {
    const p = face.landmarks68[i];
    return p !== undefined && p.x >= 0 && p.y >= 0 && p.x < analysis.width && p.y < analysis.height;
  };
  const part = (clear: number | undefined, ids: number[]) =>
    round(clamp01(clear ?? visible) * (ids.filter(inside).length / ids.length));
  // Points 36-41 are on the image's left; the seed's left_eye is that one, as in points5.
  const leftEye = part(regions?.leftEye, [36, 37, 38, 39, 40, 41]);
  const rightEye = part(regions?.rightEye, [42, 43, 44, 45, 46, 47]);
  const nose = part(regions?.nose, [27, 28, 29, 30, 31, 32, 33, 34, 35]);
  const mouth = part(regions?.mouth, [48, 51, 54, 57, 62, 66]);
  return { left_eye: leftEye, right_eye: rightEye, nose, mouth, total: round((leftEye + rightEye + nose + mouth) / 4) };
}

/** One entry of seed 003 `faces`. Metrics the engine did not compute are null rather than invented. */
export function seedQualityFace(face: FaceResult, analysis: FaceAnalysis) {
  const m = face.metrics;
  return {
    rect: seedRect(face),
    pose: face.pose
      ? { yaw: round(face.pose.yaw, 2), pitch: round(face.pose.pitch, 2), roll: round(face.pose.roll, 2) }
      : null,
    occlusion: seedOcclusion(face, analysis),
    distance2center: round(seedDistanceToCenter(face, analysis)),
    size: round(seedSize(face, analysis)),
    brightness: m ? round(m.brightness) : null,
    sharpness: m ? round(m.sharpness) : null,
    mouth_open: round(seedMouthOpen(face)),
    integrity: round(seedIntegrity(face, analysis)),
  };
}

/** The seed 003 result: 200 `{code: 1000, faces, request_id}`, or 400 `{code: 4000, ...}` without a face. */
export function presentQualityStateless(analysis: FaceAnalysis, requestId: string) {
  if (analysis.faces.length === 0) {
    return {
      status: 400,
      body: { code: 4000, message: 'detection failed: no face detected in the image', request_id: requestId },
    };
  }
  return {
    status: 200,
    body: { code: 1000, faces: analysis.faces.map((f) => seedQualityFace(f, analysis)), request_id: requestId },
  };
}

/** face.detect format `quality-stateless` (seed 003). Needs the quality measurements only. */
export const qualityStatelessPresenter: DetectPresenter = {
  analyses: () => ({ quality: true, liveness: false, attributes: false, crop: false }),
  present: ({ output, payload }) => presentQualityStateless(output.analysis, payload.requestId),
};
