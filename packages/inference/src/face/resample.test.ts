/**
 * The fast resampling paths (per-axis taps for crops, box average straight into the detector tensor) must give
 * the bytes of the general warp: detection and landmarks depend on them bit for bit.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sampleMedia } from '@biogate/testing';
import { DETECT_HEIGHT, DETECT_NORM, DETECT_WIDTH, detectorInput } from './detector.ts';
import { cropResize, cropResizeToTensor, decodeImage, type RgbImage } from './image.ts';

const media = sampleMedia();

/** The general algorithm written plainly: k x k box average when shrinking >= 2x, then per-pixel bilinear. */
function referenceCropResize(img: RgbImage, x: number, y: number, w: number, h: number, width: number, height: number): Uint8Array {
  const sx = w / width;
  const sy = h / height;
  let m = [sx, 0, x + 0.5 * sx - 0.5, 0, sy, y + 0.5 * sy - 0.5] as [number, number, number, number, number, number];
  let src = img;
  const k = Math.floor(Math.sqrt(Math.abs(sx * sy)));
  const out = new Uint8Array(width * height * 3);
  if (k >= 2) {
    const x0 = Math.max(0, Math.floor(Math.min(m[2], sx * width + m[2])) - k);
    const y0 = Math.max(0, Math.floor(Math.min(m[5], sy * height + m[5])) - k);
    const x1 = Math.min(img.width, Math.ceil(Math.max(m[2], sx * width + m[2])) + k);
    const y1 = Math.min(img.height, Math.ceil(Math.max(m[5], sy * height + m[5])) + k);
    if (x1 - x0 < k || y1 - y0 < k) return out;
    const bw = Math.floor((x1 - x0) / k);
    const bh = Math.floor((y1 - y0) / k);
    const data = new Uint8Array(bw * bh * 3);
    for (let j = 0; j < bh; j++) {
      for (let i = 0; i < bw; i++) {
        for (let c = 0; c < 3; c++) {
          let sum = 0;
          for (let dy = 0; dy < k; dy++) for (let dx = 0; dx < k; dx++) sum += img.data[((y0 + j * k + dy) * img.width + x0 + i * k + dx) * 3 + c]!;
          data[(j * bw + i) * 3 + c] = sum / (k * k) + 0.5;
        }
      }
    }
    src = { data, width: bw, height: bh };
    const off = (k - 1) / 2;
    m = [m[0] / k, 0, (m[2] - x0 - off) / k, 0, m[4] / k, (m[5] - y0 - off) / k];
  }
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      const px = m[0] * u + m[1] * v + m[2];
      const py = m[3] * u + m[4] * v + m[5];
      if (px < 0 || py < 0 || px > src.width - 1 || py > src.height - 1) continue;
      const xi = Math.floor(px);
      const yi = Math.floor(py);
      const fx = px - xi;
      const fy = py - yi;
      const at = (xx: number, yy: number, c: number) => src.data[(Math.min(yy, src.height - 1) * src.width + Math.min(xx, src.width - 1)) * 3 + c]!;
      for (let c = 0; c < 3; c++) {
        out[(v * width + u) * 3 + c] =
          (1 - fx) * (1 - fy) * at(xi, yi, c) + fx * (1 - fy) * at(xi + 1, yi, c) + (1 - fx) * fy * at(xi, yi + 1, c) + fx * fy * at(xi + 1, yi + 1, c) + 0.5;
      }
    }
  }
  return out;
}

/** Deterministic crops of every kind: upscaling, mild and strong shrinking, partly or wholly outside. */
function crops(img: RgbImage): [number, number, number, number, number, number][] {
  const out: [number, number, number, number, number, number][] = [[0, 0, img.width, img.height, DETECT_WIDTH, DETECT_HEIGHT]];
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < 24; i++) {
    const w = 4 + rnd() * img.width * 1.3;
    const h = 4 + rnd() * img.height * 1.3;
    out.push([(rnd() - 0.3) * img.width, (rnd() - 0.3) * img.height, w, h, 8 + Math.floor(rnd() * 240), 8 + Math.floor(rnd() * 240)]);
  }
  return out;
}

describe('fast resampling paths', () => {
  const photos = [media.photos['cage.jpg'], media.photos['walter2_crop.jpg'], media.franck[0]!];

  it('cropResize gives the bytes of the general warp on real photos', async () => {
    for (const path of photos) {
      const img = await decodeImage(readFileSync(path));
      for (const c of crops(img)) expect(Buffer.from(cropResize(img, ...c).data).equals(Buffer.from(referenceCropResize(img, ...c))), `${path} ${c.join(',')}`).toBe(true);
    }
  });

  it('cropResizeToTensor gives the tensor filled from cropResize', async () => {
    for (const path of photos) {
      const img = await decodeImage(readFileSync(path));
      for (const [x, y, w, h, W, H] of crops(img)) {
        const rgb = cropResize(img, x, y, w, h, W, H).data;
        const t = cropResizeToTensor(img, x, y, w, h, W, H, DETECT_NORM);
        const plane = W * H;
        let diff = 0;
        for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) if (t[c * plane + i] !== Math.fround((rgb[3 * i + c]! - 127) / 128)) diff++;
        expect(diff, `${path} ${[x, y, w, h, W, H].join(',')}`).toBe(0);
      }
    }
  });

  it('fills the detector input of a 640x480 photo from 2x2 box averages (the exact-halving path)', async () => {
    const img = await decodeImage(readFileSync(media.photos['cage.jpg']));
    const vga = cropResize(img, 0, 0, img.width, img.height, 640, 480);
    const t = detectorInput(vga, { x: 0, y: 0, w: 640, h: 480 });
    const plane = DETECT_WIDTH * DETECT_HEIGHT;
    for (const [u, v] of [[0, 0], [160, 120], [319, 239]] as const) {
      for (let c = 0; c < 3; c++) {
        const px = (xx: number, yy: number) => vga.data[(yy * 640 + xx) * 3 + c]!;
        const box = Math.floor((px(2 * u, 2 * v) + px(2 * u + 1, 2 * v) + px(2 * u, 2 * v + 1) + px(2 * u + 1, 2 * v + 1)) / 4 + 0.5);
        expect(t[c * plane + v * DETECT_WIDTH + u]).toBe(Math.fround((box - 127) / 128));
      }
    }
  });
});
