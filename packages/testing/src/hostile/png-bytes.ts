import { crc32, deflateSync } from 'node:zlib';

/** One PNG chunk: length, type, data, CRC over type + data. */
export function pngChunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function ihdr(width: number, height: number, bitDepth = 8, colourType = 0): Buffer {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data[8] = bitDepth;
  data[9] = colourType;
  return pngChunk('IHDR', data);
}

/**
 * An 8-bit grayscale PNG of one colour built without decoding anything: rows of zeros compress about
 * 1000:1, so huge declared sizes cost little to make (the decompression-bomb shape).
 */
export function flatGrayPng(width: number, height: number, value = 0): Buffer {
  const row = Buffer.alloc(width + 1, value);
  row[0] = 0; // filter: none
  const raw = Buffer.alloc(row.length * height);
  for (let y = 0; y < height; y++) row.copy(raw, y * row.length);
  return Buffer.concat([PNG_SIGNATURE, ihdr(width, height), pngChunk('IDAT', deflateSync(raw, { level: 9 })), pngChunk('IEND', Buffer.alloc(0))]);
}

/** A PNG whose header declares `width x height` but whose data is a few bytes: a lie about its size. */
export function declaredSizePng(width: number, height: number): Buffer {
  return Buffer.concat([PNG_SIGNATURE, ihdr(width, height), pngChunk('IDAT', deflateSync(Buffer.alloc(64))), pngChunk('IEND', Buffer.alloc(0))]);
}

/**
 * A two-frame APNG (acTL + fcTL + IDAT + fcTL + fdAT) from an 8-bit grayscale flat image. Decoders without
 * APNG support show the default image (frame 0).
 */
export function animatedPng(width: number, height: number): Buffer {
  const row = Buffer.alloc(width + 1, 128);
  row[0] = 0;
  const idat = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  const actl = Buffer.alloc(8);
  actl.writeUInt32BE(2, 0); // frames
  actl.writeUInt32BE(0, 4); // loop forever
  const fctl = (sequence: number) => {
    const d = Buffer.alloc(26);
    d.writeUInt32BE(sequence, 0);
    d.writeUInt32BE(width, 4);
    d.writeUInt32BE(height, 8);
    d.writeUInt16BE(1, 20); // delay 1/10 s
    d.writeUInt16BE(10, 22);
    return pngChunk('fcTL', d);
  };
  const seq = Buffer.alloc(4);
  seq.writeUInt32BE(2, 0);
  return Buffer.concat([
    PNG_SIGNATURE,
    ihdr(width, height),
    pngChunk('acTL', actl),
    fctl(0),
    pngChunk('IDAT', idat),
    fctl(1),
    pngChunk('fdAT', Buffer.concat([seq, idat])),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The PNG with the CRC of its first chunk (IHDR) broken. */
export function badCrcPng(png: Uint8Array): Buffer {
  const out = Buffer.from(png);
  const at = 8 + 8 + 13; // signature, length+type, IHDR data
  out[at] = (out[at] ?? 0) ^ 0xff;
  return out;
}
