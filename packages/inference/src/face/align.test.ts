import { describe, expect, it } from 'vitest';
import { ALIGN_SIZE, ARCFACE_TEMPLATE, alignFace, invertAffine, similarityTransform } from './align.ts';
import { cropResize, warpAffine, type RgbImage } from './image.ts';

/** A smooth synthetic RGB gradient (values known at every pixel). */
function gradient(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      data[o] = (x * 255) / (width - 1);
      data[o + 1] = (y * 255) / (height - 1);
      data[o + 2] = 128;
    }
  }
  return { data, width, height };
}

describe('similarityTransform', () => {
  it('recovers a known rotation + scale + shift exactly', () => {
    const angle = 0.3;
    const scale = 2.5;
    const [ca, sa] = [Math.cos(angle) * scale, Math.sin(angle) * scale];
    const to = ARCFACE_TEMPLATE.map((p) => ({ x: ca * p.x - sa * p.y + 40, y: sa * p.x + ca * p.y - 7 }));
    const m = similarityTransform(ARCFACE_TEMPLATE, to);
    expect(m[0]).toBeCloseTo(ca, 6);
    expect(m[3]).toBeCloseTo(sa, 6);
    expect(m[2]).toBeCloseTo(40, 6);
    expect(m[5]).toBeCloseTo(-7, 6);
    const inv = invertAffine(m);
    const p = to[2]!;
    expect(inv[0] * p.x + inv[1] * p.y + inv[2]).toBeCloseTo(ARCFACE_TEMPLATE[2]!.x, 6);
  });
});

describe('warpAffine', () => {
  it('is the identity for the identity map', () => {
    const img = gradient(40, 30);
    expect(Array.from(warpAffine(img, [1, 0, 0, 0, 1, 0], 40, 30).data)).toEqual(Array.from(img.data));
  });

  it('downscales a gradient without bias (box pre-filter path)', () => {
    const img = gradient(800, 600);
    const small = cropResize(img, 0, 0, 800, 600, 100, 75);
    for (const [u, v] of [[10, 10], [50, 37], [90, 70]] as const) {
      const o = (v * 100 + u) * 3;
      const x = (u + 0.5) * 8 - 0.5;
      const y = (v + 0.5) * 8 - 0.5;
      expect(Math.abs(small.data[o]! - (x * 255) / 799)).toBeLessThanOrEqual(1.5);
      expect(Math.abs(small.data[o + 1]! - (y * 255) / 599)).toBeLessThanOrEqual(1.5);
    }
  });

  it('aligns points placed at a scaled template onto the 112 template', () => {
    const img = gradient(600, 600);
    const points = ARCFACE_TEMPLATE.map((p) => ({ x: 100 + 3 * p.x, y: 150 + 3 * p.y }));
    const out = alignFace(img, points);
    expect(out.width).toBe(ALIGN_SIZE);
    // The output pixel at the template's nose samples the source at the nose point.
    const nose = ARCFACE_TEMPLATE[2]!;
    const o = (Math.round(nose.y) * ALIGN_SIZE + Math.round(nose.x)) * 3;
    const sx = 100 + 3 * Math.round(nose.x);
    expect(Math.abs(out.data[o]! - (sx * 255) / 599)).toBeLessThanOrEqual(1);
  });
});
