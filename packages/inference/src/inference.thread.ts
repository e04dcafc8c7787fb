/**
 * Piscina thread entry. Each thread loads its ONNX sessions once (lazily, on first task) and keeps them.
 * The main thread sends bytes as transferable ArrayBuffers; results come back as plain objects.
 * Face tasks (`face.handler.ts`): `analyze` (the pipeline, only what the options ask), `detect` (detection only:
 * boxes and scores, for callers that need nothing else) and `warmup`. Voice tasks: `voice.handler.ts`.
 */
import { handleFaceTask, type FaceTask } from './face/face.handler.ts';
import { handleVoiceTask, type VoiceTask } from './voice/voice.handler.ts';
import { AudioInputError, type AudioInputErrorCode } from './voice/audio-errors.ts';

export type InferenceTask = FaceTask | VoiceTask;

/**
 * A voice task's outcome. Expected refusals (too little speech, undecodable audio) come back as values:
 * errors lose their `code` when they cross the thread boundary.
 */
export type VoiceOutcome =
  | ({ ok: true } & Awaited<ReturnType<typeof handleVoiceTask>>)
  | { ok: false; code: AudioInputErrorCode; message: string };

export default async function run(task: InferenceTask): Promise<unknown> {
  switch (task.domain) {
    case 'face':
      return handleFaceTask(task);
    case 'voice':
      try {
        return { ok: true, ...(await handleVoiceTask(task)) } satisfies VoiceOutcome;
      } catch (err) {
        if (err instanceof AudioInputError) return { ok: false, code: err.code, message: err.message } satisfies VoiceOutcome;
        throw err;
      }
  }
}
