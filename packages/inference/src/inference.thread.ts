/**
 * Piscina thread entry. Each thread loads its ONNX sessions once (lazily, on first task) and keeps them.
 * The main thread sends bytes as transferable ArrayBuffers; results come back as plain objects.
 */
import { handleFaceTask, type FaceTask } from './face/face.handler.ts';
import { handleVoiceTask, type VoiceTask } from './voice/voice.handler.ts';

export type InferenceTask = FaceTask | VoiceTask;

export default async function run(task: InferenceTask): Promise<unknown> {
  switch (task.domain) {
    case 'face':
      return handleFaceTask(task);
    case 'voice':
      return handleVoiceTask(task);
  }
}
