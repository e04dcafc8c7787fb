/**
 * The inference thread pool (piscina). Threads load their onnxruntime sessions once, on first use; image
 * bytes are transferred to the thread, not copied. Concurrency callers should match `threads`.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { FaceAnalyzeOptions } from '@biogate/contracts';
import type { FaceModelName } from './face/face-models.ts';
import type { FaceDetectTaskResult, FaceTaskResult, FaceWarmupResult } from './face/face.handler.ts';
import type { DetectImageOptions, FaceDetectOutput } from './face/analyze.ts';
import type { InferenceDevice } from './face/session.ts';
import type { InferenceTask } from './inference.thread.ts';
import { DEFAULT_MODELS_DIR } from './models.ts';

export interface InferencePoolOptions {
  /**
   * Worker threads (each runs one model at a time with one intra-op thread).
   * @defaultValue os.availableParallelism()
   */
  threads?: number;
  /** @defaultValue 'cpu' */
  device?: InferenceDevice;
  /** @defaultValue the repo's models/ directory */
  modelsDir?: string;
  /** Receives operational warnings (CUDA fallback) once each; never biometric data. */
  onWarning?: (message: string) => void;
  /**
   * Largest decoded width x height.
   * @defaultValue 40 000 000
   */
  maxPixels?: number;
}

export interface InferencePool {
  readonly threads: number;
  /**
   * Runs the face pipeline on encoded JPEG/PNG bytes. When `bytes` owns its whole ArrayBuffer, that buffer is
   * transferred to the thread and is detached (empty) afterwards; otherwise the bytes are copied once.
   */
  analyzeFace(bytes: Uint8Array, options?: FaceAnalyzeOptions): Promise<FaceTaskResult>;
  /**
   * Detection only (decode + fr_detect): boxes and scores for callers that need nothing else (no landmarks,
   * quality, liveness or embedding); JPEGs of 960x720 to 1200x900 are shrunk while decoding unless
   * `shrinkOnLoad: false` (then exactly `analyzeFace`'s boxes). Same transfer rule as `analyzeFace`.
   */
  detectFaces(bytes: Uint8Array, options?: DetectImageOptions): Promise<FaceDetectOutput>;
  /**
   * Loads the given models' sessions in every thread (worker startup), so the first jobs do not pay for it.
   * @defaultValue all face models the full pipeline uses
   */
  warmup(models?: FaceModelName[]): Promise<void>;
  /** Runs any thread task (face or voice); `transferList` buffers are moved, not copied. */
  run<R = unknown>(task: InferenceTask, transferList?: ArrayBuffer[]): Promise<R>;
  close(): Promise<void>;
}

const WARMUP_MODELS: FaceModelName[] = ['fr_detect', 'fr_landmark', 'fr_pose', 'fr_liveness', 'fr_eye', 'fr_expression', 'fr_feature_fast', 'fr_age', 'fr_gender'];

/** A buffer we may transfer: exactly this view's bytes (Node's pooled Buffers share a larger slab). */
function ownedBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const buf = bytes.buffer;
  if (buf instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buf.byteLength) {
    return bytes as Uint8Array<ArrayBuffer>;
  }
  return new Uint8Array(bytes);
}

export function createInferencePool(opts: InferencePoolOptions = {}): InferencePool {
  const threads = Math.max(1, opts.threads ?? availableParallelism());
  const modelsDir = opts.modelsDir ?? DEFAULT_MODELS_DIR;
  const device = opts.device ?? 'cpu';
  const fromSource = import.meta.url.endsWith('.ts');
  const piscina = new Piscina({
    filename: new URL(`./inference.thread.${fromSource ? 'ts' : 'js'}`, import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Infinity, // threads hold loaded sessions: never retire them
    // Run from TypeScript sources with tsx (no build step).
    execArgv: fromSource ? ['--import', 'tsx'] : [],
  });
  const warned = new Set<string>();
  const report = (warnings: string[] | undefined) => {
    for (const w of warnings ?? []) {
      if (warned.has(w)) continue;
      warned.add(w);
      opts.onWarning?.(w);
    }
  };

  return {
    threads,
    async analyzeFace(bytes, options = {}) {
      const image = ownedBuffer(bytes);
      const task: InferenceTask = { domain: 'face', op: 'analyze', image, options, modelsDir, device, ...(opts.maxPixels ? { maxPixels: opts.maxPixels } : {}) };
      const out = (await piscina.run(task, { transferList: [image.buffer] })) as FaceTaskResult;
      report(out.warnings);
      delete out.warnings;
      return out;
    },
    async detectFaces(bytes, options = {}) {
      const image = ownedBuffer(bytes);
      const task: InferenceTask = { domain: 'face', op: 'detect', image, options, modelsDir, device, ...(opts.maxPixels ? { maxPixels: opts.maxPixels } : {}) };
      const out = (await piscina.run(task, { transferList: [image.buffer] })) as FaceDetectTaskResult;
      report(out.warnings);
      delete out.warnings;
      return out;
    },
    async warmup(models = WARMUP_MODELS) {
      const seen = new Set<number>();
      // piscina gives each idle thread one task, but a fast thread may take two: repeat until all answered.
      for (let round = 0; round < 5 && seen.size < threads; round++) {
        const task: InferenceTask = { domain: 'face', op: 'warmup', models, modelsDir, device };
        const outs = (await Promise.all(Array.from({ length: threads }, () => piscina.run(task)))) as FaceWarmupResult[];
        for (const o of outs) {
          seen.add(o.threadId);
          report(o.warnings);
        }
      }
    },
    run(task, transferList = []) {
      return piscina.run(task, { transferList });
    },
    close() {
      return piscina.close();
    },
  };
}
