import { FACE_THRESHOLDS } from '@biogate/inference';
import { seed001DefaultThresholds } from '@biogate/inference/face/quality/seed-mappers';

/**
 * Seed 001 default_thresholds: the quality thresholds plus the verification threshold, read from the
 * engine's one threshold config so documentation, decisions and answers never disagree.
 */
export function defaultThresholds() {
  return { ...seed001DefaultThresholds(), similarity: FACE_THRESHOLDS.verification.cosine };
}
