import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './support/stack.ts';

/**
 * POST /v1/voice/compare end to end on the embedded stack with real recordings from Debian packages
 * (asterisk-core-sounds-en-wav: one woman; codec2-examples: other speakers). The science is measured in
 * docs/voice.md; this checks the HTTP path, the shapes and the refusals.
 */
// asterisk-core-sounds-en-wav installs the voice's own folder; the `en` link comes only with asterisk-core-sounds-en.
const EN = '/usr/share/asterisk/sounds/en_US_f_Allison';
const CODEC2 = '/usr/share/codec2/wav';
const missing = [EN, CODEC2].filter((p) => !existsSync(p));

function recordings(fields: Record<string, Buffer | string>): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === 'string') fd.append(k, v);
    else fd.append(k, new Blob([new Uint8Array(v)], { type: 'audio/wav' }), `${k}.wav`);
  }
  return fd;
}

describe.skipIf(missing.length > 0)(`voice compare over HTTP${missing.length ? ` (missing ${missing.join(', ')}: bash scripts/install-test-media.sh)` : ''}`, () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => stack?.close());

  const compare = async (a: Buffer, b: Buffer) => {
    const res = await stack.request('/v1/voice/compare', {
      method: 'POST',
      body: recordings({ client_declaration_enduser_consent: 'true', audio_file1: a, audio_file2: b }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('scores two prompts of the same speaker above a different speaker, with the seed fields', async () => {
    const a = readFileSync(`${EN}/vm-intro.wav`);
    const b = readFileSync(`${EN}/conf-onlyperson.wav`);
    const other = readFileSync(`${CODEC2}/hts1a.wav`);
    const same = await compare(a, b);
    const different = await compare(a, other);
    expect(same.status).toBe(200);
    expect(different.status).toBe(200);
    expect(same.body).toMatchObject({ similarity: expect.any(Number), time_taken: expect.any(Number) });
    expect(same.body.similarity as number).toBeGreaterThan(different.body.similarity as number);
    // 8 kHz asterisk prompts: the narrowband built-in model scores them, and the answer says so.
    expect(same.body.engine).toMatch(/^voice-gmm-ubm-nap@\d+\.\d+\.\d+$/);
  });

  it('refuses non-audio (415), missing files (400), no consent (400) and silence (422)', async () => {
    const speech = readFileSync(`${EN}/vm-intro.wav`);
    expect((await compare(Buffer.from('this is not audio at all'), speech)).body).toMatchObject({ code: 'unsupported_media_type' });
    const missingOne = await stack.request('/v1/voice/compare', {
      method: 'POST',
      body: recordings({ client_declaration_enduser_consent: 'true', audio_file1: speech }),
    });
    expect(missingOne.status).toBe(400);
    const noConsent = await stack.request('/v1/voice/compare', { method: 'POST', body: recordings({ audio_file1: speech, audio_file2: speech }) });
    expect(noConsent.status).toBe(400);
    // Two seconds of digital silence as 16-bit PCM WAV: decodable, but no speech in it.
    const silence = wav16(new Int16Array(16_000 * 2), 16_000);
    const quiet = await compare(silence, speech);
    expect(quiet.status).toBe(422);
    expect(quiet.body.code).toBe('audio_too_little_speech');
  });
});

function wav16(samples: Int16Array, rate: number): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + samples.byteLength, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(samples.byteLength, 40);
  return Buffer.concat([header, Buffer.from(samples.buffer)]);
}
