import { describe, expect, it } from 'vitest';
import { telephoneChannel } from './channel-augment.ts';

const tone = (hz: number, seconds: number, amp = 0.3) =>
  Float32Array.from({ length: Math.round(16_000 * seconds) }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / 16_000));
const rms = (x: Float32Array, from = 800, to = x.length - 800) => {
  let s = 0;
  for (let i = from; i < to; i++) s += (x[i] ?? 0) ** 2;
  return Math.sqrt(s / (to - from));
};

describe('telephoneChannel (training-time augmentation)', () => {
  it('keeps length and in-band tones, removes energy outside 300-3400 Hz', () => {
    const mid = telephoneChannel(tone(1000, 1));
    expect(mid.length).toBe(16_000);
    expect(rms(mid) / rms(tone(1000, 1))).toBeGreaterThan(0.85);
    expect(rms(telephoneChannel(tone(6000, 1))) / rms(tone(6000, 1))).toBeLessThan(0.05);
    expect(rms(telephoneChannel(tone(80, 1))) / rms(tone(80, 1))).toBeLessThan(0.1);
  });

  it('adds mu-law quantisation noise but stays close to the band-passed input', () => {
    const x = tone(1000, 1);
    const y = telephoneChannel(x);
    let err = 0;
    // allow for the filter's phase: compare envelopes via rms only, and check it is not an identity copy
    for (let i = 800; i < 15_200; i++) err += ((y[i] ?? 0) - (x[i] ?? 0)) ** 2;
    expect(Math.sqrt(err / 14_400)).toBeGreaterThan(1e-4);
  });
});

describe('slidingNormalise (dev option --cmvn-window)', () => {
  it('removes a drifting offset that per-recording CMVN would keep (local means near 0, values bounded)', async () => {
    const { slidingNormalise } = await import('./mfcc.ts');
    const frames = 1000;
    const x = Float32Array.from({ length: frames }, (_, t) => Math.sin(t * 0.7) + t / 100); // drift of 10 over the recording
    slidingNormalise(x, frames, 1, 300);
    for (const t of [0, 150, 500, 999]) {
      const a = Math.max(0, Math.min(t - 150, frames - 300));
      let m = 0;
      for (let i = a; i < a + 300; i++) m += x[i] ?? 0;
      expect(Math.abs(m / 300)).toBeLessThan(0.35);
    }
    expect(Math.max(...x.map(Math.abs))).toBeLessThan(4);
  });
});
