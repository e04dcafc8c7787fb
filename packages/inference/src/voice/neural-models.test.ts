import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudio } from './audio-decode.ts';
import { kaldiFbank } from './fbank.ts';
import { NeuralEmbedder } from './neural-models.ts';
import { handleVoiceTask } from './voice.handler.ts';
import { VK5QI } from './voice-fixtures.ts';

// Debian's python3-onnx builds a tiny speaker model with the public models' interface: x [1, T, 80] -> [1, 16]
// = mean over time of |x|, times a fixed matrix. It checks the wiring (tensor layout, names, cosine), not accuracy.
const PYTHON = '/usr/bin/python3';
const BUILD = `
import sys, onnx
from onnx import helper, TensorProto, numpy_helper
import numpy as np
rng = np.random.default_rng(7)
w = rng.standard_normal((80, 16)).astype(np.float32)
np.save(sys.argv[2], w)
nodes = [helper.make_node('Abs', ['x'], ['a']),
         helper.make_node('ReduceMean', ['a'], ['m'], axes=[1], keepdims=0),
         helper.make_node('MatMul', ['m', 'w'], ['embedding'])]
g = helper.make_graph(nodes, 'tiny_speaker', [helper.make_tensor_value_info('x', TensorProto.FLOAT, [1, 'T', 80])],
    [helper.make_tensor_value_info('embedding', TensorProto.FLOAT, [1, 16])], [numpy_helper.from_array(w, 'w')])
m = helper.make_model(g, opset_imports=[helper.make_opsetid('', 13)])
m.ir_version = 8
onnx.checker.check_model(m)
onnx.save(m, sys.argv[1])
`;

function builderMissing(): string | undefined {
  if (!existsSync(VK5QI)) return 'Debian codec2-examples is not installed';
  try {
    execFileSync(PYTHON, ['-c', 'import onnx, numpy'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'Debian python3-onnx is not installed (apt-get install python3-onnx): cannot build the test model';
  }
}

const missing = builderMissing();
let dir = '';
let modelPath = '';
let weights: Float32Array = new Float32Array(0);

function readNpyFloat32(path: string): Float32Array {
  const b = readFileSync(path);
  const headerLen = b.readUInt16LE(8);
  const body = b.subarray(10 + headerLen);
  return new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
}

describe.skipIf(missing)(`neural engine on a self-built ONNX model ${missing ? `(skipped: ${missing})` : ''}`, () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'voice-onnx-'));
    modelPath = join(dir, 'tiny.onnx');
    execFileSync(PYTHON, ['-c', BUILD, modelPath, join(dir, 'w.npy')]);
    weights = readNpyFloat32(join(dir, 'w.npy'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('feeds [1, frames, 80] fbank and returns the model output unchanged', async () => {
    const { samples } = await decodeAudio(new Uint8Array(readFileSync(VK5QI)));
    const embedder = await NeuralEmbedder.load(modelPath, 'povey');
    const got = await embedder.embed(samples);
    const fb = kaldiFbank(samples, { window: 'povey' });
    const expected = new Float32Array(16);
    for (let j = 0; j < 16; j++) {
      let acc = 0;
      for (let b = 0; b < 80; b++) {
        let mean = 0;
        for (let t = 0; t < fb.frames; t++) mean += Math.abs(fb.data[t * 80 + b] ?? 0);
        acc += (mean / fb.frames) * (weights[b * 16 + j] ?? 0);
      }
      expected[j] = acc;
    }
    expect(got.vector.length).toBe(16);
    for (let j = 0; j < 16; j++) expect(got.vector[j]).toBeCloseTo(expected[j] ?? NaN, 3);
    expect(got.speechSeconds).toBeGreaterThan(5);
  });

  it('runs through the handler with a neural engine: identical recordings score 1', async () => {
    const bytes = new Uint8Array(readFileSync(VK5QI));
    const out = await handleVoiceTask({ domain: 'voice', op: 'compare', audio1: bytes, audio2: bytes.slice(), engine: 'campplus-voxceleb', neuralModelPath: modelPath });
    expect(out.engine).toBe('campplus-voxceleb');
    expect(out.cosine).toBeCloseTo(1, 5);
    expect(out.similarity).toBeGreaterThan(0.5);
  });
});
