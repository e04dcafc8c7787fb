import { describe, expect, it } from 'vitest';
import { kaldiFbank } from './fbank.ts';
import { resample } from './resample.ts';
import { melFilterBank } from './spectrum.ts';
import { energyVad } from './vad.ts';
import { equalErrorRate, ratesAt, speakerBootstrap, wilsonInterval, type SpeakerTrial } from './verification-metrics.ts';

const tone = (hz: number, rate: number, seconds: number, amp = 0.5) =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / rate));

const rms = (x: Float32Array, from = 0, to = x.length) => {
  let s = 0;
  for (let i = from; i < to; i++) s += (x[i] ?? 0) ** 2;
  return Math.sqrt(s / (to - from));
};

describe('resample', () => {
  it('keeps an in-band tone at its amplitude and frequency', () => {
    const out = resample(tone(1000, 44_100, 1), 44_100, 16_000);
    expect(out.length).toBe(16_000);
    expect(rms(out, 500, 15_500)).toBeCloseTo(0.5 / Math.SQRT2, 2);
    let crossings = 0;
    for (let i = 1; i < out.length; i++) if ((out[i - 1] ?? 0) < 0 && (out[i] ?? 0) >= 0) crossings++;
    expect(Math.abs(crossings - 1000)).toBeLessThanOrEqual(2);
  });

  it('removes content above the new Nyquist frequency instead of aliasing it', () => {
    const out = resample(tone(12_000, 48_000, 0.5), 48_000, 16_000);
    expect(rms(out, 200, out.length - 200)).toBeLessThan(0.01);
  });
});

describe('Kaldi fbank', () => {
  it('puts a pure tone in the mel bin whose triangle covers it, and CMN centres every bin', () => {
    const fb = kaldiFbank(tone(1000, 16_000, 1), { cmn: false, voicedOnly: false });
    expect(fb.frames).toBe(98); // (16000 - 400) / 160 + 1, edges snipped
    const filters = melFilterBank(80, 512, 16_000, 20, 8000);
    const bin1k = Math.round((1000 * 512) / 16_000);
    const expected = filters.reduce((best, f, i) => ((f[bin1k] ?? 0) > (filters[best]?.[bin1k] ?? 0) ? i : best), 0);
    const row = fb.data.subarray(50 * 80, 51 * 80);
    expect(row.indexOf(Math.max(...row))).toBe(expected);
    const centred = kaldiFbank(tone(1000, 16_000, 1), { voicedOnly: false });
    for (let b = 0; b < 80; b += 13) {
      let s = 0;
      for (let t = 0; t < centred.frames; t++) s += centred.data[t * 80 + b] ?? 0;
      expect(Math.abs(s / centred.frames)).toBeLessThan(1e-3);
    }
  });
});

describe('energy VAD', () => {
  it('marks a loud burst inside silence and nothing in digital silence', () => {
    const e = Float32Array.from({ length: 300 }, (_, i) => (i >= 100 && i < 200 ? Math.log(400 * 0.05) : Math.log(400 * 1e-9)));
    const mask = energyVad(e, { frameLength: 400 });
    expect(mask.slice(100, 200).every((v) => v === 1)).toBe(true);
    expect(mask.slice(0, 98).some((v) => v === 1)).toBe(false);
    expect(energyVad(new Float32Array(300).fill(Math.log(400 * 1e-12)), { frameLength: 400 }).some((v) => v === 1)).toBe(false);
  });
});

describe('verification metrics', () => {
  it('EER is 0 for separated scores and 50% for identical distributions', () => {
    const sep = [0.1, 0.2, 0.3].map((score) => ({ score, target: false })).concat([0.7, 0.8].map((score) => ({ score, target: true })));
    const r = equalErrorRate(sep);
    expect(r.eer).toBe(0);
    expect(ratesAt(sep, r.threshold)).toEqual({ fmr: 0, fnmr: 0 });
    const same = [0.1, 0.2, 0.3, 0.4].flatMap((score) => [{ score, target: true }, { score, target: false }]);
    expect(equalErrorRate(same).eer).toBeCloseTo(0.5, 1);
  });

  it('Wilson interval brackets the rate and narrows with more trials', () => {
    const [lo, hi] = wilsonInterval(5, 100);
    expect(lo).toBeLessThan(0.05);
    expect(hi).toBeGreaterThan(0.05);
    expect(wilsonInterval(0, 50)[0]).toBe(0);
    const [lo2, hi2] = wilsonInterval(50, 1000);
    expect(hi2 - lo2).toBeLessThan(hi - lo);
  });

  it('speaker bootstrap: zero-width for separable speakers, wide when one speaker carries the errors', () => {
    const clean: SpeakerTrial[] = [];
    for (let a = 0; a < 6; a++) {
      for (let b = a; b < 6; b++) for (let k = 0; k < 4; k++) clean.push({ score: a === b ? 0.8 : 0.2, a, b });
    }
    const c = speakerBootstrap(clean, 6, 0.5, 200);
    expect(c.eer).toEqual([0, 0]);
    expect(c.fmr).toEqual([0, 0]);
    // Speaker 0 is accepted against everybody: the FMR depends on whether it is drawn.
    const leaky = clean.map((t) => (t.a !== t.b && t.a === 0 ? { ...t, score: 0.9 } : t));
    const l = speakerBootstrap(leaky, 6, 0.5, 400);
    expect(l.fmr[0]).toBeLessThan(1 / 3);
    expect(l.fmr[1]).toBeGreaterThan(1 / 3);
    expect(l.replicates).toBeGreaterThan(300);
  });
});
