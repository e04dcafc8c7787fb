import type { DetectFormat, FaceAnalyzeOptions, FaceDetectPayload } from '@biogate/contracts';
import type { FaceAnalyzeOutput } from '@biogate/inference';
import type { ProcessorContext } from '../lib/context.ts';
import type { JobResult } from '../lib/finish.ts';
import { v1DetectPresenter } from './v1-detect.presenter.ts';
import { imageGatePresenter } from './image-gate.presenter.ts';
import { qualityStatelessPresenter } from './quality-stateless.presenter.ts';
import { livenessDetectPresenter } from './liveness-detect.presenter.ts';

export interface DetectPresenterInput {
  ctx: ProcessorContext;
  payload: FaceDetectPayload;
  output: FaceAnalyzeOutput;
  /** Seconds spent so far (fetch + inference), the seeds' `time_taken`. */
  timeTaken: number;
}

/**
 * One face.detect output format: which analyses it needs (nothing more is computed) and how it turns the
 * analysis into the HTTP status and body the client receives.
 */
export interface DetectPresenter {
  analyses(options: FaceDetectPayload['options']): FaceAnalyzeOptions;
  present(input: DetectPresenterInput): JobResult | Promise<JobResult>;
}

/** Presenters by format; the face.detect processor refuses a format with none (a newer API than worker). */
export const presenters: Partial<Record<DetectFormat, DetectPresenter>> = {
  v1: v1DetectPresenter,
  'image-gate': imageGatePresenter,
  'quality-stateless': qualityStatelessPresenter,
  'liveness-detect': livenessDetectPresenter,
};
