/**
 * Thread-side face handler (called by inference.thread.ts). Each pool thread keeps one FaceModels per
 * models directory + device, so sessions are created once per thread and only for the models used.
 */
import type { FaceAnalyzeOptions } from '@biogate/contracts';
import { analyzeImage, detectImage, type DetectImageOptions, type FaceAnalyzeOutput, type FaceDetectOutput, type FaceStage } from './analyze.ts';
import { threadId } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { FaceModels, type FaceModelName } from './face-models.ts';
import { QUALITY_STAGES } from './quality/quality.stage.ts';
import type { InferenceDevice } from './session.ts';

/** Quality/liveness/attribute stages run after landmarks (the quality module registers its stages here). */
export const FACE_STAGES: FaceStage[] = [...QUALITY_STAGES];

interface FaceTaskBase {
  domain: 'face';
  modelsDir: string;
  device?: InferenceDevice;
}

export interface FaceAnalyzeTask extends FaceTaskBase {
  op: 'analyze';
  /** Encoded JPEG/PNG; its buffer is transferred to the thread, not copied. */
  image: Uint8Array;
  options?: FaceAnalyzeOptions;
  /** @defaultValue 40 000 000 */
  maxPixels?: number;
}

/** Detection only: boxes and scores, no landmarks or later stages (for callers that need only boxes). */
export interface FaceDetectTask extends FaceTaskBase {
  op: 'detect';
  /** Encoded JPEG/PNG; its buffer is transferred to the thread, not copied. */
  image: Uint8Array;
  /** @defaultValue 40 000 000 */
  maxPixels?: number;
  options?: DetectImageOptions;
}

/** Loads sessions ahead of the first request (worker startup), so no job pays the model load. */
export interface FaceWarmupTask extends FaceTaskBase {
  op: 'warmup';
  models: FaceModelName[];
}

export type FaceTask = FaceAnalyzeTask | FaceDetectTask | FaceWarmupTask;

export interface FaceTaskResult extends FaceAnalyzeOutput {
  /** Warnings raised in the thread since its last task (for example the CUDA fallback); no biometric data. */
  warnings?: string[];
}

export interface FaceDetectTaskResult extends FaceDetectOutput {
  warnings?: string[];
}

export interface FaceWarmupResult {
  threadId: number;
  warnings?: string[];
}

const modelsByKey = new Map<string, FaceModels>();
const pendingWarnings: string[] = [];

function modelsFor(task: FaceTaskBase): FaceModels {
  const key = `${task.modelsDir}\u0000${task.device ?? 'cpu'}`;
  let models = modelsByKey.get(key);
  if (!models) {
    models = new FaceModels({ modelsDir: task.modelsDir, device: task.device ?? 'cpu', onWarning: (m) => pendingWarnings.push(m) });
    modelsByKey.set(key, models);
  }
  return models;
}

async function primeSession(session: ort.InferenceSession): Promise<void> {
  const meta = session.inputMetadata[0];
  const name = session.inputNames[0];
  if (!meta || !meta.isTensor || !name) return;
  const shape = meta.shape.map((d) => (typeof d === 'number' ? d : 1));
  await session.run({ [name]: new ort.Tensor('float32', new Float32Array(shape.reduce((a, b) => a * b, 1)), shape) });
}

export async function handleFaceTask(task: FaceTask): Promise<FaceTaskResult | FaceDetectTaskResult | FaceWarmupResult> {
  switch (task.op) {
    case 'warmup': {
      const models = modelsFor(task);
      // One run on zeros per model too: onnxruntime allocates its arena and kernels on the first run.
      for (const name of task.models) await primeSession(await models.session(name));
      const out: FaceWarmupResult = { threadId };
      if (pendingWarnings.length > 0) out.warnings = pendingWarnings.splice(0);
      return out;
    }
    case 'analyze': {
      const deps = { models: modelsFor(task), stages: FACE_STAGES, ...(task.maxPixels ? { maxPixels: task.maxPixels } : {}) };
      const out: FaceTaskResult = await analyzeImage(deps, task.image, task.options ?? {});
      if (pendingWarnings.length > 0) out.warnings = pendingWarnings.splice(0);
      return out;
    }
    case 'detect': {
      const deps = { models: modelsFor(task), ...(task.maxPixels ? { maxPixels: task.maxPixels } : {}) };
      const out: FaceDetectTaskResult = await detectImage(deps, task.image, task.options ?? {});
      if (pendingWarnings.length > 0) out.warnings = pendingWarnings.splice(0);
      return out;
    }
  }
}
