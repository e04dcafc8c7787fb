import type { HostileCase, HostileExpectation } from './types.ts';
import { smashJpegHeader, smashMiddle, tinyZip, type ImageSamples } from './image-samples.ts';

/** Native detect route, asynchronous so accepted images only cost a queued job. */
const DETECT = '/v1/face/detect?async=true';
const CONSENT = { name: 'client_declaration_enduser_consent', value: 'true' };

const refused = (status: number, code: string): HostileExpectation => ({ status, code });
const accepted: HostileExpectation = { accepted: true };

function upload(name: string, category: HostileCase['category'], bytes: Uint8Array, expect: HostileExpectation, note?: string): HostileCase {
  return {
    name,
    category,
    method: 'POST',
    path: DETECT,
    body: { kind: 'multipart', parts: [CONSENT, { name: 'image_file', value: bytes, filename: 'photo.jpg', contentType: 'image/jpeg' }] },
    expect,
    ...(note ? { note } : {}),
  };
}

/** Seed 000 route: base64 in JSON; it documents every invalid input as 400 (no 413/415/422). */
function gate(name: string, category: HostileCase['category'], bytes: Uint8Array, expect: HostileExpectation): HostileCase {
  return {
    name,
    category,
    method: 'POST',
    path: '/face_recognition/image?async=true',
    body: { kind: 'json', value: { image: Buffer.from(bytes).toString('base64') } },
    expect,
  };
}

/** Image-content cases: truncation, corruption, bombs, odd formats, orientations, polyglots. */
export function imageCases(s: ImageSamples): HostileCase[] {
  const corrupt = refused(400, 'image_corrupt');
  const notImage = refused(415, 'unsupported_media_type');
  const cases: HostileCase[] = [
    upload('jpeg truncated to 50%', 'truncated', s.jpeg.subarray(0, s.jpeg.length >> 1), corrupt),
    upload('jpeg truncated to 90%', 'truncated', s.jpeg.subarray(0, Math.floor(s.jpeg.length * 0.9)), corrupt),
    upload('jpeg truncated to its first 100 bytes', 'truncated', s.jpeg.subarray(0, 100), corrupt),
    upload('jpeg magic bytes only', 'truncated', s.jpeg.subarray(0, 3), corrupt),
    upload('png truncated to 50%', 'truncated', s.png.subarray(0, s.png.length >> 1), corrupt),
    upload('png signature only', 'truncated', s.png.subarray(0, 8), corrupt),
    upload('png cut inside IHDR', 'truncated', s.png.subarray(0, 20), corrupt),
    gate('seed 000: truncated jpeg', 'truncated', s.jpeg.subarray(0, s.jpeg.length >> 1), refused(400, 'image_corrupt')),
    upload('jpeg header overwritten', 'corrupt', smashJpegHeader(s.jpeg), corrupt),
    upload('png middle third overwritten', 'corrupt', smashMiddle(s.png), corrupt),
    upload('png with a broken IHDR CRC', 'corrupt', s.badCrcPng, accepted,
      'pixels intact, only a checksum is wrong: libspng (via sharp) ignores chunk CRCs and decodes it'),
    upload('png declaring width 0', 'corrupt', s.zeroWidthPng, corrupt),
    upload('empty file', 'corrupt', new Uint8Array(0), refused(400, 'image_empty')),
    upload('png declaring 100000x100000', 'bomb', s.bombDeclared, refused(400, 'image_dimensions_too_large')),
    upload('flat 10000x5000 png (50 MP in ~50 KB)', 'bomb', s.bombFlat, refused(400, 'image_dimensions_too_large')),
    gate('seed 000: png declaring 100000x100000', 'bomb', s.bombDeclared, refused(400, 'image_dimensions_too_large')),
    upload('grayscale jpeg', 'format', s.grayJpeg, accepted),
    upload('grayscale png', 'format', s.grayPng, accepted),
    upload('16-bit png', 'format', s.png16, accepted),
    upload('CMYK jpeg', 'format', s.cmykJpeg, accepted),
    upload('progressive jpeg', 'format', s.progressiveJpeg, accepted),
    upload('1x1 png', 'format', s.onePixelPng, accepted, 'decodes; the worker answers face_not_found'),
    upload('animated png (APNG)', 'format', s.animatedPng, accepted, 'PNG decoders read the default image (frame 0)'),
    upload('gif', 'format', s.gif, notImage),
    upload('webp', 'format', s.webp, notImage),
    upload('tiff', 'format', s.tiff, notImage),
    upload('bmp', 'format', Buffer.concat([Buffer.from('BM'), Buffer.alloc(60)]), notImage),
    upload('svg with a script', 'format', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), notImage),
    upload('pdf', 'format', Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF'), notImage),
    gate('seed 000: gif', 'format', s.gif, refused(400, 'unsupported_media_type')),
    ...([2, 3, 5, 6, 8] as const).map((o) => upload(`jpeg with EXIF orientation ${o}`, 'orientation', s.oriented[o], accepted)),
    upload('jpeg with a zip appended', 'polyglot', Buffer.concat([s.jpeg, tinyZip()]), accepted,
      'a valid JPEG with trailing bytes; decoders stop at EOI and the blob is only ever served as image/jpeg'),
    upload('html behind jpeg magic', 'polyglot', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from('<html><script>alert(1)</script></html>')]), corrupt),
    upload('zip with a jpeg name', 'polyglot', tinyZip(), notImage),
    upload('png magic then jpeg bytes', 'polyglot', Buffer.concat([s.png.subarray(0, 8), s.jpeg.subarray(3)]), corrupt),
  ];
  if (s.avif) cases.push(upload('avif', 'format', s.avif, notImage));
  return cases;
}
