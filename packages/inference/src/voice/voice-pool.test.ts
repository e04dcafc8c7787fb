import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInferencePool, type InferencePool } from '../pool.ts';
import type { VoiceOutcome } from '../inference.thread.ts';
import { readWav16k } from './corpus.ts';
import { encodeWav16 } from './wav-encode.ts';
import { CODEC2_WAV, missingVoiceTools } from './voice-fixtures.ts';

const missing = missingVoiceTools();

// Through the real piscina pool: bytes transferred to a thread, the thread entry's dispatch, refusals as values.
describe.skipIf(missing)(`voice compare in the inference pool ${missing ? `(skipped: ${missing})` : ''}`, () => {
  let pool: InferencePool;
  beforeAll(() => {
    pool = createInferencePool({ threads: 1 });
  });
  afterAll(() => pool.close());

  const run = (audio1: Uint8Array, audio2: Uint8Array) =>
    pool.run<VoiceOutcome>({ domain: 'voice', op: 'compare', audio1, audio2 }, [audio1.buffer as ArrayBuffer, audio2.buffer as ArrayBuffer]);

  it('returns a similarity for two halves of one held-out recording, and transfers the input buffers', async () => {
    const all = readWav16k(`${CODEC2_WAV}/vk2tpm_004.wav`);
    const a = encodeWav16(all.subarray(0, 16_000 * 8), 16_000);
    const b = encodeWav16(all.subarray(16_000 * 8, 16_000 * 16), 16_000);
    const out = await run(a, b);
    expect(a.byteLength).toBe(0); // moved to the thread, not copied
    if (!out.ok) throw new Error(`refused: ${out.code}`);
    expect(out.similarity).toBeGreaterThan(0.5);
    expect(out.match).toBe(true);
    expect(out.engine).toBe('voice-gmm-ubm-nap');
  });

  it('answers a recording without speech with a catalogued refusal, not a thrown error', async () => {
    const speech = new Uint8Array(readFileSync(`${CODEC2_WAV}/vk5qi.wav`));
    const out = await run(speech, encodeWav16(new Float32Array(16_000 * 2), 16_000));
    expect(out).toMatchObject({ ok: false, code: 'audio_too_little_speech' });
  });
});
