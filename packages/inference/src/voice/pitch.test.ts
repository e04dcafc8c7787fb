import { describe, expect, it } from 'vitest';
import { speedPerturb } from './channel-augment.ts';
import { readWav16k } from './corpus.ts';
import { pitchSummary } from './pitch.ts';
import { VK5QI } from './voice-fixtures.ts';
import { existsSync } from 'node:fs';

const RATE = 16_000;
/** A buzz with 20 harmonics (a crude glottal source) gliding +-3% around `hz`, with a little noise. */
function buzz(hz: number, seconds: number): Float32Array {
  const x = new Float32Array(Math.round(RATE * seconds));
  let phase = 0;
  let seed = 1;
  const noise = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff - 0.5) * 0.02;
  for (let i = 0; i < x.length; i++) {
    phase += (2 * Math.PI * hz * (1 + 0.03 * Math.sin((2 * Math.PI * i) / RATE))) / RATE;
    let v = 0;
    for (let h = 1; h <= 20; h++) v += Math.sin(h * phase) / h;
    x[i] = 0.1 * v + noise();
  }
  return x;
}
const hzOf = (x: Float32Array) => 2 ** pitchSummary(x, { sampleRate: RATE }).medianLog2;

describe('pitchSummary', () => {
  it.each([70, 110, 180, 260, 380])('finds the fundamental of a %d Hz buzz within 2%% (no octave error)', (hz) => {
    expect(Math.abs(hzOf(buzz(hz, 1.5)) / hz - 1)).toBeLessThan(0.02);
  });

  it('reports no pitch for noise or silence instead of a number', () => {
    let seed = 7;
    const noise = Float32Array.from({ length: RATE * 2 }, () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff - 0.5) * 0.3);
    expect(Number.isNaN(pitchSummary(noise, { sampleRate: RATE }).medianLog2)).toBe(true);
    expect(Number.isNaN(pitchSummary(new Float32Array(RATE), { sampleRate: RATE }).medianLog2)).toBe(true);
  });

  it('speed perturbation scales the pitch by its factor (the pseudo speakers of training)', () => {
    const x = buzz(150, 2);
    expect(hzOf(speedPerturb(x, 1.1)) / hzOf(x)).toBeCloseTo(1.1, 1);
    expect(hzOf(speedPerturb(x, 0.9)) / hzOf(x)).toBeCloseTo(0.9, 1);
    expect(speedPerturb(x, 1.1).length).toBe(Math.floor(x.length / 1.1));
  });

  it.skipIf(!existsSync(VK5QI))('puts a real male voice (codec2 vk5qi) in the male range', () => {
    const hz = hzOf(readWav16k(VK5QI));
    expect(hz).toBeGreaterThan(85);
    expect(hz).toBeLessThan(155);
  });
});
