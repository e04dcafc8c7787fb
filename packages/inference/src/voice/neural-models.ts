/**
 * Public speaker-embedding ONNX models a connected machine can fetch (`npm run models:fetch -- voice`), and the
 * thread-side embedder that runs them over the Kaldi fbank front end. Input [1, frames, 80] float32, output
 * [1, dim] embedding compared by cosine. The hashes come from public download scripts (see docs/voice.md);
 * nothing here could be downloaded, so they are checked on the user's machine by the fetch script.
 */
import type * as ort from 'onnxruntime-node';
import { kaldiFbank } from './fbank.ts';
import type { WindowType } from './spectrum.ts';

export interface NeuralModelSpec {
  /** Name used in task options and `models:fetch`. */
  name: string;
  /** File name under models/voice/. */
  file: string;
  url: string;
  sha256: string;
  bytes?: number;
  licence: string;
  /** Analysis window of the recipe that trained it. */
  window: WindowType;
  /**
   * Cosine at which the public similarity is 0.5 and its slope (sigmoid(scale * (cos - centre))). Taken from
   * the thresholds commonly used with these models, NOT calibrated here (no model could be downloaded).
   */
  calibration: { centre: number; scale: number };
}

export const NEURAL_MODELS: Record<string, NeuralModelSpec> = {
  'campplus-voxceleb': {
    name: 'campplus-voxceleb',
    file: 'campplus-voxceleb.onnx',
    url: 'https://github.com/k2-fsa/sherpa-onnx/releases/download/speaker-recongition-models/3dspeaker_speech_campplus_sv_en_voxceleb_16k.onnx',
    sha256: '357a834f702b80161e5b981182c038e18553c1f2ca752ed6cec2052365d4129b',
    licence: 'Apache-2.0 (3D-Speaker CAM++, VoxCeleb; ONNX export by sherpa-onnx)',
    window: 'povey',
    calibration: { centre: 0.5, scale: 12 },
  },
  'wespeaker-resnet34': {
    name: 'wespeaker-resnet34',
    file: 'wespeaker-resnet34.onnx',
    url: 'https://huggingface.co/Wespeaker/wespeaker-voxceleb-resnet34/resolve/ff1ac5bca8ef11e90662b879aa923979e0bd277b/voxceleb_resnet34.onnx',
    sha256: '9fea6516d7ad6bf0a76c7689f5a49b65d330fad6dde96c91bb4435ffbfe056a1',
    bytes: 26_534_127,
    licence: 'CC-BY-4.0 (WeSpeaker ResNet34, VoxCeleb)',
    window: 'hamming',
    calibration: { centre: 0.5, scale: 12 },
  },
};

export interface NeuralEmbedding {
  vector: Float32Array;
  speechSeconds: number;
}

/** Runs one speaker-embedding session: fbank (voiced frames, CMN) -> [1, T, bins] -> first output. */
export class NeuralEmbedder {
  constructor(
    private readonly session: ort.InferenceSession,
    private readonly ortModule: typeof ort,
    private readonly window: WindowType,
  ) {}

  static async load(path: string, window: WindowType): Promise<NeuralEmbedder> {
    const ortModule = await import('onnxruntime-node');
    const session = await ortModule.InferenceSession.create(path, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      intraOpNumThreads: 1, // one pool thread = one core
      interOpNumThreads: 1,
      logSeverityLevel: 3,
    });
    return new NeuralEmbedder(session, ortModule, window);
  }

  async embed(samples: Float32Array): Promise<NeuralEmbedding> {
    const fb = kaldiFbank(samples, { window: this.window });
    const input = this.session.inputNames[0];
    const output = this.session.outputNames[0];
    if (!input || !output) throw new Error('speaker model has no input or output');
    const feeds = { [input]: new this.ortModule.Tensor('float32', fb.data, [1, fb.frames, fb.bins]) };
    const result = await this.session.run(feeds);
    const data = result[output]?.data;
    if (!(data instanceof Float32Array)) throw new Error('speaker model output is not float32');
    return { vector: Float32Array.from(data), speechSeconds: fb.speechSeconds };
  }
}
