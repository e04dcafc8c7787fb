import { registrationView, validationView, type FaceRegisterPayload } from '@biogate/contracts';
import { bytesToEmbedding, embeddingToBytes } from '@biogate/db';
import { cosineSimilarity, FACE_THRESHOLDS, similarityRatio } from '@biogate/inference';
import { processor } from '../lib/run.ts';
import { analyzeBlob, primaryFace } from '../lib/faces.ts';
import { GATE_ANALYSES, noFaceRefusal, qualityGate, type GateRefusal } from '../lib/gate.ts';
import type { ProcessorContext } from '../lib/context.ts';
import type { JobResult } from '../lib/finish.ts';
import { FACE_EMBEDDING_MODEL } from './face-enroll.processor.ts';

/**
 * Runs seed 000's quality gate and embeds the face; stores the face crop and links it to the image (for
 * `/cropped_file`). A refused image's refusal is returned as the result, which erases the image once committed.
 */
async function gatedEmbedding(
  ctx: ProcessorContext,
  payload: FaceRegisterPayload,
): Promise<{ refusal: GateRefusal & Pick<JobResult, 'erase'> } | { embedding: Float32Array; cropBlobId: string | null }> {
  const output = await analyzeBlob(ctx, payload.tenantId, payload.image.blobId, { ...GATE_ANALYSES, embedding: true, crop: true });
  const refusal = qualityGate(output.analysis);
  const embedding = output.embeddings?.[0];
  if (refusal || !embedding || !primaryFace(output.analysis)) {
    return { refusal: { ...(refusal ?? noFaceRefusal()), erase: [payload.image.blobId] } };
  }
  let cropBlobId: string | null = null;
  if (output.crop) {
    const existing = await ctx.repos.blobs.findCropOf(payload.tenantId, payload.image.blobId);
    if (existing) cropBlobId = existing.id;
    else {
      const stored = await ctx.blobs.put(payload.tenantId, output.crop);
      const crop = await ctx.repos.blobs.create(payload.tenantId, {
        kind: 'crop',
        contentType: 'image/jpeg',
        byteSize: stored.byteSize,
        sha256: stored.sha256,
        storageKey: stored.storageKey,
        parentBlobId: payload.image.blobId,
      });
      cropBlobId = crop.id;
    }
  }
  return { embedding, cropBlobId };
}

/** face.register (seed 002): a registration of a face under a CPF; several per CPF are kept. */
export function faceRegisterProcessor(ctx: ProcessorContext) {
  return processor<'face.register'>(ctx, async (payload): Promise<JobResult> => {
    const gated = await gatedEmbedding(ctx, payload);
    if ('refusal' in gated) return gated.refusal;
    // Keyed by the request id: a retried job finds its registration instead of writing a second one.
    const registration =
      (await ctx.repos.registrations.get(payload.tenantId, payload.requestId)) ??
      (await ctx.repos.registrations.create(payload.tenantId, {
        id: payload.requestId,
        documentNumber: payload.documentNumber,
        status: 'authentic',
        imageBlobId: payload.image.blobId,
        cropBlobId: gated.cropBlobId,
        embedding: embeddingToBytes(gated.embedding),
        modelVersion: FACE_EMBEDDING_MODEL,
      }));
    const image = await ctx.repos.blobs.get(payload.tenantId, payload.image.blobId);
    return { status: 200, body: registrationView(registration, image) };
  });
}

/**
 * face.validate (seed 002): 1:1 validation of a photo against the CPF's registrations. The best-matching
 * registration is the reference reported; `validation_result` is match when its cosine similarity reaches
 * the calibrated threshold (docs/face-calibration.md); `similarity_ratio` maps it to 0-100 with the
 * threshold at 50.
 */
export function faceValidateProcessor(ctx: ProcessorContext) {
  return processor<'face.validate'>(ctx, async (payload): Promise<JobResult> => {
    const registrations = await ctx.repos.registrations.listByDocument(payload.tenantId, payload.documentNumber);
    if (registrations.length === 0) {
      return { status: 404, body: { title: 'not_found', code: 'not_found', description: 'no registration for this document_number' } };
    }
    const gated = await gatedEmbedding(ctx, payload);
    if ('refusal' in gated) return gated.refusal;
    let best = { registration: registrations[0]!, cosine: -1 };
    for (const registration of registrations) {
      const cosine = cosineSimilarity(gated.embedding, bytesToEmbedding(registration.embedding));
      if (cosine > best.cosine) best = { registration, cosine };
    }
    const threshold = FACE_THRESHOLDS.verification.cosine;
    const validation =
      (await ctx.repos.validations.get(payload.tenantId, payload.requestId)) ??
      (await ctx.repos.validations.create(payload.tenantId, {
        id: payload.requestId,
        documentNumber: payload.documentNumber,
        imageBlobId: payload.image.blobId,
        registrationId: best.registration.id,
        similarity: best.cosine,
        similarityRatio: Math.round(similarityRatio(best.cosine, threshold)),
        result: best.cosine >= threshold ? 'match' : 'mismatch',
      }));
    const image = await ctx.repos.blobs.get(payload.tenantId, payload.image.blobId);
    return { status: 200, body: validationView(validation, image, best.registration) };
  });
}
