/**
 * Ogg page walker (no decoding): checks every page's capture pattern, length and CRC, identifies the first
 * logical stream's codec from its identification header, and reads the duration from the last granule position.
 */
import { AudioInputError } from './audio-errors.ts';

export type OggCodec = 'opus' | 'vorbis';

export interface OggHeader {
  codec: OggCodec;
  /** Rate the granule positions count in (48 kHz for Opus, the stream rate for Vorbis). */
  sampleRate: number;
  channels: number;
  /** Decoded duration in seconds (last granule minus Opus pre-skip). */
  durationSeconds: number;
}

export function isOgg(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x4f && bytes[1] === 0x67 && bytes[2] === 0x67 && bytes[3] === 0x53;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    t[i] = r >>> 0;
  }
  return t;
})();

function pageCrc(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0;
  for (let i = start; i < end; i++) {
    // Bytes 22..25 of the page (the CRC field itself) count as zero.
    const b = i - start >= 22 && i - start < 26 ? 0 : (bytes[i] ?? 0);
    crc = ((crc << 8) ^ (CRC_TABLE[((crc >>> 24) ^ b) & 0xff] ?? 0)) >>> 0;
  }
  return crc;
}

function corrupt(message: string): AudioInputError {
  return new AudioInputError('audio_corrupt', `Ogg: ${message}`);
}

function text(bytes: Uint8Array, at: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(bytes[at + i] ?? 0);
  return s;
}

/** Walks all pages; throws `audio_corrupt` on a bad page and `unsupported_media_type` for non Opus/Vorbis streams. */
export function parseOggHeader(bytes: Uint8Array): OggHeader {
  if (!isOgg(bytes)) throw new AudioInputError('unsupported_media_type', 'not an Ogg file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  let serial: number | undefined;
  let id: { codec: OggCodec; sampleRate: number; channels: number; preSkip: number } | undefined;
  let lastGranule = -1n;
  let pages = 0;
  while (pos < bytes.length) {
    if (pos + 27 > bytes.length) throw corrupt('truncated page header');
    if (!isOgg(bytes.subarray(pos))) throw corrupt(`no page capture pattern at byte ${pos}`);
    if (bytes[pos + 4] !== 0) throw corrupt('unknown stream structure version');
    const nSegments = bytes[pos + 26] ?? 0;
    const tableEnd = pos + 27 + nSegments;
    if (tableEnd > bytes.length) throw corrupt('truncated segment table');
    let bodyLength = 0;
    for (let i = pos + 27; i < tableEnd; i++) bodyLength += bytes[i] ?? 0;
    const end = tableEnd + bodyLength;
    if (end > bytes.length) throw corrupt('truncated page (the file ends inside a page)');
    if (pageCrc(bytes, pos, end) !== view.getUint32(pos + 22, true)) throw corrupt(`page ${pages} fails its CRC check`);
    const pageSerial = view.getUint32(pos + 14, true);
    if (serial === undefined) {
      serial = pageSerial;
      id = identify(bytes, tableEnd, bodyLength, view);
    }
    if (pageSerial === serial) {
      const granule = view.getBigInt64(pos + 6, true);
      if (granule >= 0n) lastGranule = granule;
    }
    pages++;
    pos = end;
  }
  if (!id) throw corrupt('no pages');
  const samples = Number(lastGranule) - id.preSkip;
  return { codec: id.codec, sampleRate: id.sampleRate, channels: id.channels, durationSeconds: Math.max(0, samples) / id.sampleRate };
}

function identify(bytes: Uint8Array, at: number, length: number, view: DataView) {
  if (length >= 19 && text(bytes, at, 8) === 'OpusHead') {
    const channels = bytes[at + 9] ?? 0;
    if (channels < 1) throw corrupt('OpusHead declares no channels');
    return { codec: 'opus' as const, sampleRate: 48_000, channels, preSkip: view.getUint16(at + 10, true) };
  }
  if (length >= 30 && bytes[at] === 1 && text(bytes, at + 1, 6) === 'vorbis') {
    const channels = bytes[at + 11] ?? 0;
    const sampleRate = view.getUint32(at + 12, true);
    if (channels < 1 || sampleRate < 1000 || sampleRate > 384_000) throw corrupt('bad Vorbis identification header');
    return { codec: 'vorbis' as const, sampleRate, channels, preSkip: 0 };
  }
  throw new AudioInputError('unsupported_media_type', 'the Ogg stream is neither Opus nor Vorbis');
}
