/**
 * Decodes a WAV or Ogg (Opus/Vorbis) recording to mono float32 at 16 kHz. Ogg goes through pure WASM
 * decoders from the registry (no ffmpeg); they are imported lazily so WAV-only callers never load them, and
 * each thread keeps one decoder per codec (reset between files).
 */
import { AudioInputError, type AudioLimits } from './audio-errors.ts';
import { inspectAudio, type AudioInfo } from './audio-inspect.ts';
import { resample } from './resample.ts';
import { decodeWavMono, parseWavHeader } from './wav-format.ts';

export const TARGET_SAMPLE_RATE = 16_000;

export interface DecodedAudio {
  /** Mono samples in [-1, 1] at {@link TARGET_SAMPLE_RATE}. */
  samples: Float32Array;
  sampleRate: number;
  info: AudioInfo;
}

interface WasmDecoded {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: unknown[];
}

function downmix(d: WasmDecoded): Float32Array {
  const chans = d.channelData;
  const first = chans[0];
  if (!first) throw new AudioInputError('audio_corrupt', 'the Ogg stream decoded to no audio');
  if (chans.length === 1) return first.subarray(0, d.samplesDecoded);
  const out = new Float32Array(d.samplesDecoded);
  for (const c of chans) for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) + (c[i] ?? 0) / chans.length;
  return out;
}

interface OggDecoder {
  ready: Promise<void>;
  reset: () => Promise<void>;
  decodeFile: (data: Uint8Array) => Promise<WasmDecoded>;
}

// One decoder per codec per thread: instantiating the WASM module costs more than decoding a short file.
const decoders = new Map<'opus' | 'vorbis', Promise<OggDecoder>>();

function decoderFor(codec: 'opus' | 'vorbis'): Promise<OggDecoder> {
  let d = decoders.get(codec);
  if (!d) {
    d = (async () => {
      const dec: OggDecoder =
        codec === 'opus' ? new (await import('ogg-opus-decoder')).OggOpusDecoder() : new (await import('@wasm-audio-decoders/ogg-vorbis')).OggVorbisDecoder();
      await dec.ready;
      return dec;
    })();
    decoders.set(codec, d);
  }
  return d;
}

async function decodeOgg(bytes: Uint8Array, codec: 'opus' | 'vorbis'): Promise<{ samples: Float32Array; rate: number }> {
  let decoded: WasmDecoded;
  try {
    const dec = await decoderFor(codec);
    await dec.reset();
    decoded = await dec.decodeFile(bytes);
  } catch {
    decoders.delete(codec); // a decoder that threw may be in a bad state: start the next file on a fresh one
    throw new AudioInputError('audio_corrupt', `the Ogg ${codec} stream cannot be decoded`);
  }
  if (decoded.errors.length > 0 || decoded.samplesDecoded === 0) {
    throw new AudioInputError('audio_corrupt', `the Ogg ${codec} stream has ${decoded.errors.length} undecodable frames`);
  }
  return { samples: downmix(decoded), rate: decoded.sampleRate };
}

/** Validates (same checks as the API), decodes, downmixes and resamples to 16 kHz mono. */
export async function decodeAudio(bytes: Uint8Array, limits: AudioLimits = {}): Promise<DecodedAudio> {
  const info = inspectAudio(bytes, limits);
  let native: Float32Array;
  let rate: number;
  if (info.format === 'wav') {
    const header = parseWavHeader(bytes);
    native = decodeWavMono(bytes, header);
    rate = header.sampleRate;
  } else {
    const codec = info.codec === 'opus' ? 'opus' : 'vorbis';
    ({ samples: native, rate } = await decodeOgg(bytes, codec));
  }
  return { samples: resample(native, rate, TARGET_SAMPLE_RATE), sampleRate: TARGET_SAMPLE_RATE, info };
}
