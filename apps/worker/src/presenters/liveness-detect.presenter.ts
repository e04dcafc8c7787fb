import type { FaceAnalysis, FaceResult } from '@biogate/contracts';
import { FACE_THRESHOLDS } from '@biogate/inference';
import type { DetectPresenter } from './index.ts';

/** Value the seed uses for an attribute that is not known (its example shows `gender: -10000`). */
export const UNKNOWN = -10000;

const Q = FACE_THRESHOLDS.quality;

/**
 * Decision limits for the seed 004 error enum, in one place (documented in docs/api/seed-004-liveness.md); the
 * shared ones come from the engine's threshold config so seed 000/001/004 never disagree.
 */
export const SEED004_LIMITS = {
  /** A second face counts (TOO_MANY_FACES) when at least this share of the largest face's width. */
  otherFaceWidthRatio: Q.secondFaceMinWidth,
  /**
   * The image must hold this many face boxes around the face (the liveness model's context); less is
   * FACE_TOO_CLOSE: the face fills too much of the frame for passive liveness.
   */
  minContextScale: Q.livenessMinContext,
  /** Share of the face box that must lie inside the image; less is FACE_CROPPED. */
  minIntegrity: Q.minIntegrity,
  /** Landmarks may pass the border by this share of the face width before the face counts as FACE_CROPPED. */
  landmarkSlack: 0.02,
  /** Margin between the face box and the nearest border, as a share of the face width; less is FACE_CLOSE_TO_BORDER. */
  minBorderMargin: 0.05,
  /** Interpupillary distance in pixels below which the face is FACE_TOO_SMALL. */
  minInterpupillaryPx: Q.minInterPupillary,
  /** |yaw| or |pitch| in degrees above which the face is FACE_ANGLE_TOO_LARGE. */
  maxOutOfPlane: Q.maxOutOfPlane,
  /** Nose or mouth region clear score (1 = clear) under which the face is FACE_IS_OCCLUDED (medical masks). */
  minRegionClear: Q.minRegionClear,
} as const;

export type Seed004FaceError =
  | 'FACE_TOO_CLOSE'
  | 'FACE_CLOSE_TO_BORDER'
  | 'FACE_CROPPED'
  | 'FACE_IS_OCCLUDED'
  | 'FACE_NOT_FOUND'
  | 'TOO_MANY_FACES'
  | 'FACE_TOO_SMALL'
  | 'FACE_ANGLE_TOO_LARGE';

/**
 * The first seed 004 error that applies, in the documented order (not found, too many, too close, cropped, close to
 * border, too small, angle, occluded), or null when none does.
 */
export function seed004FaceError(analysis: FaceAnalysis, limits = SEED004_LIMITS): Seed004FaceError | null {
  const [face, ...others] = analysis.faces;
  if (!face) return 'FACE_NOT_FOUND';
  if (others.some((o) => o.box.width >= limits.otherFaceWidthRatio * face.box.width)) return 'TOO_MANY_FACES';
  const { x, y, width, height } = face.box;
  const { width: W, height: H } = analysis;
  if (width * limits.minContextScale > W - 1 || height * limits.minContextScale > H - 1) return 'FACE_TOO_CLOSE';
  const insideW = Math.max(0, Math.min(x + width, W) - Math.max(x, 0));
  const insideH = Math.max(0, Math.min(y + height, H) - Math.max(y, 0));
  const slack = limits.landmarkSlack * width;
  // The detector re-boxes the visible part of a cut face; its landmarks still reach past the border.
  const landmarkOut = face.landmarks68.some((p) => p.x < -slack || p.y < -slack || p.x > W + slack || p.y > H + slack);
  if ((width * height > 0 && (insideW * insideH) / (width * height) < limits.minIntegrity) || landmarkOut) return 'FACE_CROPPED';
  if (Math.min(x, y, W - (x + width), H - (y + height)) < limits.minBorderMargin * width) return 'FACE_CLOSE_TO_BORDER';
  const [leftEye, rightEye] = face.points5;
  const ipd = leftEye && rightEye ? Math.hypot(rightEye.x - leftEye.x, rightEye.y - leftEye.y) : 0;
  if (ipd < limits.minInterpupillaryPx) return 'FACE_TOO_SMALL';
  if (face.pose && Math.max(Math.abs(face.pose.yaw), Math.abs(face.pose.pitch)) > limits.maxOutOfPlane) {
    return 'FACE_ANGLE_TOO_LARGE';
  }
  const regions = face.occlusion?.regions;
  if (face.occlusion?.mask || (regions && Math.min(regions.nose, regions.mouth) < limits.minRegionClear)) {
    return 'FACE_IS_OCCLUDED';
  }
  return null;
}

/** Seed 004 `gender`: 1 male, 0 female, -10000 unknown (not estimated). */
export function seedGender(face: FaceResult): number {
  const g = face.attributes?.gender;
  return g === 'male' ? 1 : g === 'female' ? 0 : UNKNOWN;
}

/** Seed 004 `rectangle`: the face box in whole pixels, clipped to the image. */
export function seedRectangle(face: FaceResult, analysis: FaceAnalysis) {
  const left = Math.max(0, Math.round(face.box.x));
  const top = Math.max(0, Math.round(face.box.y));
  const right = Math.min(analysis.width, Math.round(face.box.x + face.box.width));
  const bottom = Math.min(analysis.height, Math.round(face.box.y + face.box.height));
  return { top, left, width: Math.max(0, right - left), height: Math.max(0, bottom - top) };
}

/**
 * The seed 004 result. Face outcomes are 200 with `hasError: true` (the seed's examples); a face whose liveness
 * could not be scored for another reason is 500 INTERNAL_ERROR. The crop is returned inline when asked.
 */
export function presentLivenessDetect(analysis: FaceAnalysis, sessionId: string | null, crop: Uint8Array | undefined) {
  const error = seed004FaceError(analysis);
  if (error) return { status: 200, body: { sessionId, hasError: true, error } };
  const face = analysis.faces[0];
  const score = face?.liveness?.score;
  if (!face || score === null || score === undefined) {
    return { status: 500, body: { sessionId, hasError: true, error: 'INTERNAL_ERROR' } };
  }
  const age = face.attributes?.age;
  return {
    status: 200,
    body: {
      sessionId,
      hasError: false,
      face: {
        age: age === undefined ? UNKNOWN : Math.round(age),
        gender: seedGender(face),
        passiveLivenessScore: Number(score.toFixed(4)),
        rectangle: seedRectangle(face, analysis),
        ...(crop ? { faceImageBase: Buffer.from(crop).toString('base64') } : {}),
      },
    },
  };
}

/** face.detect format `liveness-detect` (seed 004): quality, liveness and attributes; the crop when asked. */
export const livenessDetectPresenter: DetectPresenter = {
  analyses: (options) => ({ quality: true, liveness: true, attributes: true, crop: options.crop }),
  present: ({ output, payload }) =>
    presentLivenessDetect(
      output.analysis,
      payload.echo?.sessionId ?? null,
      payload.options.crop ? output.crop : undefined,
    ),
};
