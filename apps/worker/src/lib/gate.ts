import type { FaceAnalysis, FaceResult } from '@biogate/contracts';
import { FACE_THRESHOLDS } from '@biogate/inference';
import { seed001ExposureRefusal } from '@biogate/inference/face/quality/seed-mappers';

/** What seed 000's quality gate answers for a refused image. */
export interface GateRefusal {
  status: 400;
  body: { title: 'image_quality'; description: string; image_status: string; code: 'image_quality'; reasons: string[] };
}

/** The analyses the quality gate needs (the expression model for the smile check included). */
export const GATE_ANALYSES = { quality: true, expression: true } as const;

/**
 * Seed 000's quality gate over the quality module's verdict: null when the image passes, else the 400
 * `{title: "image_quality", description, image_status}` body (plus every failed reason).
 */
export function qualityGate(analysis: FaceAnalysis): GateRefusal | null {
  const verdict = analysis.verdict;
  if (analysis.faces.length === 0 && !verdict) return noFaceRefusal();
  if (!verdict || verdict.passed) return null;
  const status = verdict.imageStatus ?? verdict.reasons[0] ?? 'no_faces';
  const prefix = 'This image was not approved in quality assessment.';
  const detail = verdict.description ?? '';
  return refusal(status, detail.startsWith(prefix) ? detail : `${prefix} ${detail}`.trim(), verdict.reasons);
}

export const noFaceRefusal = () =>
  refusal('no_faces', 'This image was not approved in quality assessment. No face was identified.', ['no_faces']);

function refusal(imageStatus: string, description: string, reasons: string[]): GateRefusal {
  return { status: 400, body: { title: 'image_quality', description, image_status: imageStatus, code: 'image_quality', reasons } };
}

/**
 * Seed 001 enrollment refusals: a face whose underexposure or overexposure passes its threshold is not
 * enrolled (`image_underexposed` / `image_overexposed`, 422).
 */
export function exposureRefusal(face: FaceResult) {
  const code = seed001ExposureRefusal(face);
  if (!code) return null;
  const t = FACE_THRESHOLDS.quality;
  const [value, limit] = code === 'image_underexposed' ? [face.metrics?.underexposure, t.underexposure] : [face.metrics?.overexposure, t.overexposure];
  return { title: code, code, description: `${code === 'image_underexposed' ? 'underexposure' : 'overexposure'} ${value?.toFixed(2)} is above the ${limit} threshold` };
}
