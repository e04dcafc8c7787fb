/**
 * Controlled degradations of a real photo whose expected verdict is known by construction, for the quality
 * tests and the accuracy table in docs/quality.md. Each takes the clean photo and its analysed primary face.
 */
import sharp from 'sharp';
import type { FaceResult, ImageStatus } from '@biogate/contracts';

export interface Source {
  bytes: Uint8Array;
  width: number;
  height: number;
  /** The primary face found on the clean photo. */
  face: FaceResult;
}

export interface Degradation {
  name: string;
  /** Reason the verdict must contain. `null`: the verdict must pass (the clean control). */
  expect: ImageStatus | null;
  /** Reasons the verdict must not contain (the degradation does not touch what they measure). */
  mustNot: readonly ImageStatus[];
  make: (src: Source) => Promise<Buffer>;
}

const jpeg = (s: ReturnType<typeof sharp>) => s.jpeg({ quality: 92 }).toBuffer();
const grey = { r: 128, g: 128, b: 128 };

/** A solid RGB block as an overlay. */
async function block(width: number, height: number, colour: string): Promise<Buffer> {
  return sharp({ create: { width: Math.max(1, Math.round(width)), height: Math.max(1, Math.round(height)), channels: 3, background: colour } })
    .png()
    .toBuffer();
}

const pt = (f: FaceResult, i: number) => f.landmarks68[i]!;

export const DEGRADATIONS: readonly Degradation[] = [
  { name: 'clean', expect: null, mustNot: [], make: async (s) => Buffer.from(s.bytes) },
  {
    name: 'rotate 25 deg',
    expect: 'inclined_face',
    mustNot: ['multiple_faces', 'sharpness_problem', 'wearing_acessories'],
    make: (s) => jpeg(sharp(s.bytes).rotate(25, { background: grey })),
  },
  {
    name: 'darken x0.25',
    expect: 'brightness_problem',
    mustNot: ['multiple_faces', 'inclined_face', 'distant_face', 'close_face', 'wearing_acessories'],
    make: (s) => jpeg(sharp(s.bytes).linear(0.25, 0)),
  },
  {
    name: 'overexpose x2.2 +40',
    expect: 'brightness_problem',
    mustNot: ['multiple_faces', 'distant_face', 'close_face', 'wearing_acessories'],
    make: (s) => jpeg(sharp(s.bytes).linear(2.2, 40)),
  },
  {
    name: 'blur sigma = face width / 40',
    expect: 'sharpness_problem',
    mustNot: ['multiple_faces', 'brightness_problem', 'distant_face', 'close_face', 'wearing_acessories'],
    make: (s) => jpeg(sharp(s.bytes).blur(Math.max(0.5, s.face.box.width / 40))),
  },
  {
    name: 'shrink into a 4x canvas',
    expect: 'distant_face',
    mustNot: ['close_face', 'multiple_faces', 'inclined_face'],
    make: (s) =>
      jpeg(sharp(s.bytes).extend({ left: Math.round(1.5 * s.width), right: Math.round(1.5 * s.width), top: Math.round(1.5 * s.height), bottom: Math.round(1.5 * s.height), background: grey })),
  },
  {
    // An 8% margin: the detector needs a little context to find the face at all.
    name: 'crop to the face box + 8%',
    expect: 'close_face',
    mustNot: ['distant_face', 'multiple_faces', 'brightness_problem'],
    make: (s) => {
      const { x, y, width, height } = s.face.box;
      const left = Math.max(0, Math.round(x - 0.08 * width));
      const top = Math.max(0, Math.round(y - 0.08 * height));
      const w = Math.min(s.width - left, Math.round(1.16 * width));
      const h = Math.min(s.height - top, Math.round(1.16 * height));
      return jpeg(sharp(s.bytes).extract({ left, top, width: w, height: h }));
    },
  },
  {
    name: 'cut 20% of the face at the left border',
    expect: 'not_centered',
    mustNot: ['multiple_faces', 'sharpness_problem'],
    make: (s) => {
      const left = Math.round(s.face.box.x + 0.2 * s.face.box.width);
      return jpeg(sharp(s.bytes).extract({ left, top: 0, width: s.width - left, height: s.height }));
    },
  },
  {
    name: 'shift: canvas widened 1.2x on the right',
    expect: 'not_centered',
    mustNot: ['multiple_faces', 'inclined_face', 'brightness_problem', 'sharpness_problem'],
    make: (s) => jpeg(sharp(s.bytes).extend({ right: Math.round(1.2 * s.width), background: grey })),
  },
  {
    name: 'paste a second face',
    expect: 'multiple_faces',
    mustNot: ['brightness_problem', 'sharpness_problem'],
    make: async (s) => {
      const second = await sharp(s.bytes).resize({ width: Math.round(s.width * 0.8) }).toBuffer();
      return jpeg(sharp(s.bytes).extend({ right: Math.round(s.width * 0.8), background: grey }).composite([{ input: second, left: s.width, top: 0 }]));
    },
  },
  {
    name: 'sunglasses: dark band over the eyes',
    expect: 'wearing_acessories',
    mustNot: ['multiple_faces', 'distant_face', 'close_face', 'sharpness_problem'],
    make: async (s) => {
      const f = s.face;
      const span = Math.hypot(pt(f, 45).x - pt(f, 36).x, pt(f, 45).y - pt(f, 36).y);
      const x1 = pt(f, 36).x - 0.2 * span;
      const cy = (pt(f, 37).y + pt(f, 44).y) / 2;
      const band = await block(1.4 * span, 0.3 * span, '#141414');
      return jpeg(sharp(s.bytes).composite([{ input: band, left: Math.round(x1), top: Math.round(cy - 0.15 * span) }]));
    },
  },
  {
    name: 'mask: light-blue block over nose and mouth',
    expect: 'wearing_acessories',
    mustNot: ['multiple_faces', 'distant_face', 'sharpness_problem'],
    make: async (s) => {
      const f = s.face;
      const x1 = pt(f, 2).x;
      const y1 = pt(f, 28).y;
      const mask = await block(pt(f, 14).x - x1, pt(f, 8).y - y1 + 0.05 * s.face.box.height, '#cfe3ee');
      return jpeg(sharp(s.bytes).composite([{ input: mask, left: Math.round(x1), top: Math.round(y1) }]));
    },
  },
];
