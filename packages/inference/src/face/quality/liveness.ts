/**
 * Passive liveness with fr_liveness (a MiniFASNet-style model): 128x128 RGB, raw 0..255, from a context crop
 * of 2.7x the detector box around its centre, shifted to stay inside the image; softmax p[0] = live.
 * When the image cannot hold the 2.7x context the model sees a tighter crop than it was trained on and scores
 * real faces low, so no score is returned then (`reliable: false`).
 */
import * as ort from 'onnxruntime-node';
import { cropResize, type RgbImage } from '../image.ts';
import { rgbPlanar, softmax } from './tensors.ts';
import type { ContextCrop } from './geometry.ts';

export { contextCrop } from './geometry.ts';

export const LIVENESS_SIZE = 128;
export const LIVENESS_CONTEXT = 2.7;

/** Raw model probability that the face is live (p[0]) on a given crop. */
export async function livenessProbability(session: ort.InferenceSession, img: RgbImage, crop: ContextCrop): Promise<number> {
  const input = cropResize(img, crop.x, crop.y, crop.w, crop.h, LIVENESS_SIZE, LIVENESS_SIZE);
  const out = await session.run({ input: new ort.Tensor('float32', rgbPlanar(input, 'raw'), [1, 3, LIVENESS_SIZE, LIVENESS_SIZE]) });
  return softmax(out.output!.data as Float32Array)[0]!;
}
