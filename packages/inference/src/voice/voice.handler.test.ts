import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODELS_DIR } from '../models.ts';
import { AudioInputError } from './audio-errors.ts';
import { calibrate, cosine, embedBuiltin, loadBuiltinModel, snorm, type BuiltinModel } from './builtin-model.ts';
import { corpusSources, HELDOUT_SPEAKERS, sourceSegments, type Segment } from './corpus.ts';
import { handleVoiceTask, type VoiceTask } from './voice.handler.ts';
import { encodeWav16 } from './wav-encode.ts';
import { missingVoiceTools, VK5QI } from './voice-fixtures.ts';

const heldOut = corpusSources().filter((s) => (HELDOUT_SPEAKERS as readonly string[]).includes(s.speaker));
const absent = heldOut.find((s) => s.paths.length === 0);
const missing = missingVoiceTools() ?? (absent ? `Debian ${absent.debianPackage} is not installed` : undefined);

const task = (audio1: Uint8Array, audio2: Uint8Array): VoiceTask => ({ domain: 'voice', op: 'compare', audio1, audio2 });

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    return err instanceof AudioInputError ? err.code : String(err);
  }
  return undefined;
}

describe.skipIf(missing)(`voice compare on held-out speakers ${missing ? `(skipped: ${missing})` : ''}`, () => {
  let model: BuiltinModel;
  let segments: Segment[] = [];
  let dir = '';

  beforeAll(async () => {
    model = await loadBuiltinModel(DEFAULT_MODELS_DIR);
    const trained = new Set(model.config.training?.speakers as string[]);
    for (const s of HELDOUT_SPEAKERS) expect(trained.has(s)).toBe(false);
    segments = heldOut.flatMap((src) => sourceSegments(src, { seconds: src.speaker === 'alsa' ? 2.5 : 4, max: 6, seed: 3 }));
    dir = mkdtempSync(join(tmpdir(), 'voice-handler-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('scores same-speaker pairs above different-speaker pairs (including Allison en vs es)', () => {
    const emb = segments.map((s) => embedBuiltin(model, s.samples));
    const genuine: number[] = [];
    const impostor: number[] = [];
    const crossLanguage: number[] = [];
    for (let i = 0; i < segments.length; i++) {
      for (let j = i + 1; j < segments.length; j++) {
        const a = segments[i] as Segment;
        const b = segments[j] as Segment;
        const [ea, eb] = [emb[i], emb[j]];
        if (!ea || !eb) throw new Error('missing embedding');
        const s = calibrate(snorm(cosine(ea.vector, eb.vector), ea.norm, eb.norm), model.config.calibration);
        if (a.speaker !== b.speaker) impostor.push(s);
        else if (a.language !== b.language) crossLanguage.push(s);
        else genuine.push(s);
      }
    }
    const mean = (x: number[]) => x.reduce((p, c) => p + c, 0) / x.length;
    // AUC: chance that a random same-speaker pair outscores a random different-speaker pair.
    const auc = (pos: number[]) => mean(pos.map((p) => mean(impostor.map((n) => (p > n ? 1 : p === n ? 0.5 : 0)))));
    expect(crossLanguage.length).toBeGreaterThan(10);
    expect(auc(genuine)).toBeGreaterThan(0.9);
    expect(auc(crossLanguage)).toBeGreaterThan(0.85);
    expect(mean(genuine)).toBeGreaterThan(mean(impostor));
  });

  it('compares WAV against Ogg Opus end to end and reports a bounded similarity', async () => {
    const [a, b] = segments.filter((s) => s.speaker === 'vk2tpm');
    if (!a || !b) throw new Error('vk2tpm segments missing');
    writeFileSync(join(dir, 'b.wav'), encodeWav16(b.samples, 16_000));
    execFileSync('opusenc', ['--quiet', '--bitrate', '16', join(dir, 'b.wav'), join(dir, 'b.ogg')]);
    const out = await handleVoiceTask(task(encodeWav16(a.samples, 16_000), new Uint8Array(readFileSync(join(dir, 'b.ogg')))));
    expect(out.similarity).toBeGreaterThanOrEqual(0);
    expect(out.similarity).toBeLessThanOrEqual(1);
    expect(out.threshold).toBe(0.5);
    expect(out.engine).toBe('voice-gmm-ubm-nap');
    expect(out.speechSeconds[0]).toBeGreaterThan(1);
    expect(out.durationsMs[1]).toBeGreaterThan(3900);
  });

  it('refuses recordings with too little speech: digital silence, and a 0.8 s snippet', async () => {
    const speech = new Uint8Array(readFileSync(VK5QI));
    const silence = encodeWav16(new Float32Array(16_000 * 3), 16_000);
    expect(await codeOf(handleVoiceTask(task(speech, silence)))).toBe('audio_too_little_speech');
    execFileSync('sox', [VK5QI, join(dir, 'short.wav'), 'trim', '1', '0.8']);
    expect(await codeOf(handleVoiceTask(task(new Uint8Array(readFileSync(join(dir, 'short.wav'))), speech)))).toBe('audio_too_little_speech');
  });

  it('names the corrupt file in the refusal', async () => {
    const speech = new Uint8Array(readFileSync(VK5QI));
    const err = await handleVoiceTask(task(speech, speech.subarray(0, 5000))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AudioInputError);
    expect((err as AudioInputError).code).toBe('audio_corrupt');
    expect((err as AudioInputError).message).toMatch(/^audio_file2: /);
  });
});
