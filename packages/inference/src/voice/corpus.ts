/**
 * The speech corpus reachable offline (Debian packages), its speakers, and the fixed split between training
 * speakers and held-out evaluation speakers. Used by scripts/train-voice.ts, scripts/eval-voice.ts and tests;
 * never at inference. Recordings stay in /usr/share; nothing is copied into the repo.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { resample } from './resample.ts';
import { decodeWavMono, parseWavHeader } from './wav-format.ts';

const ASTERISK = '/usr/share/asterisk/sounds';
const CODEC2 = '/usr/share/codec2/wav';
const ALSA = '/usr/share/sounds/alsa';
const KLETTRES = '/usr/share/klettres';
const FILLETS = '/usr/share/games/fillets-ng/sound';
const POCKETSPHINX = '/usr/share/pocketsphinx/test/data';
const TUXPAINT = '/usr/share/tuxpaint/stamps';
const KTUBERLING = '/usr/share/ktuberling/sounds';

export interface SpeakerSource {
  speaker: string;
  /** Debian package that ships the recordings. */
  debianPackage: string;
  language: string;
  /** 'prompts': many short files grouped into segments; 'long': one recording cut into chunks. */
  kind: 'prompts' | 'long';
  paths: string[];
  /** File format of `paths`: WAV (read directly) or GSM 06.10 / Ogg Vorbis (the evaluation converts them with sox). @defaultValue 'wav' */
  format?: 'wav' | 'gsm' | 'ogg';
  /** Sex of the speaker as credited or, where marked in docs/voice.md, inferred from pitch. */
  sex?: 'f' | 'm';
  /** Recording channel / collection; impostor pairs from the same one are the harder, same-channel case. */
  channel?: string;
  /** Prompts padded with long silences: trim each file to its loud part before grouping. */
  trim?: boolean;
}

function filesUnder(dir: string, ext: string, keep: (path: string) => boolean = () => true): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p, ext, keep));
    else if (name.endsWith(ext) && keep(p)) out.push(p);
  }
  return out;
}
const wavsUnder = (dir: string) => filesUnder(dir, '.wav');

const asterisk = (speaker: string, lang: string, dir: string, sex: 'f' | 'm'): SpeakerSource => ({
  speaker,
  debianPackage: `asterisk-core-sounds-${lang}-wav`,
  language: lang,
  kind: 'prompts',
  paths: wavsUnder(join(ASTERISK, dir)),
  sex,
  channel: 'asterisk',
});

const codec2 = (speaker: string, file: string): SpeakerSource => ({
  speaker,
  debianPackage: 'codec2-examples',
  language: 'en',
  kind: 'long',
  paths: existsSync(join(CODEC2, file)) ? [join(CODEC2, file)] : [],
  sex: 'm',
  channel: 'codec2',
});

/**
 * Every source with a known, distinct speaker. The short codec2 files (hts1a, mmt1, morig, forig, ...) and
 * all.wav are left out: their speakers are unnamed and may repeat across files or other sources.
 */
export function corpusSources(): SpeakerSource[] {
  return [
    asterisk('allison', 'en', 'en_US_f_Allison', 'f'),
    asterisk('allison', 'es', 'es_MX_f_Allison', 'f'),
    asterisk('june', 'fr', 'fr_CA_f_June', 'f'),
    asterisk('carlo', 'it', 'it_IT_m_Carlo', 'm'),
    asterisk('ivrvoice-ru', 'ru', 'ru_RU_f_IvrvoiceRU', 'f'),
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
      sex: 'f', // unnamed; by pitch (median F0 ~190 Hz)
      channel: 'alsa',
    },
    ...extraEvalSources(),
  ];
}

/** Asterisk prompts outside the core sounds (other vendors), with tones and silences left out. */
const promptPackage = (speaker: string, pkg: string, lang: string, dir: string, ext: '.wav' | '.gsm', sex: 'f' | 'm'): SpeakerSource => ({
  speaker,
  debianPackage: pkg,
  language: lang,
  kind: 'prompts',
  // A symlinked folder (e.g. `es` -> es_MX_f_Allison made by another package) would be a different voice: skip it.
  paths: existsSync(join(ASTERISK, dir)) && !lstatSync(join(ASTERISK, dir)).isSymbolicLink() ? filesUnder(join(ASTERISK, dir), ext, (p) => !/\/silence\/|tone|beep/.test(p)) : [],
  format: ext === '.gsm' ? 'gsm' : 'wav',
  sex,
  channel: 'asterisk',
});

