import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleMedia } from '@biogate/testing';
import { createInferencePool } from './pool.ts';
import { cosineSimilarity } from './face/embedding.ts';

const media = sampleMedia();

describe('createInferencePool', () => {
  const warnings: string[] = [];
  const pool = createInferencePool({ threads: 2, onWarning: (m) => warnings.push(m) });
  afterAll(() => pool.close());

  it('analyses real photos on the threads, transferring the bytes', async () => {
    const file = readFileSync(media.photos['cage.jpg']);
    const bytes = new Uint8Array(file.byteLength);
    bytes.set(file);
    const out = await pool.analyzeFace(bytes, { embedding: true, crop: true });
    expect(bytes.byteLength).toBe(0); // detached: the buffer moved to the thread
    expect(out.analysis.faces).toHaveLength(1);
    expect(out.analysis.faces[0]!.landmarks68).toHaveLength(68);
    expect(out.embeddings).toHaveLength(1);
    expect(out.embeddings![0]).toBeInstanceOf(Float32Array);
    expect(out.embeddings![0]).toHaveLength(512);
    expect(Array.from(out.crop!.subarray(0, 3))).toEqual([0xff, 0xd8, 0xff]);
    expect(warnings).toEqual([]);
  });

  it('copies (and leaves intact) a Buffer that shares its memory', async () => {
    const file = readFileSync(media.photos['cage2_crop.jpg']);
    const shared = Buffer.concat([Buffer.alloc(16), file]).subarray(16);
    const [a, b] = await Promise.all([pool.analyzeFace(shared, { embedding: true }), pool.analyzeFace(readFileSync(media.photos['cage.jpg']), { embedding: true })]);
    expect(shared.byteLength).toBe(file.byteLength);
    expect(cosineSimilarity(a.embeddings![0]!, b.embeddings![0]!)).toBeGreaterThan(0.6);
  });

  it('runs the quality and liveness stages inside the threads', async () => {
    // onnxruntime-node must be imported as a namespace (`import * as ort`): its default export is undefined
    // in tsx-loaded pool threads.
    const out = await pool.analyzeFace(readFileSync(media.franck[0]!), { quality: true, liveness: true });
    expect(out.analysis.faces).toHaveLength(1);
    expect(out.analysis.faces[0]!.pose).toBeDefined();
    expect(out.analysis.faces[0]!.liveness).toBeDefined();
  });

  it('detects only (boxes and scores of the full analysis, no landmarks), transferring the bytes', async () => {
    const file = readFileSync(media.photos['audrey.jpg']);
    const bytes = new Uint8Array(file.byteLength);
    bytes.set(file);
    const [only, full] = await Promise.all([pool.detectFaces(bytes, { shrinkOnLoad: false }), pool.analyzeFace(readFileSync(media.photos['audrey.jpg']))]);
    expect(bytes.byteLength).toBe(0);
    expect(only.faces).toEqual(full.analysis.faces.map((f) => ({ box: f.box, score: f.score })));
    expect(Object.keys(only.timings).sort()).toEqual(['decode', 'detect']);
  });

  it('runs only what is asked: no embedding, no crop by default', async () => {
    const out = await pool.analyzeFace(readFileSync(media.franck[0]!));
    expect(out.embeddings).toBeUndefined();
    expect(out.crop).toBeUndefined();
    expect(out.analysis.timings?.embedding).toBeUndefined();
  });
});

describe('createInferencePool on device cuda without a GPU', () => {
  it('falls back to CPU with a single warning', async () => {
    const warnings: string[] = [];
    const pool = createInferencePool({ threads: 2, device: 'cuda', onWarning: (m) => warnings.push(m) });
    try {
      await pool.warmup(['fr_detect', 'fr_landmark']);
      expect(warnings).toHaveLength(1);
      const photos = [media.photos['cage.jpg'], media.photos['audrey.jpg'], media.franck[1]!, media.franck[2]!];
      const outs = await Promise.all(photos.map((p) => pool.analyzeFace(readFileSync(p))));
      for (const o of outs) expect(o.analysis.faces).toHaveLength(1);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/INFERENCE_DEVICE=cuda.*CPU/);
    } finally {
      await pool.close();
    }
  });
});
