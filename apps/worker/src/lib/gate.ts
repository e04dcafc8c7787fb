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
 * Seed 001 enrollment: "faces that are not completely inside the image will not be considered". A face with
 * less than `minIntegrity` of its expected region inside the image (the measure behind seed 000's not_centered
 * and seed 004's FACE_CROPPED) is refused as no usable face: 422 `face_not_found`, with a description saying why.
 */
export function partialFaceRefusal(face: FaceResult) {
  const integrity = face.metrics?.integrity;
  const limit = FACE_THRESHOLDS.quality.minIntegrity;
  if (integrity === undefined || integrity >= limit) return null;
  return {
    title: 'face_not_found',
    code: 'face_not_found',
    description: `the face is not completely inside the image (${Math.round(integrity * 100)}% of it is, ${Math.round(limit * 100)}% needed): send a photo with the whole face and a margin around it`,
  } as const;
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
