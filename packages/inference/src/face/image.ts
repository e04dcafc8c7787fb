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

/**
 * 2x3 affine map from output pixel (u, v) to source pixel: x = a*u + b*v + c, y = d*u + e*v + f.
 */
export type Affine = readonly [number, number, number, number, number, number];

/**
 * Warps `img` into a `width` x `height` RGB output with bilinear sampling; pixels outside the source are black.
 * When the map shrinks the source k >= 2 times, the source region it reads is first box-averaged by k (so
 * downscaling does not alias) and the warp then samples that smaller copy.
 */
export function warpAffine(img: RgbImage, m: Affine, width: number, height: number): RgbImage {
  const scale = Math.sqrt(Math.abs(m[0] * m[4] - m[1] * m[3]));
  const k = Math.floor(scale);
  if (k < 2) return bilinearWarp(img, m, width, height);
  // Source bounding box of the output rectangle, one pixel of margin, clipped.
  const xs = [0, width, 0, width].map((u, i) => m[0] * u + m[1] * (i < 2 ? 0 : height) + m[2]);
  const ys = [0, width, 0, width].map((u, i) => m[3] * u + m[4] * (i < 2 ? 0 : height) + m[5]);
  const x0 = Math.max(0, Math.floor(Math.min(...xs)) - k);
  const y0 = Math.max(0, Math.floor(Math.min(...ys)) - k);
  const x1 = Math.min(img.width, Math.ceil(Math.max(...xs)) + k);
  const y1 = Math.min(img.height, Math.ceil(Math.max(...ys)) + k);
  if (x1 - x0 < k || y1 - y0 < k) return { data: new Uint8Array(width * height * 3), width, height };
  const small = boxDownsample(img, x0, y0, x1, y1, k);
  // A small pixel i covers source [x0 + i*k, x0 + (i+1)*k): its centre is x0 + i*k + (k-1)/2.
  const off = (k - 1) / 2;
  const mm: Affine = [m[0] / k, m[1] / k, (m[2] - x0 - off) / k, m[3] / k, m[4] / k, (m[5] - y0 - off) / k];
  return bilinearWarp(small, mm, width, height);
}

/** Averages k x k blocks of the region [x0, x1) x [y0, y1) (partial blocks at the edge dropped). */
function boxDownsample(img: RgbImage, x0: number, y0: number, x1: number, y1: number, k: number): RgbImage {
  const w = Math.floor((x1 - x0) / k);
  const h = Math.floor((y1 - y0) / k);
  const out = new Uint8Array(w * h * 3);
  const rowSum = new Float32Array(w * 3);
  const src = img.data;
  const W = img.width;
  const inv = 1 / (k * k);
  for (let j = 0; j < h; j++) {
    rowSum.fill(0);
    for (let dy = 0; dy < k; dy++) {
      let p = ((y0 + j * k + dy) * W + x0) * 3;
      for (let i = 0; i < w; i++) {
        let r = 0;
        let g = 0;
        let b = 0;
        for (let dx = 0; dx < k; dx++, p += 3) {
          r += src[p]!;
          g += src[p + 1]!;
          b += src[p + 2]!;
        }
        rowSum[3 * i]! += r;
        rowSum[3 * i + 1]! += g;
        rowSum[3 * i + 2]! += b;
      }
    }
    const o = j * w * 3;
    for (let i = 0; i < w * 3; i++) out[o + i] = rowSum[i]! * inv + 0.5;
  }
  return { data: out, width: w, height: h };
}

function bilinearWarp(img: RgbImage, m: Affine, width: number, height: number): RgbImage {
  const [a, b, c, d, e, f] = m;
  const out = new Uint8Array(width * height * 3);
  const src = img.data;
  const W = img.width;
  const H = img.height;
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      const x = a * u + b * v + c;
      const y = d * u + e * v + f;
      if (x < 0 || y < 0 || x > W - 1 || y > H - 1) continue;
      const xi = Math.floor(x);
      const yi = Math.floor(y);
      const fx = x - xi;
      const fy = y - yi;
      const p00 = (yi * W + xi) * 3;
      const p10 = xi + 1 < W ? p00 + 3 : p00;
      const p01 = yi + 1 < H ? p00 + W * 3 : p00;
      const p11 = xi + 1 < W ? p01 + 3 : p01;
      const w00 = (1 - fx) * (1 - fy);
      const w10 = fx * (1 - fy);
      const w01 = (1 - fx) * fy;
      const w11 = fx * fy;
      const o = (v * width + u) * 3;
      out[o] = w00 * src[p00]! + w10 * src[p10]! + w01 * src[p01]! + w11 * src[p11]! + 0.5;
      out[o + 1] = w00 * src[p00 + 1]! + w10 * src[p10 + 1]! + w01 * src[p01 + 1]! + w11 * src[p11 + 1]! + 0.5;
      out[o + 2] = w00 * src[p00 + 2]! + w10 * src[p10 + 2]! + w01 * src[p01 + 2]! + w11 * src[p11 + 2]! + 0.5;
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
