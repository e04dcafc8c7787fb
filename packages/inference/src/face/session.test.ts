import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODELS_DIR } from '../models.ts';
import { createSession, cudaFellBack } from './session.ts';
import * as ort from 'onnxruntime-node';

const hasCuda = (): boolean => ort.listSupportedBackends().some((b) => b.name === 'cuda' && b.bundled);

describe('createSession', () => {
  it('creates a CPU session that runs', async () => {
    const s = await createSession(join(DEFAULT_MODELS_DIR, 'fr_eye.onnx'));
    const out = await s.run({ input: new ort.Tensor('float32', new Float32Array(24 * 24).fill(0.5), [1, 1, 24, 24]) });
    expect(out.output?.dims).toEqual([1, 2]);
    await s.release();
  });

  it.skipIf(hasCuda())('falls back from CUDA to CPU with exactly one warning', async () => {
    const warnings: string[] = [];
    const onWarning = (m: string) => warnings.push(m);
    const a = await createSession(join(DEFAULT_MODELS_DIR, 'fr_eye.onnx'), { device: 'cuda', onWarning });
    const b = await createSession(join(DEFAULT_MODELS_DIR, 'fr_landmark.onnx'), { device: 'cuda', onWarning });
    expect(cudaFellBack()).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/CUDA provider is unavailable.*CPU/);
    const out = await b.run({ input: new ort.Tensor('float32', new Float32Array(64 * 64), [1, 1, 64, 64]) });
    expect(out.output?.dims).toEqual([1, 136]);
    await Promise.all([a.release(), b.release()]);
  });
});
