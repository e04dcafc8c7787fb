import type { FaceAnalysis } from '@biogate/contracts';
import { seed003Face } from '@biogate/inference/face/quality/seed-mappers';
import type { DetectPresenter } from './index.ts';

/**
 * The seed 003 result: 200 `{code: 1000, faces, request_id}` with every face (largest first), or 400
 * `{code: 4000, message, request_id}` when no face is detected. `request_id` is the job id.
 */
export function presentQualityStateless(analysis: FaceAnalysis, requestId: string) {
  if (analysis.faces.length === 0) {
    return {
      status: 400,
      body: { code: 4000, message: 'detection failed: no face detected in the image', request_id: requestId },
    };
  }
  return {
    status: 200,
    body: { code: 1000, faces: analysis.faces.map((face) => seed003Face(face)), request_id: requestId },
  };
}

/**
 * face.detect format `quality-stateless` (seed 003): the quality measurements only. Stateless: the photo is
 * erased (bytes and row) once measured; only the result stays, for `GET /v1/jobs/{request_id}`.
 */
export const qualityStatelessPresenter: DetectPresenter = {
  analyses: () => ({ quality: true, liveness: false, attributes: false, crop: false }),
  present: ({ output, payload }) => ({
    ...presentQualityStateless(output.analysis, payload.requestId),
    erase: [payload.image.blobId],
  }),
};
