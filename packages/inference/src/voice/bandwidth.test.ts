import { describe, expect, it } from 'vitest';
import { DEFAULT_MODELS_DIR } from '../models.ts';
import { highBandRatioDb, isWideband } from './bandwidth.ts';
import { loadBuiltinModels } from './builtin-model.ts';
import { telephoneChannel } from './channel-augment.ts';
import { corpusSources, HELDOUT_SPEAKERS, sourceSegments } from './corpus.ts';
import { resample } from './resample.ts';
import { handleVoiceTask } from './voice.handler.ts';
import { encodeWav16 } from './wav-encode.ts';

const source = (speaker: string) => corpusSources().find((s) => s.speaker === speaker && s.paths.length > 0);
const alsa = source('alsa');
const allison = source('allison');
const missing = !alsa ? 'Debian alsa-utils is not installed' : !allison ? 'Debian asterisk-core-sounds-en-wav is not installed' : undefined;

describe.skipIf(missing)(`bandwidth routing of the built-in voice models ${missing ? `(skipped: ${missing})` : ''}`, () => {
  const wide = () => sourceSegments(alsa!, { seconds: 2.5, max: 2, seed: 3 }).map((s) => s.samples);
  const narrowband = (x: Float32Array) => resample(resample(x, 16_000, 8_000), 8_000, 16_000);

  it('tells wideband speech from 8 kHz and telephone speech', () => {
    const [a] = wide();
    const phone = sourceSegments(allison!, { seconds: 4, max: 1, seed: 3 })[0]?.samples;
    if (!a || !phone) throw new Error('segments missing');
    expect(isWideband(a)).toBe(true);
    expect(isWideband(phone)).toBe(false); // asterisk prompts are 8 kHz recordings
    expect(isWideband(narrowband(a))).toBe(false); // the same words through an 8 kHz channel
    expect(isWideband(telephoneChannel(a))).toBe(false);
    expect(highBandRatioDb(a) - highBandRatioDb(narrowband(a))).toBeGreaterThan(20);
    expect(isWideband(new Float32Array(16_000))).toBe(false); // silence
  });

  it('ships a wideband model trained without the held-out speakers', async () => {
    const models = await loadBuiltinModels(DEFAULT_MODELS_DIR);
    if (!models.wide) throw new Error('models/manifest.json lists no wideband voice model');
    expect(models.wide.config.mfcc.highHz).toBeGreaterThan(7000);
    expect(models.narrow.config.mfcc.highHz).toBeLessThan(4000);
    const trained = new Set(models.wide.config.training?.speakers as string[]);
    for (const s of HELDOUT_SPEAKERS) expect(trained.has(s)).toBe(false);
  });

  it('scores two wideband recordings with the wideband model, and a pair with one 8 kHz side with the narrowband one', async () => {
    const [a, b] = wide();
    if (!a || !b) throw new Error('segments missing');
    const compare = (x: Float32Array, y: Float32Array) =>
      handleVoiceTask({ domain: 'voice', op: 'compare', audio1: encodeWav16(x, 16_000), audio2: encodeWav16(y, 16_000) });
    const both = await compare(a, b);
    expect(both.engine).toBe('voice-gmm-ubm-wide');
    expect(both.similarity).toBeGreaterThan(0.5); // one held-out voice, two sets of prompts
    const mixed = await compare(a, narrowband(b));
    expect(mixed.engine).toBe('voice-gmm-ubm-nap');
    expect(mixed.similarity).toBeGreaterThanOrEqual(0);
    expect(mixed.similarity).toBeLessThanOrEqual(1);
  });
});
