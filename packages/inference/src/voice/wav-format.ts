/**
 * A small strict RIFF/WAVE reader: header parse (cheap, for the API) and sample decode to mono float32.
 * Supports PCM 8/16/24/32-bit, IEEE float 32/64, G.711 A-law/mu-law, WAVE_FORMAT_EXTENSIBLE wrapping those.
 */
import { AudioInputError } from './audio-errors.ts';

export type WavCodec = 'pcm' | 'float' | 'alaw' | 'mulaw';

export interface WavHeader {
  codec: WavCodec;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Byte offset of the first sample. */
  dataOffset: number;
  /** Byte length of the sample data (whole frames). */
  dataLength: number;
  frames: number;
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_ALAW = 6;
const FORMAT_MULAW = 7;
const FORMAT_EXTENSIBLE = 0xfffe;

function ascii(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at] ?? 0, bytes[at + 1] ?? 0, bytes[at + 2] ?? 0, bytes[at + 3] ?? 0);
}

export function isWav(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && ascii(bytes, 0) === 'RIFF' && ascii(bytes, 8) === 'WAVE';
}

function corrupt(message: string): AudioInputError {
  return new AudioInputError('audio_corrupt', `WAV: ${message}`);
}

function codecOf(tag: number, bits: number): WavCodec {
  if (tag === FORMAT_PCM && [8, 16, 24, 32].includes(bits)) return 'pcm';
  if (tag === FORMAT_FLOAT && (bits === 32 || bits === 64)) return 'float';
  if (tag === FORMAT_ALAW && bits === 8) return 'alaw';
  if (tag === FORMAT_MULAW && bits === 8) return 'mulaw';
  throw new AudioInputError('unsupported_media_type', `WAV: format tag ${tag} with ${bits} bits per sample is not supported`);
}

/** Parses the RIFF chunks up to `data`. Throws `audio_corrupt` for malformed or truncated files. */
export function parseWavHeader(bytes: Uint8Array): WavHeader {
  if (!isWav(bytes)) throw new AudioInputError('unsupported_media_type', 'not a RIFF/WAVE file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt: { codec: WavCodec; sampleRate: number; channels: number; bitsPerSample: number; blockAlign: number } | undefined;
  let pos = 12;
  while (pos + 8 <= bytes.length) {
    const id = ascii(bytes, pos);
    const size = view.getUint32(pos + 4, true);
    const body = pos + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + size > bytes.length) throw corrupt('fmt chunk is too short or truncated');
      let tag = view.getUint16(body, true);
      const channels = view.getUint16(body + 2, true);
      const sampleRate = view.getUint32(body + 4, true);
      const blockAlign = view.getUint16(body + 12, true);
      const bitsPerSample = view.getUint16(body + 14, true);
      if (tag === FORMAT_EXTENSIBLE) {
        if (size < 40) throw corrupt('WAVE_FORMAT_EXTENSIBLE fmt chunk is too short');
        tag = view.getUint16(body + 24, true); // first two bytes of the sub-format GUID
      }
      if (channels < 1 || channels > 8) throw corrupt(`${channels} channels`);
      if (sampleRate < 4000 || sampleRate > 384_000) throw corrupt(`sample rate ${sampleRate} Hz is out of range`);
      const codec = codecOf(tag, bitsPerSample);
      if (blockAlign !== channels * (bitsPerSample / 8)) throw corrupt('block align does not match channels and bit depth');
      fmt = { codec, sampleRate, channels, bitsPerSample, blockAlign };
    } else if (id === 'data') {
      if (!fmt) throw corrupt('data chunk before fmt chunk');
      const available = bytes.length - body;
      // Streaming writers leave 0 or 0xFFFFFFFF in the size; take the rest of the file then.
      let length = size === 0xffffffff || (size === 0 && available > 0) ? available : size;
      if (length > available) throw corrupt(`data chunk declares ${length} bytes, only ${available} present (truncated)`);
      length -= length % fmt.blockAlign;
      const { codec, sampleRate, channels, bitsPerSample, blockAlign } = fmt;
      return { codec, sampleRate, channels, bitsPerSample, dataOffset: body, dataLength: length, frames: length / blockAlign };
    }
    if (size > bytes.length - body) throw corrupt(`chunk "${id.replace(/[^\x20-\x7e]/g, '?')}" runs past the end of the file`);
    pos = body + size + (size & 1); // chunks are padded to even sizes
  }
  throw corrupt(fmt ? 'no data chunk' : 'no fmt chunk');
}

function alawToLinear(v: number): number {
  const a = v ^ 0x55;
  const seg = (a & 0x70) >> 4;
  let t = (a & 0x0f) << 4;
  t += seg === 0 ? 8 : 0x108;
  if (seg > 1) t <<= seg - 1;
  return (a & 0x80 ? t : -t) / 32768;
}

function mulawToLinear(v: number): number {
  const u = ~v & 0xff;
  let t = ((u & 0x0f) << 3) + 0x84;
  t <<= (u & 0x70) >> 4;
  return (u & 0x80 ? 0x84 - t : t - 0x84) / 32768;
}

/** Decodes the sample data of a parsed WAV into mono float32 in [-1, 1] (channels averaged). */
export function decodeWavMono(bytes: Uint8Array, h: WavHeader): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset + h.dataOffset, h.dataLength);
  const out = new Float32Array(h.frames);
  const step = h.bitsPerSample / 8;
  const read = sampleReader(view, h);
  const scale = 1 / h.channels;
  for (let f = 0, p = 0; f < h.frames; f++) {
    let acc = 0;
    for (let c = 0; c < h.channels; c++, p += step) acc += read(p);
    out[f] = acc * scale;
  }
  return out;
}

function sampleReader(view: DataView, h: WavHeader): (p: number) => number {
  if (h.codec === 'alaw' || h.codec === 'mulaw') {
    const table = new Float32Array(256);
    for (let i = 0; i < 256; i++) table[i] = h.codec === 'alaw' ? alawToLinear(i) : mulawToLinear(i);
    return (p) => table[view.getUint8(p)] ?? 0;
  }
  if (h.codec === 'float') {
    return h.bitsPerSample === 32 ? (p) => view.getFloat32(p, true) : (p) => view.getFloat64(p, true);
  }
  switch (h.bitsPerSample) {
    case 8:
      return (p) => (view.getUint8(p) - 128) / 128; // 8-bit WAV is unsigned
    case 16:
      return (p) => view.getInt16(p, true) / 32768;
    case 24:
      return (p) => ((view.getUint8(p) | (view.getUint8(p + 1) << 8) | (view.getInt8(p + 2) << 16)) / 8388608);
    default:
      return (p) => view.getInt32(p, true) / 2147483648;
  }
}
