import { describe, expect, it } from 'vitest';
import { cosineSimilarity, l2Normalize, similarityRatio } from './embedding.ts';
import { FACE_THRESHOLDS } from './thresholds.ts';

describe('similarityRatio', () => {
  const t = FACE_THRESHOLDS.verification.cosine;

  it('puts the verification threshold at 50 and the ends at 0 and 100', () => {
    expect(similarityRatio(t)).toBe(50);
    expect(similarityRatio(1)).toBe(100);
    expect(similarityRatio(0)).toBe(0);
    expect(similarityRatio(-0.4)).toBe(0);
  });

  it('is monotonic and on the right side of 50', () => {
    let previous = -1;
    for (let c = -1; c <= 1.0001; c += 0.01) {
      const r = similarityRatio(c);
      expect(r).toBeGreaterThanOrEqual(previous);
      if (c >= t + 1e-9) expect(r).toBeGreaterThanOrEqual(50);
      if (c < t - 1e-9) expect(r).toBeLessThan(50);
      previous = r;
    }
  });

  it('follows a custom threshold', () => {
    expect(similarityRatio(0.3, 0.3)).toBe(50);
    expect(similarityRatio(0.65, 0.3)).toBe(75);
  });
});

describe('cosineSimilarity', () => {
  it('is 1 for the same direction, -1 for opposite, 0 for orthogonal', () => {
    const a = l2Normalize(Float32Array.from([3, 4, 0]));
    expect(cosineSimilarity(a, l2Normalize(Float32Array.from([6, 8, 0])))).toBeCloseTo(1, 6);
    expect(cosineSimilarity(a, l2Normalize(Float32Array.from([-3, -4, 0])))).toBeCloseTo(-1, 6);
    expect(cosineSimilarity(a, l2Normalize(Float32Array.from([0, 0, 5])))).toBeCloseTo(0, 6);
  });

  it('refuses vectors of different sizes', () => {
    expect(() => cosineSimilarity(new Float32Array(512), new Float32Array(128))).toThrow(/512 vs 128/);
  });
});
