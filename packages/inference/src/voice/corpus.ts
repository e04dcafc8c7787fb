/**
 * The speech corpus reachable offline (Debian packages), its speakers, and the fixed split between training
 * speakers and held-out evaluation speakers. Used by scripts/train-voice.ts, scripts/eval-voice.ts and tests;
 * never at inference. Recordings stay in /usr/share; nothing is copied into the repo.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { resample } from './resample.ts';
import { decodeWavMono, parseWavHeader } from './wav-format.ts';

const ASTERISK = '/usr/share/asterisk/sounds';
const CODEC2 = '/usr/share/codec2/wav';
const ALSA = '/usr/share/sounds/alsa';

export interface SpeakerSource {
  speaker: string;
  /** Debian package that ships the recordings. */
  debianPackage: string;
  language: string;
  /** 'prompts': many short files grouped into segments; 'long': one recording cut into chunks. */
  kind: 'prompts' | 'long';
  paths: string[];
}

function wavsUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...wavsUnder(p));
    else if (name.endsWith('.wav')) out.push(p);
  }
  return out;
}

const asterisk = (speaker: string, lang: string, dir: string): SpeakerSource => ({
  speaker,
  debianPackage: `asterisk-core-sounds-${lang}-wav`,
  language: lang,
  kind: 'prompts',
  paths: wavsUnder(join(ASTERISK, dir)),
});

const codec2 = (speaker: string, file: string): SpeakerSource => ({
  speaker,
  debianPackage: 'codec2-examples',
  language: 'en',
  kind: 'long',
  paths: existsSync(join(CODEC2, file)) ? [join(CODEC2, file)] : [],
});

/**
 * Every source with a known, distinct speaker. The short codec2 files (hts1a, mmt1, morig, forig, ...) and
 * all.wav are left out: their speakers are unnamed and may repeat across files or other sources.
 */
export function corpusSources(): SpeakerSource[] {
  return [
    asterisk('allison', 'en', 'en_US_f_Allison'),
    asterisk('allison', 'es', 'es_MX_f_Allison'),
    asterisk('june', 'fr', 'fr_CA_f_June'),
    asterisk('carlo', 'it', 'it_IT_m_Carlo'),
    asterisk('ivrvoice-ru', 'ru', 'ru_RU_f_IvrvoiceRU'),
    codec2('ve9qrp', 've9qrp.wav'),
    codec2('david', 'david4.wav'),
    codec2('vk2tpm', 'vk2tpm_004.wav'),
    codec2('vk5qi', 'vk5qi.wav'),
    {
      speaker: 'alsa',
      debianPackage: 'alsa-utils',
      language: 'en',
      kind: 'prompts',
      paths: existsSync(ALSA) ? readdirSync(ALSA).filter((f) => f.endsWith('.wav') && f !== 'Noise.wav').sort().map((f) => join(ALSA, f)) : [],
    },
  ];
}

/** Speakers the shipped model is trained on. */
export const TRAIN_SPEAKERS = ['june', 'carlo', 'ivrvoice-ru', 've9qrp', 'david'] as const;
/** Speakers never used in training: evaluation and tests only. */
export const HELDOUT_SPEAKERS = ['allison', 'vk2tpm', 'vk5qi', 'alsa'] as const;

export interface Segment {
  speaker: string;
  language: string;
  id: string;
  /** 16 kHz mono. */
  samples: Float32Array;
}

export interface SegmentOptions {
  /** Minimum audio per segment in seconds. @defaultValue 4 */
  seconds?: number;
  /** At most this many segments per source. @defaultValue unlimited */
  max?: number;
  /** Shuffle seed for grouping prompt files. @defaultValue 1 */
  seed?: number;
}

export function readWav16k(path: string): Float32Array {
  const bytes = new Uint8Array(readFileSync(path));
  const h = parseWavHeader(bytes);
  return resample(decodeWavMono(bytes, h), h.sampleRate, 16_000);
}

function shuffled<T>(items: T[], seed: number): T[] {
  const a = [...items];
  let s = seed;
  for (let i = a.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Cuts one source into segments of at least `seconds`: groups of shuffled prompt files, or chunks of a long file. */
export function sourceSegments(src: SpeakerSource, opts: SegmentOptions = {}): Segment[] {
  const need = (opts.seconds ?? 4) * 16_000;
  const max = opts.max ?? Infinity;
  const out: Segment[] = [];
  if (src.kind === 'long') {
    for (const path of src.paths) {
      const all = readWav16k(path);
      for (let at = 0; at + need <= all.length && out.length < max; at += need) {
        out.push({ speaker: src.speaker, language: src.language, id: `${src.speaker}-${src.language}-${out.length}`, samples: all.slice(at, at + need) });
      }
    }
    return out;
  }
  let group: Float32Array[] = [];
  let have = 0;
  for (const path of shuffled(src.paths, opts.seed ?? 1)) {
    if (out.length >= max) break;
    const s = readWav16k(path);
    group.push(s);
    have += s.length;
    if (have >= need) {
      out.push({ speaker: src.speaker, language: src.language, id: `${src.speaker}-${src.language}-${out.length}`, samples: concat(group) });
      group = [];
      have = 0;
    }
  }
  return out;
}
