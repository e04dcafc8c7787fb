import type { FaceAnalysis, FaceResult } from '@biogate/contracts';
import { LANDMARK_NAMES } from './landmark-names.ts';
import { seed001FaceMetrics, seed001ImageMetrics } from '@biogate/inference/face/quality/seed-mappers';
import { defaultThresholds } from './thresholds.ts';
import type { DetectPresenter } from './index.ts';

const round = (v: number, digits = 4) => Number(v.toFixed(digits));

/** Seed 001 landmarks: an object with (x, y) per named point. */
export function landmarksObject(face: FaceResult): Record<string, { x: number; y: number }> {
  const out: Record<string, { x: number; y: number }> = {};
  face.landmarks68.forEach((p, i) => {
    out[LANDMARK_NAMES[i] ?? `point_${i}`] = { x: round(p.x, 1), y: round(p.y, 1) };
  });
  return out;
}

/**
 * Seed 001 bounding_box: [left, top, right, bottom, width, height] in whole pixels. The corners are rounded and
 * the size taken from them, so right - left is always width (rounding all six apart can be 1 px off).
 */
export function boundingBox(face: FaceResult): number[] {
  const { x, y, width, height } = face.box;
  const [left, top, right, bottom] = [x, y, x + width, y + height].map((v) => Math.round(v)) as [number, number, number, number];
  return [left, top, right, bottom, right - left, bottom - top];
}

export const livenessScore = (face: FaceResult): number | null =>
  face.liveness?.score === null || face.liveness?.score === undefined ? null : round(face.liveness.score);

/** The seed-001 Detect object for one analysed image. */
export function presentDetect(analysis: FaceAnalysis, timeTaken: number) {
  return {
    total_faces: analysis.faces.length,
    faces: analysis.faces.map((face) => ({
      landmarks: landmarksObject(face),
      bounding_box: boundingBox(face),
      face_metrics: seed001FaceMetrics(face),
      liveness_score: livenessScore(face),
      ...(face.liveness?.reason ? { liveness_note: face.liveness.reason } : {}),
    })),
    image_metrics: seed001ImageMetrics(analysis),
    default_thresholds: defaultThresholds(),
    time_taken: timeTaken,
  };
}

export const v1DetectPresenter: DetectPresenter = {
  analyses: (options) => ({ quality: options.quality, liveness: options.liveness, attributes: options.attributes }),
  present: ({ output, payload, timeTaken }) => ({
    status: 200,
    body: presentDetect(output.analysis, timeTaken),
    erase: [payload.image.blobId],
  }),
};
