import type { FaceAnalysis } from '@biogate/contracts';
import { FACE_THRESHOLDS } from '@biogate/inference';

const round = (v: number) => Number(v.toFixed(4));

/**
 * Seed 001 default_thresholds, read from the engine's one threshold config so documentation, decisions and
 * answers never disagree.
 */
export function defaultThresholds() {
  const q = FACE_THRESHOLDS.quality;
  return {
    underexposure: q.underexposure,
    overexposure: q.overexposure,
    sharpness: q.sharpness,
    color: q.color,
    rotation: q.rotation,
    liveness: q.liveness,
    similarity: FACE_THRESHOLDS.verification.cosine,
  };
}

/** Seed 001 image_metrics: whole-image measurements (null when the quality stage did not run). */
export function imageMetrics(analysis: FaceAnalysis) {
  const m = analysis.imageMetrics;
  if (!m) return null;
  return {
    underexposure: round(m.underexposure),
    overexposure: round(m.overexposure),
    sharpness: round(m.sharpness),
    color: round(m.colorDegradation),
  };
}
