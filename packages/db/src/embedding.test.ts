import { describe, expect, it } from 'vitest';
import { bytesToEmbedding, embeddingToBytes } from './embedding.ts';

describe('embedding bytes', () => {
  it('round-trips float32 values exactly, little-endian', () => {
    const values = Float32Array.from([0, -1.5, 3.4028234663852886e38, 1e-45, Math.PI]);
    const bytes = embeddingToBytes(values);
    expect(bytes.byteLength).toBe(20);
    expect(Array.from(bytes.subarray(4, 8))).toEqual([0, 0, 0xc0, 0xbf]);
    expect(Array.from(bytesToEmbedding(bytes))).toEqual(Array.from(values));
  });

  it('reads from an unaligned view and rejects a torn length', () => {
    const bytes = embeddingToBytes(Float32Array.from([1, 2]));
    const padded = new Uint8Array(9);
    padded.set(bytes, 1);
    expect(Array.from(bytesToEmbedding(padded.subarray(1)))).toEqual([1, 2]);
    expect(() => bytesToEmbedding(new Uint8Array(7))).toThrow(/multiple of 4/);
  });
});
