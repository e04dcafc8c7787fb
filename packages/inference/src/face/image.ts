/**
 * Decoding to interleaved RGB and the pixel operations the models need, in typed arrays.
 * Untrusted input: the pixel count is always bounded (`limitInputPixels`).
 */
import sharp from 'sharp';

/** Interleaved 8-bit RGB, row-major, `data.length === width * height * 3`. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface DecodeOptions {
  /**
   * Largest width x height accepted before decoding.
   * @defaultValue 40 000 000
   */
  maxPixels?: number;
}

/** Decodes JPEG/PNG bytes to RGB, applying the EXIF orientation (alpha dropped, gray expanded). */
export async function decodeImage(bytes: Uint8Array, opts: DecodeOptions = {}): Promise<RgbImage> {
  const { data, info } = await sharp(bytes, { limitInputPixels: opts.maxPixels ?? 40_000_000 })
    .rotate()
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`decoded ${info.channels} channels, expected 3`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/** Resizes (area-antialiased by libvips) to exactly `width` x `height`, aspect ratio not kept. */
export async function resizeRgb(img: RgbImage, width: number, height: number): Promise<RgbImage> {
  const data = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } })
    .resize(width, height, { fit: 'fill' })
    .raw()
    .toBuffer();
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width, height };
}

/** Copies a rectangle (clipped to the image) out of an RGB image. */
export function cropRgb(img: RgbImage, x: number, y: number, width: number, height: number): RgbImage {
  const x0 = Math.max(0, Math.floor(x));
  const y0 = Math.max(0, Math.floor(y));
  const x1 = Math.min(img.width, Math.floor(x + width));
  const y1 = Math.min(img.height, Math.floor(y + height));
  const w = Math.max(1, x1 - x0);
  const h = Math.max(1, y1 - y0);
  const out = new Uint8Array(w * h * 3);
  for (let row = 0; row < h; row++) {
    const src = ((y0 + row) * img.width + x0) * 3;
    out.set(img.data.subarray(src, src + w * 3), row * w * 3);
  }
  return { data: out, width: w, height: h };
}

/**
 * 2x3 affine map from output pixel (u, v) to source pixel: x = a*u + b*v + c, y = d*u + e*v + f.
 */
export type Affine = readonly [number, number, number, number, number, number];

/**
 * Warps `img` into a `width` x `height` RGB output with bilinear sampling. When the map shrinks the source by
 * `n` (> 1.5), each output pixel averages an n x n grid of samples (capped at 4x4) so downscaling does not alias.
 * Pixels outside the source are black.
 */
export function warpAffine(img: RgbImage, m: Affine, width: number, height: number): RgbImage {
  const [a, b, c, d, e, f] = m;
  const scale = Math.sqrt(Math.abs(a * e - b * d));
  const n = scale > 1.5 ? Math.min(4, Math.round(scale)) : 1;
  const out = new Uint8Array(width * height * 3);
  const src = img.data;
  const W = img.width;
  const H = img.height;
  const acc = [0, 0, 0];
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      acc[0] = acc[1] = acc[2] = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const uu = u + (sx + 0.5) / n - 0.5;
          const vv = v + (sy + 0.5) / n - 0.5;
          const x = a * uu + b * vv + c;
          const y = d * uu + e * vv + f;
          if (x < 0 || y < 0 || x > W - 1 || y > H - 1) continue;
          const x0 = Math.floor(x);
          const y0 = Math.floor(y);
          const x1 = Math.min(x0 + 1, W - 1);
          const y1 = Math.min(y0 + 1, H - 1);
          const fx = x - x0;
          const fy = y - y0;
          const w00 = (1 - fx) * (1 - fy);
          const w10 = fx * (1 - fy);
          const w01 = (1 - fx) * fy;
          const w11 = fx * fy;
          const p00 = (y0 * W + x0) * 3;
          const p10 = (y0 * W + x1) * 3;
          const p01 = (y1 * W + x0) * 3;
          const p11 = (y1 * W + x1) * 3;
          for (let ch = 0; ch < 3; ch++) {
            acc[ch]! += w00 * src[p00 + ch]! + w10 * src[p10 + ch]! + w01 * src[p01 + ch]! + w11 * src[p11 + ch]!;
          }
        }
      }
      const o = (v * width + u) * 3;
      const k = 1 / (n * n);
      out[o] = acc[0]! * k + 0.5;
      out[o + 1] = acc[1]! * k + 0.5;
      out[o + 2] = acc[2]! * k + 0.5;
    }
  }
  return { data: out, width, height };
}

/** Axis-aligned crop-and-resize of the source rectangle (x, y, w, h) to `width` x `height`. */
export function cropResize(img: RgbImage, x: number, y: number, w: number, h: number, width: number, height: number): RgbImage {
  const sx = w / width;
  const sy = h / height;
  return warpAffine(img, [sx, 0, x + 0.5 * sx - 0.5, 0, sy, y + 0.5 * sy - 0.5], width, height);
}

/** Encodes RGB to JPEG (for face crops returned to clients). */
export async function encodeJpeg(img: RgbImage, quality = 90): Promise<Uint8Array> {
  const buf = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } }).jpeg({ quality }).toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}
