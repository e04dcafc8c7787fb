/**
 * Lazily created, cached onnxruntime sessions of the face models (one instance per pool thread): a request
 * only loads the models it needs, and each is loaded once.
 */
import { join } from 'node:path';
import type * as ort from 'onnxruntime-node';
import { createSession, type InferenceDevice } from './session.ts';

export type FaceModelName =
  | 'fr_detect'
  | 'fr_landmark'
  | 'fr_pose'
  | 'fr_liveness'
  | 'fr_eye'
  | 'fr_expression'
  | 'fr_feature'
  /** fr_feature with PRelu rewritten for speed at install time (numerically equivalent). */
  | 'fr_feature_fast'
  | 'fr_age'
  | 'fr_gender';

export interface FaceModelsOptions {
  /** Directory holding the .onnx files (verified separately by verifyModels). */
  modelsDir: string;
  /** @defaultValue 'cpu' */
  device?: InferenceDevice;
  /** @defaultValue 1 */
  intraOpNumThreads?: number;
  onWarning?: (message: string) => void;
}

export class FaceModels {
  private readonly sessions = new Map<FaceModelName, Promise<ort.InferenceSession>>();

  constructor(readonly options: FaceModelsOptions) {}

  /** The session of `name`, created on first use. */
  session(name: FaceModelName): Promise<ort.InferenceSession> {
    let s = this.sessions.get(name);
    if (!s) {
      const { modelsDir, ...opts } = this.options;
      s = createSession(join(modelsDir, `${name}.onnx`), opts);
      this.sessions.set(name, s);
      s.catch(() => this.sessions.delete(name));
    }
    return s;
  }

  async release(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map(async (s) => (await s).release()));
  }
}
