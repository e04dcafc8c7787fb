import type { FaceAnalysis } from '@biogate/contracts';
import { seed004Error, seed004Face } from '@biogate/inference/face/quality/seed-mappers';
import type { DetectPresenter } from './index.ts';

/** Value the seed uses for an attribute that is not known (its example shows `gender: -10000`). */
export const UNKNOWN = -10000;

/** Seed 004 `gender` scale: 1 male, 0 female, -10000 unknown (not estimated). */
export function genderCode(gender: 'male' | 'female' | null): number {
  return gender === 'male' ? 1 : gender === 'female' ? 0 : UNKNOWN;
}

/**
 * The seed 004 result. Face outcomes (the seed's error enum, decided by the engine's `seed004Error`) answer 200
 * with `hasError: true`, as the seed's examples show; a usable face whose liveness could not be scored is
 * 500 INTERNAL_ERROR. The crop, cut by the inference pool, is inlined only when the client asked for it.
 */
export function presentLivenessDetect(analysis: FaceAnalysis, sessionId: string | null, crop: Uint8Array | undefined) {
  const error = seed004Error(analysis);
  if (error) return { status: 200, body: { sessionId, hasError: true, error } };
  const primary = analysis.faces[0];
  const face = primary ? seed004Face(primary) : undefined;
  if (!face || face.passiveLivenessScore === null) {
    return { status: 500, body: { sessionId, hasError: true, error: 'INTERNAL_ERROR' } };
  }
  return {
    status: 200,
    body: {
      sessionId,
      hasError: false,
      face: {
        age: face.age ?? UNKNOWN,
        gender: genderCode(face.gender),
        passiveLivenessScore: face.passiveLivenessScore,
        rectangle: face.rectangle,
        ...(crop ? { faceImageBase: Buffer.from(crop).toString('base64') } : {}),
      },
    },
  };
}

/**
 * face.detect format `liveness-detect` (seed 004): quality, liveness and attributes; the crop when asked. The
 * seed offers no retrieval of the photo, so it is erased (bytes and row) once analysed.
 */
export const livenessDetectPresenter: DetectPresenter = {
  analyses: (options) => ({ quality: true, liveness: true, attributes: true, crop: options.crop }),
  present: ({ output, payload }) => ({
    ...presentLivenessDetect(output.analysis, payload.echo?.sessionId ?? null, payload.options.crop ? output.crop : undefined),
    erase: [payload.image.blobId],
  }),
};
