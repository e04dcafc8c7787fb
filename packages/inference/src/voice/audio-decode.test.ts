import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AudioInputError } from './audio-errors.ts';
import { decodeAudio } from './audio-decode.ts';
import { inspectAudio } from './audio-inspect.ts';
import { convert, missingVoiceTools, VARIANTS, VK5QI } from './voice-fixtures.ts';

const missing = missingVoiceTools();
let dir = '';
let reference: Float32Array = new Float32Array(0);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof AudioInputError ? err.code : `not an AudioInputError: ${String(err)}`;
  }
  return undefined;
}

/** Normalised cross-correlation at the best lag within +-2 ms (resamplers differ by a few samples of delay). */
function similarity(a: Float32Array, b: Float32Array): number {
  let best = -1;
  const n = Math.min(a.length, b.length) - 64;
  for (let lag = -32; lag <= 32; lag++) {
    let ab = 0, aa = 0, bb = 0;
    for (let i = 32; i < n; i++) {
      const x = a[i] ?? 0;
      const y = b[i + lag] ?? 0;
      ab += x * y;
      aa += x * x;
      bb += y * y;
    }
    best = Math.max(best, ab / Math.sqrt(aa * bb));
  }
  return best;
}

describe.skipIf(missing)(`decoding real recordings ${missing ? `(skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'voice-decode-'));
    reference = (await decodeAudio(new Uint8Array(readFileSync(VK5QI)))).samples;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(VARIANTS.map((v) => [v.name, v] as const))('%s: header, duration and waveform match the 16-bit original', async (_name, v) => {
    const bytes = new Uint8Array(readFileSync(convert(VK5QI, dir, v)));
    const info = inspectAudio(bytes);
    expect(info.format).toBe(v.ext);
    expect(info.durationMs).toBeGreaterThan(13_400);
    expect(info.durationMs).toBeLessThan(13_700);
    const decoded = await decodeAudio(bytes);
    expect(decoded.sampleRate).toBe(16_000);
    expect(Math.abs(decoded.samples.length - reference.length)).toBeLessThan(16_000 * 0.1);
    // Lossless PCM/float stays near-identical; 8-bit, G.711 and lossy codecs keep the waveform shape.
    const floor = v.ext === 'ogg' ? 0.7 : v.name.startsWith('pcm8') || v.name.includes('law') ? 0.95 : 0.995;
    expect(similarity(reference, decoded.samples)).toBeGreaterThan(floor);
  });

  it('refuses truncated WAV and Ogg files as corrupt', () => {
    const wav = new Uint8Array(readFileSync(VK5QI));
    expect(codeOf(() => inspectAudio(wav.subarray(0, 30)))).toBe('audio_corrupt');
    expect(codeOf(() => inspectAudio(wav.subarray(0, wav.length / 2)))).toBe('audio_corrupt');
    const ogg = new Uint8Array(readFileSync(convert(VK5QI, dir, VARIANTS.find((v) => v.name === 'opus-24kbps') as (typeof VARIANTS)[0])));
    expect(codeOf(() => inspectAudio(ogg.subarray(0, Math.floor(ogg.length * 0.6))))).toBe('audio_corrupt');
  });

  it('detects a flipped byte inside an Ogg page by its CRC', () => {
    const ogg = new Uint8Array(readFileSync(join(dir, 'vorbis-16k.ogg')));
    const bad = ogg.slice();
    const at = Math.floor(bad.length / 2);
    bad[at] = (bad[at] ?? 0) ^ 0xff;
    expect(codeOf(() => inspectAudio(bad))).toBe('audio_corrupt');
  });

  it('rejects recordings over the duration and byte limits', () => {
    const wav = new Uint8Array(readFileSync(VK5QI));
    expect(codeOf(() => inspectAudio(wav, { maxDurationMs: 10_000 }))).toBe('audio_too_long');
    expect(codeOf(() => inspectAudio(wav, { maxBytes: 100_000 }))).toBe('audio_too_large');
  });
});

describe('input checks without media', () => {
  it('classifies missing, foreign and malformed inputs with stable codes', () => {
    expect(codeOf(() => inspectAudio(new Uint8Array(0)))).toBe('audio_missing');
    expect(codeOf(() => inspectAudio(undefined))).toBe('audio_missing');
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    expect(codeOf(() => inspectAudio(png))).toBe('unsupported_media_type');
    const id3 = new TextEncoder().encode('ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0000 mp3 data');
    expect(codeOf(() => inspectAudio(id3))).toBe('unsupported_media_type');
    expect(codeOf(() => inspectAudio(new TextEncoder().encode('RIFF\u0000\u0000\u0000\u0000AVI LIST')))).toBe('unsupported_media_type');
    expect(codeOf(() => inspectAudio(new TextEncoder().encode('RIFF\u0004\u0000\u0000\u0000WAVE')))).toBe('audio_corrupt');
    expect(codeOf(() => inspectAudio(new TextEncoder().encode('OggS\u0000\u0002')))).toBe('audio_corrupt');
  });

  it('refuses more than 10 MB before parsing anything', () => {
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    expect(codeOf(() => inspectAudio(big))).toBe('audio_too_large');
  });

  it('refuses an unsupported WAV codec (ADPCM) as a media type, not as corrupt', () => {
    const h = new Uint8Array(48);
    const v = new DataView(h.buffer);
    h.set(new TextEncoder().encode('RIFF'), 0);
    v.setUint32(4, 40, true);
    h.set(new TextEncoder().encode('WAVEfmt '), 8);
    v.setUint32(16, 16, true);
    v.setUint16(20, 2, true); // Microsoft ADPCM
    v.setUint16(22, 1, true);
    v.setUint32(24, 8000, true);
    v.setUint16(32, 1, true);
    v.setUint16(34, 4, true);
    expect(codeOf(() => inspectAudio(h))).toBe('unsupported_media_type');
  });
});
