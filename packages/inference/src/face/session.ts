/**
 * onnxruntime session factory. CPU sessions use full graph optimisation and one intra-op thread by default
 * (its default takes every core in every pool thread). `device: 'cuda'` tries the CUDA provider and falls
 * back to CPU with one warning per process.
 */
import * as ort from 'onnxruntime-node';

export type InferenceDevice = 'cpu' | 'cuda';

export interface SessionFactoryOptions {
  /**
   * Execution device; 'cuda' needs onnxruntime-node installed with its CUDA binaries.
   * @defaultValue 'cpu'
   */
  device?: InferenceDevice;
  /**
   * Threads one session may use for one operator.
   * @defaultValue 1
   */
  intraOpNumThreads?: number;
  /** Receives the one-time CUDA fallback warning (never biometric data). */
  onWarning?: (message: string) => void;
}

let cudaUnavailable: string | undefined;
let warned = false;

function cpuOptions(opts: SessionFactoryOptions): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: opts.intraOpNumThreads ?? 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    enableCpuMemArena: true,
    enableMemPattern: true,
    // Severity 3 = errors only: the age/gender graphs log hundreds of initializer warnings otherwise.
    logSeverityLevel: 3,
  };
}

/** Creates a session for a model file on the requested device (CPU fallback for CUDA). */
export async function createSession(path: string, opts: SessionFactoryOptions = {}): Promise<ort.InferenceSession> {
  const base = cpuOptions(opts);
  if (opts.device === 'cuda' && cudaUnavailable === undefined) {
    try {
      return await ort.InferenceSession.create(path, { ...base, executionProviders: ['cuda', 'cpu'] });
    } catch (err) {
      cudaUnavailable = (err as Error).message;
    }
  }
  if (opts.device === 'cuda' && !warned) {
    warned = true;
    opts.onWarning?.(`INFERENCE_DEVICE=cuda but the CUDA provider is unavailable (${cudaUnavailable}); running on CPU`);
  }
  return ort.InferenceSession.create(path, base);
}

/** Whether CUDA was tried and failed in this process (sessions then run on CPU). */
export function cudaFellBack(): boolean {
  return cudaUnavailable !== undefined;
}