/** Ogg words of one language in one folder per language, padded with silence (KLettres, KTuberling). */
const paddedWords =
  (debianPackage: string, root: string) =>
  (speaker: string, lang: string, sex: 'f' | 'm'): SpeakerSource => ({
    speaker,
    debianPackage,
    language: lang,
    kind: 'prompts',
    paths: filesUnder(join(root, lang), '.ogg'),
    format: 'ogg',
    sex,
    channel: debianPackage.replace(/-data$/, ''),
    trim: true,
  });

/** KLettres alphabet and syllables of one language (one credited contributor; letters padded with silence). */
const klettres = paddedWords('klettres-data', KLETTRES);

/** Fish Fillets NG dubbing: one role (m = small fish, v = big fish) of one language, every level's lines. */
const fillets = (speaker: string, lang: 'cs' | 'nl', role: 'm' | 'v', sex: 'f' | 'm'): SpeakerSource => {
  const paths: string[] = [];
  if (existsSync(FILLETS)) {
    for (const level of readdirSync(FILLETS).sort()) {
      paths.push(...filesUnder(join(FILLETS, level, lang), '.ogg', (p) => new RegExp(`/[^/]+-${role}-[^/]+\\.ogg$`).test(p)));
    }
  }
  // One channel for both dubbings: same game, same processing and encoding.
  return { speaker, debianPackage: `fillets-ng-data-${lang}`, language: lang, kind: 'prompts', paths, format: 'ogg', sex, channel: 'fillets' };
};

/**
 * Tux Paint stamp descriptions of one language, read by one volunteer (credited in the package changelog except
 * Catalan). `symbols/` is left out: its number/letter descriptions partly come from other recordings (Schoolsplay).
 */
const tuxpaint = (speaker: string, lang: string, sex: 'f' | 'm'): SpeakerSource => ({
  speaker,
  debianPackage: 'tuxpaint-stamps-default',
  language: lang,
  kind: 'prompts',
  paths: filesUnder(TUXPAINT, `_desc_${lang}.ogg`, (p) => !p.startsWith(join(TUXPAINT, 'symbols'))),
  format: 'ogg',
  sex,
  channel: 'tuxpaint',
  trim: true,
});

/**
 * KTuberling object names of one language (uncredited KDE contributors; used only where the language has one voice
 * by pitch and scores as one speaker, see docs/voice.md). Each file is one padded word.
 */
const ktuberling = paddedWords('ktuberling-data', KTUBERLING);

/**
 * Speakers from further Debian packages (tests and CI do not need them): some train the model, the others are held out (see the lists below). Each is one
 * identified person; see docs/voice.md for the evidence (credits, copyright files, pitch) and what was left out.
 */
export function extraEvalSources(): SpeakerSource[] {
  return [
    promptPackage('armelle', 'asterisk-prompt-fr-armelle', 'fr', 'fr', '.gsm', 'f'),
    promptPackage('july', 'asterisk-prompt-es-co', 'es', 'es', '.gsm', 'f'),
    promptPackage('paola', 'asterisk-prompt-it-menardi-wav', 'it', 'it_IT_f_Menardi', '.wav', 'f'),
    klettres('klettres-cs', 'cs', 'f'),
    klettres('klettres-da', 'da', 'm'),
    klettres('klettres-fr', 'fr', 'm'),
    klettres('klettres-en', 'en', 'm'),
    tuxpaint('tuxpaint-ro', 'ro', 'f'),
    tuxpaint('tuxpaint-es', 'es', 'f'),
    tuxpaint('tuxpaint-el', 'el', 'f'),
    tuxpaint('tuxpaint-be', 'be', 'f'),
    tuxpaint('tuxpaint-ru', 'ru', 'm'),
    tuxpaint('tuxpaint-bg', 'bg', 'm'),
    tuxpaint('tuxpaint-ca', 'ca', 'm'),
    ktuberling('ktuberling-de', 'de', 'm'),
    ktuberling('ktuberling-el', 'el', 'm'),
    ktuberling('ktuberling-gl', 'gl', 'f'),
    ktuberling('ktuberling-lt', 'lt', 'm'),
    ktuberling('ktuberling-sl', 'sl', 'm'),
    ktuberling('ktuberling-uk', 'uk', 'f'),
    ktuberling('ktuberling-wa', 'wa', 'm'),
    fillets('fillets-cs-small', 'cs', 'm', 'f'),
    fillets('fillets-cs-big', 'cs', 'v', 'm'),
    fillets('fillets-nl-small', 'nl', 'm', 'f'),
    fillets('fillets-nl-big', 'nl', 'v', 'm'),
    {
      speaker: 'librivox',
      debianPackage: 'pocketsphinx-testdata',
      language: 'en',
      kind: 'prompts',
      paths: filesUnder(join(POCKETSPHINX, 'librivox'), '.wav'),
      sex: 'm',
      channel: 'librivox',
    },
  ];
}

