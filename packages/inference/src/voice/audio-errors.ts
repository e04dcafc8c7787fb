/**
 * Typed rejection of an audio input. `code` is stable and matches the API error catalog
 * (packages/contracts/src/errors.ts), which maps it to an HTTP status. Messages never embed audio bytes.
 */
export type AudioInputErrorCode =
  /** No bytes at all (400). */
  | 'audio_missing'
  /** A WAV/Ogg container whose header or pages cannot be read, or that is truncated (400). */
  | 'audio_corrupt'
  /** More bytes than the configured limit (413). */
  | 'audio_too_large'
  /** Longer than the configured duration limit (400). */
  | 'audio_too_long'
  /** Decodes fine but holds too little voiced audio to compare (422). */
  | 'audio_too_little_speech'
  /** Not WAV or Ogg, or a codec inside them we do not decode (415). */
  | 'unsupported_media_type';

export class AudioInputError extends Error {
  readonly code: AudioInputErrorCode;
  constructor(code: AudioInputErrorCode, message: string) {
    super(message);
    this.name = 'AudioInputError';
    this.code = code;
  }
}

/** Upload bounds shared by the API check and the worker decode. */
export interface AudioLimits {
  /**
   * Largest accepted file in bytes.
   * @defaultValue 10 MiB (10 * 1024 * 1024)
   */
  maxBytes?: number;
  /**
   * Longest accepted recording in milliseconds.
   * @defaultValue 60 000
   */
  maxDurationMs?: number;
  /**
   * Shortest recording worth decoding, in milliseconds (the worker's VAD applies the real speech minimum).
   * @defaultValue 500
   */
  minDurationMs?: number;
}

export const DEFAULT_AUDIO_LIMITS = {
  maxBytes: 10 * 1024 * 1024,
  maxDurationMs: 60_000,
  minDurationMs: 500,
} as const satisfies Required<AudioLimits>;
