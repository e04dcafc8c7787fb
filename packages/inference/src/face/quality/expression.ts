/**
 * Facial expression with fr_expression (the slowest face model, ~45 ms: run only when a request needs it):
 * 224x224 RGB `/255` of a crop starting at the box's top-left corner, 1.2x its width and height (the package's
 * rule, kept because the model was trained on it); softmax over angry, disgust, fear, happy, sad, surprise, neutral.
 */
import * as ort from 'onnxruntime-node';
import { EXPRESSIONS, type FaceBox } from '@biogate/contracts';
import { cropResize, type RgbImage } from '../image.ts';
import { rgbPlanar, softmax } from './tensors.ts';

export const EXPRESSION_SIZE = 224;

export type Expression = (typeof EXPRESSIONS)[number];

export interface ExpressionResult {
  label: Expression;
  scores: Record<Expression, number>;
}

export async function classifyExpression(session: ort.InferenceSession, img: RgbImage, box: FaceBox): Promise<ExpressionResult> {
  const w = Math.min(box.width * 1.2, img.width - Math.max(0, box.x));
  const h = Math.min(box.height * 1.2, img.height - Math.max(0, box.y));
  const crop = cropResize(img, Math.max(0, box.x), Math.max(0, box.y), w, h, EXPRESSION_SIZE, EXPRESSION_SIZE);
  const out = await session.run({ input: new ort.Tensor('float32', rgbPlanar(crop, 'unit'), [1, 3, EXPRESSION_SIZE, EXPRESSION_SIZE]) });
  const p = softmax(out.output!.data as Float32Array);
  const scores = Object.fromEntries(EXPRESSIONS.map((e, i) => [e, p[i] ?? 0])) as Record<Expression, number>;
  let label: Expression = 'neutral';
  for (const e of EXPRESSIONS) if (scores[e] > scores[label]) label = e;
  return { label, scores };
}
