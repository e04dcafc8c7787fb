/**
 * The quality verdict of seed 000: every failed check of the primary (largest) face, each driven by one
 * threshold of FACE_THRESHOLDS.quality. Pure (no onnxruntime): the API can import it to shape answers.
 */
import type { FaceAnalysis, FaceResult, ImageStatus, QualityVerdict } from '@biogate/contracts';
import { IMAGE_STATUSES } from '@biogate/contracts';
import { FACE_THRESHOLDS } from '../thresholds.ts';

export type QualityThresholds = { readonly [K in keyof typeof FACE_THRESHOLDS.quality]: number };

/** Seed 000's description of each image_status. */
export const IMAGE_STATUS_DESCRIPTIONS: Record<ImageStatus, string> = {
  no_faces: 'No face identified.',
  multiple_faces: 'More than one face identified.',
  close_face: 'Face too close to camera.',
  distant_face: 'Face too far from camera.',
  not_centered: 'Face is not centered enough.',
  inclined_face: 'Face is inclined.',
  wearing_acessories: 'Person is using accessories that cover part of the face.',
  facial_expression: 'The person has an open mouth, is smiling or has closed eyes.',
  brightness_problem: 'The image does not have adequate lighting.',
  sharpness_problem: 'The image is not sharp enough.',
};

/** Faces that count as people in the photo: the largest and any at least `secondFaceMinWidth` as wide. */
export function significantFaces(faces: readonly FaceResult[], t: QualityThresholds = FACE_THRESHOLDS.quality): FaceResult[] {
  const widest = Math.max(0, ...faces.map((f) => f.box.width));
  return faces.filter((f) => f.box.width >= t.secondFaceMinWidth * widest);
}

/** Whether an eye is closed: the eye model and the lids' aspect ratio must agree (glasses fool the model). */
export function eyeClosed(eye: { openProbability: number; aspectRatio: number }, t: QualityThresholds): boolean {
  return eye.openProbability < t.eyeOpenProbability && eye.aspectRatio < t.eyeClosedAspect;
}

/** The per-face checks; `skipped` collects checks whose measurements are missing. */
export function faceChecks(face: FaceResult, t: QualityThresholds = FACE_THRESHOLDS.quality, skipped: string[] = []): ImageStatus[] {
  const out: ImageStatus[] = [];
  const m = face.metrics;
  if (m) {
    if (m.faceSizeRatio > t.maxFaceArea) out.push('close_face');
    if (m.faceSizeRatio < t.minFaceArea) out.push('distant_face');
    if ((m.distance2center ?? 1 - m.centerDistance) < t.minCenterScore || m.integrity < t.minIntegrity) out.push('not_centered');
  } else skipped.push('close_face', 'distant_face', 'not_centered', 'brightness_problem', 'sharpness_problem');
  const p = face.pose;
  if (p) {
    const rotated = Math.abs(p.yaw) > t.maxYaw || Math.abs(p.pitch) > t.maxPitch || Math.abs(p.roll) > t.maxRoll;
    if (rotated || (m !== undefined && m.rotation > t.rotation)) out.push('inclined_face');
  } else skipped.push('inclined_face');
  const o = face.occlusion;
  if (o) {
    const r = o.regions;
    const covered = r !== undefined && Math.min(r.leftEye, r.rightEye, r.nose, r.mouth) < t.minRegionClear;
    if (covered || o.sunglasses || o.mask || o.glasses || o.hat || o.hand) out.push('wearing_acessories');
  } else skipped.push('wearing_acessories');
  let expression = false;
  if (face.eyes) expression ||= eyeClosed(face.eyes.left, t) || eyeClosed(face.eyes.right, t);
  else skipped.push('facial_expression:eyes');
  if (face.mouth) expression ||= face.mouth.gapRatio > t.mouthOpenGap;
  else skipped.push('facial_expression:mouth');
  if (face.expression) expression ||= (face.expression.scores.happy ?? 0) > t.smileProbability;
  else skipped.push('facial_expression:smile');
  if (expression) out.push('facial_expression');
  if (m) {
    if (m.underexposure > t.underexposure || m.overexposure > t.overexposure || Math.abs(m.brightness) > t.brightness) out.push('brightness_problem');
    if (m.sharpness < t.sharpness) out.push('sharpness_problem');
  }
  return out;
}

/** The verdict of an analysed image: reasons in seed 000's order, the first as `imageStatus`. */
export function qualityVerdict(analysis: Pick<FaceAnalysis, 'faces'>, t: QualityThresholds = FACE_THRESHOLDS.quality): QualityVerdict {
  const skipped: string[] = [];
  const reasons = new Set<ImageStatus>();
  const faces = significantFaces(analysis.faces, t);
  const primary = analysis.faces[0];
  if (!primary) reasons.add('no_faces');
  else {
    if (faces.length > 1) reasons.add('multiple_faces');
    for (const r of faceChecks(primary, t, skipped)) reasons.add(r);
  }
  const ordered = IMAGE_STATUSES.filter((s) => reasons.has(s));
  const first = ordered[0] ?? null;
  return {
    passed: first === null,
    imageStatus: first,
    description: first === null ? null : `This image was not approved in quality assessment. ${IMAGE_STATUS_DESCRIPTIONS[first]}`,
    reasons: ordered,
    skipped,
  };
}
