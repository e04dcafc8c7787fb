/**
 * Thread-side face handler (called by inference.thread.ts). Each pool thread keeps one FaceModels per
 * models directory + device, so sessions are created once per thread and only for the models used.
 */
import type { FaceAnalyzeOptions } from '@biogate/contracts';
import { analyzeImage, type FaceAnalyzeOutput, type FaceStage } from './analyze.ts';
import { FaceModels } from './face-models.ts';
import { QUALITY_STAGES } from './quality/quality.stage.ts';
import type { InferenceDevice } from './session.ts';

/** Quality/liveness/attribute stages run after landmarks (the quality module registers its stages here). */
export const FACE_STAGES: FaceStage[] = [...QUALITY_STAGES];

export type FaceTask = {
  domain: 'face';
  op: 'analyze';
  /** Encoded JPEG/PNG; its buffer is transferred to the thread, not copied. */
  image: Uint8Array;
  options?: FaceAnalyzeOptions;
  modelsDir: string;
  device?: InferenceDevice;
  /** @defaultValue 40 000 000 */
  maxPixels?: number;
};

export interface FaceTaskResult extends FaceAnalyzeOutput {
  /** Warnings raised in the thread since its last task (for example the CUDA fallback); no biometric data. */
  warnings?: string[];
}

const modelsByKey = new Map<string, FaceModels>();
const pendingWarnings: string[] = [];

function modelsFor(task: FaceTask): FaceModels {
  const key = `${task.modelsDir}\u0000${task.device ?? 'cpu'}`;
  let models = modelsByKey.get(key);
  if (!models) {
    models = new FaceModels({ modelsDir: task.modelsDir, device: task.device ?? 'cpu', onWarning: (m) => pendingWarnings.push(m) });
    modelsByKey.set(key, models);
  }
  return models;
}

export async function handleFaceTask(task: FaceTask): Promise<FaceTaskResult> {
  switch (task.op) {
    case 'analyze': {
      const deps = { models: modelsFor(task), stages: FACE_STAGES, ...(task.maxPixels ? { maxPixels: task.maxPixels } : {}) };
      const out: FaceTaskResult = await analyzeImage(deps, task.image, task.options ?? {});
      if (pendingWarnings.length > 0) out.warnings = pendingWarnings.splice(0);
      return out;
    }
  }
}
