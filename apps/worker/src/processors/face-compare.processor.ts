import { cosineSimilarity } from '@biogate/inference';
import { bytesToEmbedding } from '@biogate/db';
import { processor } from '../lib/run.ts';
import { analyzeBlob, noFaceResult, primaryFace, unknownUserTokenResult } from '../lib/faces.ts';
import { secondsSince } from '../lib/blobs.ts';
import type { ProcessorContext } from '../lib/context.ts';
import type { JobResult } from '../lib/finish.ts';
import { livenessScore } from '../presenters/v1-detect.presenter.ts';
import { defaultThresholds } from '../presenters/thresholds.ts';

const round = (v: number) => Number(v.toFixed(4));

/**
 * face.compare (seed 001 "Face Compare"): cosine similarity of the largest face of each source (or of the
 * image against an enrollment), with the liveness score of the probe image. No face is a 422 result.
 */
export function faceCompareProcessor(ctx: ProcessorContext) {
  return processor<'face.compare'>(ctx, async (payload): Promise<JobResult> => {
    const started = performance.now();
    // Compare keeps neither photo: both are erased once the result commits, whatever it is.
    const erase = [payload.image1.blobId, ...(payload.image2 ? [payload.image2.blobId] : [])];
    const options = { embedding: true, liveness: true };
    const first = await analyzeBlob(ctx, payload.tenantId, payload.image1.blobId, options);
    const face1 = primaryFace(first.analysis);
    const emb1 = first.embeddings?.[0];
    if (!face1 || !emb1) return { ...noFaceResult(secondsSince(started), payload.image2 ? 'image_file1' : 'image_file'), erase };

    let emb2: Float32Array;
    let liveness = livenessScore(face1);
    if (payload.image2) {
      const second = await analyzeBlob(ctx, payload.tenantId, payload.image2.blobId, options);
      const face2 = primaryFace(second.analysis);
      const e = second.embeddings?.[0];
      if (!face2 || !e) return { ...noFaceResult(secondsSince(started), 'image_file2'), erase };
      emb2 = e;
      const l2 = livenessScore(face2);
      // Both images must look live: report the weaker of the two.
      liveness = liveness === null || l2 === null ? (liveness ?? l2) : Math.min(liveness, l2);
    } else {
      const enrollment = await ctx.repos.enrollments.get(payload.tenantId, payload.userToken ?? '');
      if (!enrollment) return { ...unknownUserTokenResult(), erase };
      emb2 = bytesToEmbedding(enrollment.embedding);
    }
    const thresholds = defaultThresholds();
    return {
      status: 200,
      body: {
        similarity: round(cosineSimilarity(emb1, emb2)),
        liveness_score: liveness,
        defaultThresholds: { similarity: thresholds.similarity, liveness: thresholds.liveness },
        time_taken: secondsSince(started),
      },
      erase,
    };
  });
}
