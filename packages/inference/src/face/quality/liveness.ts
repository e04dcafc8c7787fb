/**
 * Passive liveness with fr_liveness (a MiniFASNet-style model): 128x128 RGB, raw 0..255, from a context crop
 * of 2.7x the detector box around its centre, shifted to stay inside the image; softmax p[0] = live.
 * When the image cannot hold the 2.7x context the model sees a tighter crop than it was trained on and scores
 * real faces low, so no score is returned then (`reliable: false`).
 */
import ort from 'onnxruntime-node';
import type { FaceBox } from '@biogate/contracts';
import { cropResize, type RgbImage } from '../image.ts';
import { rgbPlanar, softmax } from './tensors.ts';

export const LIVENESS_SIZE = 128;
export const LIVENESS_CONTEXT = 2.7;

export interface LivenessCrop {
  x: number;
  y: number;
  w: number;
  h: number;
  /** Context scale achieved (2.7 when it fits). */
  scale: number;
  /** How far the window was shifted to stay inside the image, as a fraction of its size (0 = centred). */
  shift: number;
}

/** The package's crop rule: scale min(2.7, fits), centred on the box, then shifted inside the image. */
export function contextCrop(box: FaceBox, width: number, height: number, context = LIVENESS_CONTEXT): LivenessCrop {
  const scale = Math.min((height - 1) / box.height, (width - 1) / box.width, context);
  const w = box.width * scale;
  const h = box.height * scale;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const x0 = cx - w / 2;
  const y0 = cy - h / 2;
  const x = Math.min(Math.max(0, x0), width - 1 - w);
  const y = Math.min(Math.max(0, y0), height - 1 - h);
  const shift = Math.max(Math.abs(x - x0) / w, Math.abs(y - y0) / h);
  return { x, y, w, h, scale, shift };
}

/** Raw model probability that the face is live (p[0]) on a given crop. */
export async function livenessProbability(session: ort.InferenceSession, img: RgbImage, crop: LivenessCrop): Promise<number> {
  const input = cropResize(img, crop.x, crop.y, crop.w, crop.h, LIVENESS_SIZE, LIVENESS_SIZE);
  const out = await session.run({ input: new ort.Tensor('float32', rgbPlanar(input, 'raw'), [1, 3, LIVENESS_SIZE, LIVENESS_SIZE]) });
  return softmax(out.output!.data as Float32Array)[0]!;
}
