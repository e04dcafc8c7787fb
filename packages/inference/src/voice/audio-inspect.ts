/**
 * Cheap checks of an uploaded recording for the API process: real type by magic bytes, header parse,
 * byte and duration bounds. No decoding, no model, no onnxruntime; safe on the main thread (a 10 MB Ogg
 * page walk with CRC takes a few tens of milliseconds).
 */
import { AudioInputError, DEFAULT_AUDIO_LIMITS, type AudioLimits } from './audio-errors.ts';
import { isOgg, parseOggHeader } from './ogg-format.ts';
import { isWav, parseWavHeader } from './wav-format.ts';

export { AudioInputError, DEFAULT_AUDIO_LIMITS, type AudioInputErrorCode, type AudioLimits } from './audio-errors.ts';

export type AudioFormat = 'wav' | 'ogg';
export type AudioCodec = 'pcm' | 'float' | 'alaw' | 'mulaw' | 'opus' | 'vorbis';

export interface AudioInfo {
  format: AudioFormat;
  codec: AudioCodec;
  /** Stream sample rate (Opus always reports 48 000, its decode rate). */
  sampleRate: number;
  channels: number;
  /** Bits per sample for WAV; undefined for compressed codecs. */
  bitsPerSample: number | undefined;
  durationMs: number;
  byteSize: number;
}

/** Detects WAV or Ogg from the first bytes; undefined for anything else. */
export function sniffAudioFormat(bytes: Uint8Array): AudioFormat | undefined {
  if (isWav(bytes)) return 'wav';
  if (isOgg(bytes)) return 'ogg';
  return undefined;
}

/** Parses the header of a WAV or Ogg file and returns what it declares, without limit checks. */
export function readAudioHeader(bytes: Uint8Array): AudioInfo {
  const format = sniffAudioFormat(bytes);
  if (format === 'wav') {
    const h = parseWavHeader(bytes);
    return {
      format,
      codec: h.codec,
      sampleRate: h.sampleRate,
      channels: h.channels,
      bitsPerSample: h.bitsPerSample,
      durationMs: (h.frames / h.sampleRate) * 1000,
      byteSize: bytes.length,
    };
  }
  if (format === 'ogg') {
    const h = parseOggHeader(bytes);
    return {
      format,
      codec: h.codec,
      sampleRate: h.sampleRate,
      channels: h.channels,
      bitsPerSample: undefined,
      durationMs: h.durationSeconds * 1000,
      byteSize: bytes.length,
    };
  }
  throw new AudioInputError('unsupported_media_type', 'the file is not a WAV or Ogg (Opus/Vorbis) recording');
}

/**
 * Validates a recording and returns its format and duration, or throws an {@link AudioInputError}.
 * Order: missing -> too many bytes -> not WAV/Ogg -> header/pages -> too long -> too short.
 */
export function inspectAudio(bytes: Uint8Array | undefined | null, limits: AudioLimits = {}): AudioInfo {
  const maxBytes = limits.maxBytes ?? DEFAULT_AUDIO_LIMITS.maxBytes;
  const maxDurationMs = limits.maxDurationMs ?? DEFAULT_AUDIO_LIMITS.maxDurationMs;
  const minDurationMs = limits.minDurationMs ?? DEFAULT_AUDIO_LIMITS.minDurationMs;
  if (bytes === undefined || bytes === null || bytes.length === 0) {
    throw new AudioInputError('audio_missing', 'an audio file is required (.wav or .ogg)');
  }
  if (bytes.length > maxBytes) throw new AudioInputError('audio_too_large', `the audio file is larger than ${maxBytes} bytes`);
  const info = readAudioHeader(bytes);
  if (info.durationMs > maxDurationMs) {
    throw new AudioInputError('audio_too_long', `the recording lasts ${(info.durationMs / 1000).toFixed(1)} s, more than ${maxDurationMs / 1000} s`);
  }
  if (info.durationMs < minDurationMs) {
    throw new AudioInputError('audio_too_little_speech', `the recording lasts ${(info.durationMs / 1000).toFixed(2)} s, too short to hold speech`);
  }
  return info;
}
