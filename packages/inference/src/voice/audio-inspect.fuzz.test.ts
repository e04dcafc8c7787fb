import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AudioInputError, inspectAudio } from './audio-inspect.ts';

const CODES = ['audio_missing', 'audio_corrupt', 'audio_too_large', 'audio_too_long', 'audio_too_little_speech', 'unsupported_media_type'];

function check(bytes: Uint8Array): string {
  try {
    const info = inspectAudio(bytes);
    expect(Number.isFinite(info.durationMs)).toBe(true);
    expect(info.durationMs).toBeGreaterThan(0);
    expect(info.sampleRate).toBeGreaterThan(0);
    expect(info.channels).toBeGreaterThan(0);
    return 'accepted';
  } catch (err) {
    if (!(err instanceof AudioInputError)) throw err;
    expect(CODES).toContain(err.code);
    return err.code;
  }
}

/** A 16-bit PCM WAV header for `frames` frames at `rate` Hz, `channels` channels, then the samples. */
function wav(frames: number, rate: number, channels: number): Buffer {
  const dataBytes = frames * channels * 2;
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * channels * 2, 28);
  h.writeUInt16LE(channels * 2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return Buffer.concat([h, Buffer.alloc(dataBytes)]);
}

describe('inspectAudio (property-based)', () => {
  it('refuses arbitrary bytes, and container magic followed by junk, with a catalogued code', () => {
    const head = fc.constantFrom('', 'RIFF', 'RIFF\x00\x00\x00\x00WAVE', 'RIFF\xff\xff\xff\xffWAVEfmt ', 'OggS', 'OggS\x00\x02');
    fc.assert(
      fc.property(head, fc.uint8Array({ maxLength: 400 }), (h, tail) => {
        check(Buffer.concat([Buffer.from(h, 'latin1'), Buffer.from(tail)]));
      }),
      { numRuns: 1000 },
    );
  });

  it('reads the duration a valid PCM header declares', () => {
    fc.assert(
      fc.property(fc.constantFrom(8000, 16000, 22050, 44100, 48000), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 20 }), (rate, channels, tenths) => {
        const frames = Math.round((rate * tenths) / 10);
        const result = check(wav(frames, rate, channels));
        if (result === 'accepted') expect(inspectAudio(wav(frames, rate, channels)).durationMs).toBeCloseTo(tenths * 100, 0);
        else expect(result).toBe('audio_too_little_speech');
      }),
      { numRuns: 100 },
    );
  });

  it('answers every mutation of a valid WAV with an acceptance or a catalogued refusal', () => {
    const base = wav(16_000, 16_000, 1);
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), fc.nat(), (at, xor, cut) => {
        const flipped = Buffer.from(base);
        const i = at % 64; // the header and the start of the data
        flipped[i] = (flipped[i] ?? 0) ^ xor;
        check(flipped);
        check(flipped.subarray(0, cut % flipped.length));
      }),
      { numRuns: 1000 },
    );
  });
});
