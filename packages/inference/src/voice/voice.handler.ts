/**
 * Thread-side voice compare (called by inference.thread.ts): decode both recordings (WAV or Ogg, to 16 kHz
 * mono), find the speech, embed each with the built-in GMM-UBM model or a downloaded neural model, and return
 * a calibrated similarity. Models load once per thread and models directory. Bad inputs throw an
 * {@link AudioInputError} with a stable code (the thread entry turns it into a value before it crosses threads).
 */
import { join } from 'node:path';
import { DEFAULT_MODELS_DIR } from '../models.ts';
import { verifyFile } from './model-files.ts';
import { AudioInputError, type AudioLimits } from './audio-errors.ts';
import { decodeAudio } from './audio-decode.ts';
import { calibrate, cosine, embedBuiltin, loadBuiltinModels, modelForPair, snorm, type BuiltinModel, type BuiltinModels, type CohortStats } from './builtin-model.ts';
import { NEURAL_MODELS, NeuralEmbedder } from './neural-models.ts';

/** Public similarity at or above which two recordings are judged the same speaker (every engine is calibrated to it). */
export const VOICE_DEFAULT_THRESHOLD = 0.5;

export type VoiceEngine = 'builtin' | keyof typeof NEURAL_MODELS;

export type VoiceTask = {
  domain: 'voice';
  op: 'compare';
  /** Encoded WAV or Ogg bytes; buffers are transferred to the thread, not copied. */
  audio1: Uint8Array;
  audio2: Uint8Array;
  /** @defaultValue the repo's models/ directory */
  modelsDir?: string;
  /**
   * 'builtin' (GMM-UBM, ships in models/voice) or a neural model fetched with `npm run models:fetch -- voice`.
   * @defaultValue 'builtin'
   */
  engine?: VoiceEngine;
  /** Byte/duration bounds (same defaults as the API check). */
  limits?: AudioLimits;
  /**
   * Least voiced audio per recording, in seconds, below which the compare is refused (`audio_too_little_speech`).
   * @defaultValue 1
   */
  minSpeechSeconds?: number;
  /** Test hook: an explicit ONNX file for a neural engine instead of models/voice/<file>. */
  neuralModelPath?: string;
};

export interface VoiceCompareResult {
  /** 0..1, higher = same speaker; calibrated so {@link VOICE_DEFAULT_THRESHOLD} (0.5) is the default decision. */
  similarity: number;
  threshold: number;
  match: boolean;
  /** Raw cosine between the two speaker vectors (engine-specific scale). */
  cosine: number;
  /** The calibrated quantity: the S-normalised cosine for the built-in model, the cosine for neural models. */
  score: number;
  engine: string;
  modelVersion: string;
  speechSeconds: [number, number];
  durationsMs: [number, number];
  inferenceMs: number;
}

interface Embedder {
  name: string;
  version: string;
  calibration: { centre: number; scale: number };
  embed(samples: Float32Array): Promise<{ vector: Float32Array; speechSeconds: number; norm?: CohortStats | undefined }>;
  /** The embedder that scores this pair (built-in engine: the wideband model when both recordings are wideband). */
  forPair?(a: Float32Array, b: Float32Array): Embedder;
}

const embedders = new Map<string, Promise<Embedder>>();

function builtinEmbedder(models: BuiltinModels): Embedder {
  const one = (model: BuiltinModel): Embedder => ({
    name: model.config.name,
    version: model.config.version,
    calibration: model.config.calibration,
    embed: async (samples) => embedBuiltin(model, samples),
  });
  const narrow = one(models.narrow);
  const wide = models.wide && one(models.wide);
  return { ...narrow, forPair: (a, b) => (wide && modelForPair(models, a, b) === models.wide ? wide : narrow) };
}

async function neuralEmbedder(engine: string, modelsDir: string, path: string | undefined): Promise<Embedder> {
  const spec = NEURAL_MODELS[engine];
  if (!spec) throw new Error(`unknown voice engine "${engine}"`);
  const file = path ?? join(modelsDir, 'voice', spec.file);
  if (!path) await verifyFile(file, spec.sha256, `run "npm run models:fetch -- voice ${spec.name}" on a connected machine`);
  const embedder = await NeuralEmbedder.load(file, spec.window);
  return { name: spec.name, version: spec.sha256.slice(0, 12), calibration: spec.calibration, embed: (s) => embedder.embed(s) };
}

function embedderFor(task: VoiceTask): Promise<Embedder> {
  const modelsDir = task.modelsDir ?? DEFAULT_MODELS_DIR;
  const engine = task.engine ?? 'builtin';
  const key = `${engine}\u0000${modelsDir}\u0000${task.neuralModelPath ?? ''}`;
  let e = embedders.get(key);
  if (!e) {
    e = engine === 'builtin' ? loadBuiltinModels(modelsDir).then(builtinEmbedder) : neuralEmbedder(engine, modelsDir, task.neuralModelPath);
    e.catch(() => embedders.delete(key)); // a missing file may be fetched later: do not cache the failure
    embedders.set(key, e);
  }
  return e;
}

/** Compares two recordings; input problems throw {@link AudioInputError} naming the file, model failures other errors. */
export async function compareVoices(task: VoiceTask): Promise<VoiceCompareResult> {
  const started = performance.now();
  const loaded = await embedderFor(task);
  const minSpeech = task.minSpeechSeconds ?? 1;
  // Both files are decoded first: the built-in engine picks its model from the pair's bandwidth.
  const decoded: { which: string; audio: Awaited<ReturnType<typeof decodeAudio>> }[] = [];
  for (const [which, bytes] of [['audio_file1', task.audio1], ['audio_file2', task.audio2]] as const) {
    decoded.push({ which, audio: await naming(which, () => decodeAudio(bytes, task.limits)) });
  }
  const [d1, d2] = decoded as [(typeof decoded)[0], (typeof decoded)[0]];
  const embedder = loaded.forPair?.(d1.audio.samples, d2.audio.samples) ?? loaded;
  const sides: { vector: Float32Array; speechSeconds: number; norm?: CohortStats | undefined; durationMs: number }[] = [];
  for (const { which, audio } of decoded) {
    const emb = await naming(which, async () => {
      const e = await embedder.embed(audio.samples);
      if (e.speechSeconds < minSpeech) {
        throw new AudioInputError('audio_too_little_speech', `${e.speechSeconds.toFixed(2)} s of speech found, at least ${minSpeech} s needed`);
      }
      return e;
    });
    sides.push({ ...emb, durationMs: audio.info.durationMs });
  }
  const [a, b] = sides as [(typeof sides)[0], (typeof sides)[0]];
  const cos = cosine(a.vector, b.vector);
  const score = snorm(cos, a.norm, b.norm);
  const similarity = calibrate(score, embedder.calibration);
  return {
    similarity,
    threshold: VOICE_DEFAULT_THRESHOLD,
    match: similarity >= VOICE_DEFAULT_THRESHOLD,
    cosine: cos,
    score,
    engine: embedder.name,
    modelVersion: embedder.version,
    speechSeconds: [a.speechSeconds, b.speechSeconds],
    durationsMs: [a.durationMs, b.durationMs],
    inferenceMs: performance.now() - started,
  };
}

/** Runs one file's step; an {@link AudioInputError} gets the file's field name in front of its message. */
async function naming<T>(which: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof AudioInputError) throw new AudioInputError(err.code, `${which}: ${err.message}`);
    throw err;
  }
}

export async function handleVoiceTask(task: VoiceTask): Promise<VoiceCompareResult> {
  switch (task.op) {
    case 'compare':
      return compareVoices(task);
  }
}
