import { imageView } from '@biogate/contracts';
import { GATE_ANALYSES, qualityGate } from '../lib/gate.ts';
import type { DetectPresenter } from './index.ts';

/**
 * Seed 000 `POST /face_recognition/image`: an approved image answers its image object; a refused one
 * answers 400 image_quality and is erased (a refused photo is not kept).
 */
export const imageGatePresenter: DetectPresenter = {
  analyses: () => ({ ...GATE_ANALYSES }),
  async present({ ctx, payload, output }) {
    const refusal = qualityGate(output.analysis);
    if (refusal) return { ...refusal, erase: [payload.image.blobId] };
    const blob = await ctx.repos.blobs.get(payload.tenantId, payload.image.blobId);
    if (!blob) return { status: 404, body: { title: 'not_found', code: 'not_found', description: 'the image was deleted' } };
    return { status: 200, body: imageView(blob) };
  },
};
