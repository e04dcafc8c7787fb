import type { FaceAnalysis, FaceAnalyzeOptions } from '@biogate/contracts';
import type { ProcessorContext } from './context.ts';
import { readBlob } from './blobs.ts';

/** Reads an input image blob and runs the requested analyses in the pool. */
export async function analyzeBlob(
  ctx: ProcessorContext,
  tenantId: string,
  blobId: string,
  options: FaceAnalyzeOptions,
) {
  const bytes = await readBlob(ctx, tenantId, blobId);
  return ctx.pool.analyzeFace(bytes, options);
}

/** Seed 001's refusal for a source without a usable face: an expected outcome, answered 422. */
export function noFaceResult(timeTaken: number, which?: string) {
  return {
    status: 422,
    body: {
      title: 'face_not_found',
      code: 'face_not_found',
      description: which ? `no face was found on ${which}` : 'no face was found on the image',
      time_taken: timeTaken,
    },
  };
}

/** A request naming a user_token with no enrollment of its tenant: 404, an expected outcome. */
export function unknownUserTokenResult() {
  return { status: 404, body: { title: 'not_found', code: 'not_found', description: 'no enrollment with this user_token' } };
}

/** The face used for matching: the largest (the analysis sorts by box area). */
export const primaryFace = (analysis: FaceAnalysis) => analysis.faces[analysis.primaryFace ?? 0];