/**
 * Speakers the shipped model is trained on (issue #5 split, fixed before any held-out run; see docs/voice.md):
 * the 5 original ones, the two named asterisk prompt voices Armelle and Paola, the whole KLettres collection
 * (four credited contributors, kept on one side), since model 3.0.0 seven Tux Paint readers and since 4.0.0 seven
 * KTuberling voices (training only: they were never held out).
 */
export const TRAIN_SPEAKERS = [
  'june', 'carlo', 'ivrvoice-ru', 've9qrp', 'david',
  'armelle', 'paola', 'klettres-cs', 'klettres-da', 'klettres-fr', 'klettres-en',
  'tuxpaint-ro', 'tuxpaint-es', 'tuxpaint-el', 'tuxpaint-be', 'tuxpaint-ru', 'tuxpaint-bg', 'tuxpaint-ca',
  'ktuberling-de', 'ktuberling-el', 'ktuberling-gl', 'ktuberling-lt', 'ktuberling-sl', 'ktuberling-uk', 'ktuberling-wa',
] as const;
/** Speakers never used in training: evaluation and tests only. */
export const HELDOUT_SPEAKERS = ['allison', 'vk2tpm', 'vk5qi', 'alsa'] as const;
/**
 * Further held-out speakers (scripts/eval-voice.ts only; their Debian packages are not installed for CI). The
 * whole Fish Fillets collection stays on this side (unnamed actors; identities could overlap across dubbings).
 */
export const EXTRA_HELDOUT_SPEAKERS = ['july', 'fillets-cs-small', 'fillets-cs-big', 'fillets-nl-small', 'fillets-nl-big', 'librivox'] as const;

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
  /** Reads one file as 16 kHz mono (the evaluation passes a converter for GSM/Ogg sources). @defaultValue readWav16k */
  read?: (path: string) => Float32Array;
}

export function readWav16k(path: string): Float32Array {
  const bytes = new Uint8Array(readFileSync(path));
  const h = parseWavHeader(bytes);
  return resample(decodeWavMono(bytes, h), h.sampleRate, 16_000);
}

/**
 * Reader for a source's files: WAV directly; GSM 06.10 and Ogg Vorbis through sox (to 16-bit WAV at the file's
 * own rate in `tmpDir`, no dither), then the production resampler. Scripts only (needs Debian sox).
 */
export function sourceReader(src: SpeakerSource, tmpDir: string): (path: string) => Float32Array {
  if ((src.format ?? 'wav') === 'wav') return readWav16k;
  return (path) => {
    const out = join(tmpDir, 'corpus.wav');
    execFileSync('sox', ['-q', path, '-D', '-b', '16', '-c', '1', out]);
    return readWav16k(out);
  };
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

/** Cuts a padded prompt to its loud part: 10 ms frames within 35 dB of the loudest, plus 50 ms either side. */
export function trimSilence(x: Float32Array, rate = 16_000): Float32Array {
  const hop = Math.round(rate / 100);
  const energies: number[] = [];
  for (let at = 0; at + hop <= x.length; at += hop) {
    let e = 0;
    for (let i = at; i < at + hop; i++) e += (x[i] ?? 0) ** 2;
    energies.push(e / hop);
  }
  const peak = Math.max(0, ...energies);
  if (peak === 0) return x.subarray(0, 0);
  const floor = peak * 10 ** -3.5;
  const first = energies.findIndex((e) => e >= floor);
  let last = energies.length - 1;
  while (last > first && (energies[last] ?? 0) < floor) last--;
  return x.subarray(Math.max(0, (first - 5) * hop), Math.min(x.length, (last + 6) * hop));
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
      const all = (opts.read ?? readWav16k)(path);
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
    const read = (opts.read ?? readWav16k)(path);
    const s = src.trim ? trimSilence(read) : read;
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
