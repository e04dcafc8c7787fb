/**
 * Pure mappers from the face analysis to the seed APIs' shapes (001 face/image metrics and default
 * thresholds, 003 per-face quality, 004 error enum and face). No onnxruntime import: the API imports this
 * file as `@biogate/inference/face/quality/seed-mappers` to shape answers without inference code.
 */
import type { FaceAnalysis, FaceResult } from '@biogate/contracts';
import { FACE_THRESHOLDS } from '../thresholds.ts';
import { contextCrop } from './geometry.ts';
import { type QualityThresholds } from './verdict.ts';

const r4 = (v: number) => Math.round(v * 1e4) / 1e4;
const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

/** Seed 001 `face_metrics` (null fields when quality was not measured). */
export function seed001FaceMetrics(face: FaceResult): Record<'underexposure' | 'overexposure' | 'sharpness' | 'color' | 'rotation', number | null> {
  const m = face.metrics;
  return {
    underexposure: m ? r4(m.underexposure) : null,
    overexposure: m ? r4(m.overexposure) : null,
    sharpness: m ? r4(m.sharpness) : null,
    color: m ? r4(m.colorDegradation) : null,
    rotation: m ? Math.round(m.rotation * 100) / 100 : null,
  };
}

/** Seed 001 `image_metrics`, or null when the quality stage did not run. */
export function seed001ImageMetrics(analysis: FaceAnalysis): Record<'underexposure' | 'overexposure' | 'sharpness' | 'color', number> | null {
  const m = analysis.imageMetrics;
  if (!m) return null;
  return { underexposure: m.underexposure, overexposure: m.overexposure, sharpness: m.sharpness, color: m.colorDegradation };
}

/** Seed 001 `default_thresholds` (quality part; the similarity threshold is the verification module's). */
export function seed001DefaultThresholds(t: QualityThresholds = FACE_THRESHOLDS.quality) {
  return {
    underexposure: t.underexposure,
    overexposure: t.overexposure,
    sharpness: t.sharpness,
    color: t.color,
    rotation: t.rotation,
    liveness: t.liveness,
  };
}

/** Seed 001 enrollment refusal codes from the face metrics (null = acceptable). */
export function seed001ExposureRefusal(face: FaceResult, t: QualityThresholds = FACE_THRESHOLDS.quality): 'image_underexposed' | 'image_overexposed' | null {
  const m = face.metrics;
  if (!m) return null;
  if (m.underexposure > t.underexposure) return 'image_underexposed';
  if (m.overexposure > t.overexposure) return 'image_overexposed';
  return null;
}

/**
 * Seed 003 face fields. `occlusion.left_eye` is the eye on the image's left (the subject's right eye), as
 * the landmarks order them. `mouth_open` is 1 for a closed mouth, 0.5 at the open threshold, 0 at twice it.
 */
export function seed003Face(face: FaceResult, t: QualityThresholds = FACE_THRESHOLDS.quality) {
  const { x, y, width, height } = face.box;
  const m = face.metrics;
  const occ = face.occlusion?.regions;
  return {
    rect: { left: Math.round(x), top: Math.round(y), right: Math.round(x + width), bottom: Math.round(y + height) },
    pose: face.pose ? { yaw: r2(face.pose.yaw), pitch: r2(face.pose.pitch), roll: r2(face.pose.roll) } : null,
    occlusion: occ ? { left_eye: occ.leftEye, right_eye: occ.rightEye, nose: occ.nose, mouth: occ.mouth, total: occ.total } : null,
    distance2center: m ? (m.distance2center ?? r4(Math.max(1 - m.centerDistance, 0))) : null,
    size: m ? m.faceSizeRatio : null,
    brightness: m ? m.brightness : null,
    sharpness: m ? m.sharpness : null,
    mouth_open: face.mouth ? r4(clamp01(1 - face.mouth.gapRatio / (2 * t.mouthOpenGap))) : null,
    integrity: m ? m.integrity : null,
  };
}

const r2 = (v: number) => Math.round(v * 100) / 100;

export const SEED004_ERRORS = [
  'FACE_NOT_FOUND',
  'TOO_MANY_FACES',
  'FACE_CROPPED',
  'FACE_TOO_SMALL',
  'FACE_TOO_CLOSE',
  'FACE_CLOSE_TO_BORDER',
  'FACE_ANGLE_TOO_LARGE',
  'FACE_IS_OCCLUDED',
] as const;
export type Seed004Error = (typeof SEED004_ERRORS)[number];

/**
 * Seed 004's error for an analysed image, or null when the face can be scored. Checked in the order above:
 * - FACE_CROPPED: part of the face region is outside the image (integrity under `minIntegrity`).
 * - FACE_TOO_SMALL: eye centres closer than `minInterPupillary` pixels.
 * - FACE_TOO_CLOSE: the image cannot hold the liveness context (`livenessMinContext` x the box).
 * - FACE_CLOSE_TO_BORDER: the face is within 10% of its width of a border (its edges may not be seen).
 * - FACE_ANGLE_TOO_LARGE: |yaw| or |pitch| over `maxOutOfPlane`.
 * - FACE_IS_OCCLUDED: mask, sunglasses, or a region under `minRegionClear`.
 * Multiple faces: only faces at least `secondFaceMinWidth` as wide as the largest count.
 */
export function seed004Error(analysis: Pick<FaceAnalysis, 'faces' | 'width' | 'height'>, t: QualityThresholds = FACE_THRESHOLDS.quality): Seed004Error | null {
  const face = analysis.faces[0];
  if (!face) return 'FACE_NOT_FOUND';
  const widest = face.box.width;
  if (analysis.faces.filter((f) => f.box.width >= t.secondFaceMinWidth * widest).length > 1) return 'TOO_MANY_FACES';
  const m = face.metrics;
  if (m && (m.integrity < t.minIntegrity || (m.pointsInside ?? 5) < 5)) return 'FACE_CROPPED';
  if (m?.interPupillary !== undefined && m.interPupillary < t.minInterPupillary) return 'FACE_TOO_SMALL';
  const scale = face.liveness?.contextScale ?? contextCrop(face.box, analysis.width, analysis.height, 2.7).scale;
  if (scale < t.livenessMinContext) return 'FACE_TOO_CLOSE';
  if (m?.borderMargin !== undefined && m.borderMargin < 0.1) return 'FACE_CLOSE_TO_BORDER';
  if (face.pose && (Math.abs(face.pose.yaw) > t.maxOutOfPlane || Math.abs(face.pose.pitch) > t.maxOutOfPlane)) return 'FACE_ANGLE_TOO_LARGE';
  const o = face.occlusion;
  if (o && (o.mask || o.sunglasses || (o.regions !== undefined && Math.min(o.regions.leftEye, o.regions.rightEye, o.regions.nose, o.regions.mouth) < t.minRegionClear))) return 'FACE_IS_OCCLUDED';
  return null;
}

/** Seed 004 `face` object (without faceImageBase, which the route adds from the crop). */
export function seed004Face(face: FaceResult) {
  const { x, y, width, height } = face.box;
  return {
    age: face.attributes?.age === undefined ? null : Math.round(face.attributes.age),
    gender: face.attributes?.gender ?? null,
    passiveLivenessScore: face.liveness?.score ?? null,
    rectangle: { top: Math.round(y), left: Math.round(x), width: Math.round(width), height: Math.round(height) },
  };
}
