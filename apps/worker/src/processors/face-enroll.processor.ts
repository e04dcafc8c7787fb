import { embeddingToBytes } from '@biogate/db';
import { processor } from '../lib/run.ts';
import { analyzeBlob, noFaceResult, primaryFace, unknownUserTokenResult } from '../lib/faces.ts';
import { secondsSince } from '../lib/blobs.ts';
import { exposureRefusal, partialFaceRefusal } from '../lib/gate.ts';
import type { ProcessorContext } from '../lib/context.ts';

/** The model version stored with each embedding, so a future model change can re-enroll or refuse. */
export const FACE_EMBEDDING_MODEL = 'fr_feature@faceplugin-0.0.1';

/**
 * face.enroll (seed 001 "Enroll User" / "Update User"): embeds the largest face and stores it under a
 * user_token. A face not completely inside the image is not considered (422 face_not_found); under- or
 * overexposed faces are refused with 422 image_underexposed / image_overexposed.
 * An update replaces the embedding and erases the previous image. A refused image is erased (after the result
 * commits, see JobResult.erase).
 */
export function faceEnrollProcessor(ctx: ProcessorContext) {
  return processor<'face.enroll'>(ctx, async (payload) => {
    const started = performance.now();
    const { analysis, embeddings } = await analyzeBlob(ctx, payload.tenantId, payload.image.blobId, {
      embedding: true,
      quality: true,
    });
    const face = primaryFace(analysis);
    const embedding = embeddings?.[0];
    const refused = [payload.image.blobId];
    if (!face || !embedding) return { ...noFaceResult(secondsSince(started), 'image_file'), erase: refused };
    const refusal = partialFaceRefusal(face) ?? exposureRefusal(face);
    if (refusal) return { status: 422, body: { ...refusal, time_taken: secondsSince(started) }, erase: refused };
    const data = {
      embedding: embeddingToBytes(embedding),
      modelVersion: FACE_EMBEDDING_MODEL,
      imageBlobId: payload.image.blobId,
    };
    if (payload.userToken) {
      const previous = await ctx.repos.enrollments.get(payload.tenantId, payload.userToken);
      if (!previous) return { ...unknownUserTokenResult(), erase: refused };
      await ctx.repos.enrollments.update(payload.tenantId, payload.userToken, data);
      const replaced = previous.imageBlobId && previous.imageBlobId !== payload.image.blobId ? [previous.imageBlobId] : [];
      return { status: 200, body: { user_token: payload.userToken, time_taken: secondsSince(started) }, erase: replaced };
    }
    // The token is derived from the job id so a retried job re-uses it instead of enrolling twice.
    const userToken = payload.requestId;
    const existing = await ctx.repos.enrollments.get(payload.tenantId, userToken);
    if (!existing) await ctx.repos.enrollments.create(payload.tenantId, { id: userToken, ...data });
    return { status: 200, body: { user_token: userToken, time_taken: secondsSince(started) } };
  });
}
