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

/** What `decodeForDetection` returns: the oriented source size and an image at that size or at the target's. */
export interface DetectionDecode {
  /** Oriented source size. */
  width: number;
  height: number;
  /** The whole image: at source resolution, or already resized to the target when `resized`. */
  image: RgbImage;
  resized: boolean;
}

/**
 * Smallest source / target ratio (both axes) at which shrink-on-load pays. Measured in docs/face-engine.md: at
 * 2x (640x480 -> 320x240) the libvips resize pipeline cost as much CPU as it saved, in the pool more; at 3.75x
 * (1200x900) it halved the CPU per image.
 */
const SHRINK_ON_LOAD_MIN_FACTOR = 3;

/**
 * Decodes for detection only. A JPEG at least `SHRINK_ON_LOAD_MIN_FACTOR` times the target in both axes that
 * `needsFull` does not claim is decoded straight at reduced size: libjpeg's DCT scaling (shrink-on-load) decodes
 * at 1/2, 1/4 or 1/8 and libvips finishes with a linear (triangle, antialiased) reduce to exactly `target`,
 * aspect not kept. Anything else is decoded whole, as `decodeImage` does. Same orientation, channel and
 * pixel-bound rules.
 */
export async function decodeForDetection(
  bytes: Uint8Array,
  target: { width: number; height: number },
  needsFull: (width: number, height: number) => boolean,
  opts: DecodeOptions = {},
): Promise<DetectionDecode> {
  const input = sharp(bytes, { limitInputPixels: opts.maxPixels ?? 40_000_000 });
  const meta = await input.metadata();
  const { width, height } = meta.autoOrient;
  const small = width < SHRINK_ON_LOAD_MIN_FACTOR * target.width || height < SHRINK_ON_LOAD_MIN_FACTOR * target.height;
  if (meta.format !== 'jpeg' || small || needsFull(width, height)) {
    const image = await decodeImage(bytes, opts);
    return { width: image.width, height: image.height, image, resized: false };
  }
  const { data, info } = await input
    .rotate()
    .resize(target.width, target.height, { fit: 'fill', kernel: 'linear' })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`decoded ${info.channels} channels, expected 3`);
  return { width, height, image: { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height }, resized: true };
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
  const plan = planWarp(img, m, width, height);
  if (!plan) return { data: new Uint8Array(width * height * 3), width, height };
  const src = plan.box ? boxDownsample(img, plan.box) : img;
  return bilinearWarp(src, plan.m, width, height);
}

/** The k x k block averaging of the region [x0, x1) x [y0, y1) (partial blocks at the edge dropped). */
interface BoxStep {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  k: number;
}

/** A warp as a box pre-filter (when the map shrinks >= 2x) and the bilinear map into its result. */
interface WarpPlan {
  box: BoxStep | null;
  m: Affine;
}

/** Plans `warpAffine`; null when the region read is smaller than one box (the output is all black). */
function planWarp(img: RgbImage, m: Affine, width: number, height: number): WarpPlan | null {
  const scale = Math.sqrt(Math.abs(m[0] * m[4] - m[1] * m[3]));
  const k = Math.floor(scale);
  if (k < 2) return { box: null, m };
  // Source bounding box of the output rectangle, one pixel of margin, clipped.
  const xs = [0, width, 0, width].map((u, i) => m[0] * u + m[1] * (i < 2 ? 0 : height) + m[2]);
  const ys = [0, width, 0, width].map((u, i) => m[3] * u + m[4] * (i < 2 ? 0 : height) + m[5]);
  const x0 = Math.max(0, Math.floor(Math.min(...xs)) - k);
  const y0 = Math.max(0, Math.floor(Math.min(...ys)) - k);
  const x1 = Math.min(img.width, Math.ceil(Math.max(...xs)) + k);
  const y1 = Math.min(img.height, Math.ceil(Math.max(...ys)) + k);
  if (x1 - x0 < k || y1 - y0 < k) return null;
  // A small pixel i covers source [x0 + i*k, x0 + (i+1)*k): its centre is x0 + i*k + (k-1)/2.
  const off = (k - 1) / 2;
  return { box: { x0, y0, x1, y1, k }, m: [m[0] / k, m[1] / k, (m[2] - x0 - off) / k, m[3] / k, m[4] / k, (m[5] - y0 - off) / k] };
}

/**
 * Averages the k x k blocks of a region, rounded to bytes: as interleaved RGB, or, given `tensor`, straight
 * into the planar `(v - mean) / scale` tensor (the same values, without the intermediate image).
 */
function boxDownsample(img: RgbImage, step: BoxStep, tensor?: { out: Float32Array; norm: TensorNorm }): RgbImage {
  const { x0, y0, x1, y1, k } = step;
  const w = Math.floor((x1 - x0) / k);
  const h = Math.floor((y1 - y0) / k);
  const out = tensor ? new Uint8Array(0) : new Uint8Array(w * h * 3);
  const n = w * 3;
  const rowSum = new Int32Array(n);
  const src = img.data;
  const W = img.width;
  const inv = 1 / (k * k);
  const plane = w * h;
  for (let j = 0; j < h; j++) {
    rowSum.fill(0);
    for (let dy = 0; dy < k; dy++) {
      let p = ((y0 + j * k + dy) * W + x0) * 3;
      if (k === 2) {
        // The common exact halving (640x480 -> 320x240), unrolled.
        for (let q = 0; q < n; q += 3, p += 6) {
          rowSum[q]! += src[p]! + src[p + 3]!;
          rowSum[q + 1]! += src[p + 1]! + src[p + 4]!;
          rowSum[q + 2]! += src[p + 2]! + src[p + 5]!;
        }
        continue;
      }
      for (let q = 0; q < n; q += 3) {
        let r = 0;
        let g = 0;
        let b = 0;
        for (let dx = 0; dx < k; dx++, p += 3) {
          r += src[p]!;
          g += src[p + 1]!;
          b += src[p + 2]!;
        }
        rowSum[q]! += r;
        rowSum[q + 1]! += g;
        rowSum[q + 2]! += b;
      }
    }
    if (tensor) {
      const { mean, scale } = tensor.norm;
      const t = tensor.out;
      for (let i = 0, o = j * w; i < w; i++, o++) {
        t[o] = (Math.floor(rowSum[3 * i]! * inv + 0.5) - mean) / scale;
        t[plane + o] = (Math.floor(rowSum[3 * i + 1]! * inv + 0.5) - mean) / scale;
        t[2 * plane + o] = (Math.floor(rowSum[3 * i + 2]! * inv + 0.5) - mean) / scale;
      }
    } else {
      const o = j * n;
      for (let i = 0; i < n; i++) out[o + i] = rowSum[i]! * inv + 0.5;
    }
  }
  return { data: out, width: w, height: h };
}

function bilinearWarp(img: RgbImage, m: Affine, width: number, height: number): RgbImage {
  const out = new Uint8Array(width * height * 3);
  if (m[1] === 0 && m[3] === 0) {
    sampleAxisAligned(img, m, width, height, out, null);
    return { data: out, width, height };
  }
  const [a, b, c, d, e, f] = m;
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

/** `(v - mean) / scale` per channel into planar CHW floats, as the RGB models take their input. */
export interface TensorNorm {
  mean: number;
  scale: number;
}

/**
 * `bilinearWarp` for a map without rotation (x depends on u only, y on v only): the taps and weights are
 * computed once per column and row. The arithmetic is the general path's, so the bytes are identical. Writes
 * interleaved RGB into `out`, or, with `norm`, the normalised planar tensor (out-of-image pixels = black).
 */
function sampleAxisAligned(img: RgbImage, m: Affine, width: number, height: number, out: Uint8Array | Float32Array, norm: TensorNorm | null): void {
  const src = img.data;
  const W = img.width;
  const H = img.height;
  const col = new Int32Array(width).fill(-1);
  const colFx = new Float64Array(width);
  const colNext = new Int32Array(width);
  for (let u = 0; u < width; u++) {
    const x = m[0] * u + m[2]; // = a*u + b*v + c with b = 0, bit for bit
    if (x < 0 || x > W - 1) continue;
    const xi = Math.floor(x);
    col[u] = xi;
    colFx[u] = x - xi;
    colNext[u] = xi + 1 < W ? 3 : 0;
  }
  const plane = width * height;
  if (norm) {
    const black = (0 - norm.mean) / norm.scale;
    (out as Float32Array).fill(black);
  }
  for (let v = 0; v < height; v++) {
    const y = m[4] * v + m[5];
    if (y < 0 || y > H - 1) continue;
    const yi = Math.floor(y);
    const fy = y - yi;
    const down = yi + 1 < H ? W * 3 : 0;
    for (let u = 0; u < width; u++) {
      const xi = col[u]!;
      if (xi < 0) continue;
      const fx = colFx[u]!;
      const p00 = (yi * W + xi) * 3;
      const p10 = p00 + colNext[u]!;
      const p01 = p00 + down;
      const p11 = p01 + colNext[u]!;
      const w00 = (1 - fx) * (1 - fy);
      const w10 = fx * (1 - fy);
      const w01 = (1 - fx) * fy;
      const w11 = fx * fy;
      const r = w00 * src[p00]! + w10 * src[p10]! + w01 * src[p01]! + w11 * src[p11]! + 0.5;
      const g = w00 * src[p00 + 1]! + w10 * src[p10 + 1]! + w01 * src[p01 + 1]! + w11 * src[p11 + 1]! + 0.5;
      const b = w00 * src[p00 + 2]! + w10 * src[p10 + 2]! + w01 * src[p01 + 2]! + w11 * src[p11 + 2]! + 0.5;
      if (norm) {
        const i = v * width + u;
        out[i] = (Math.floor(r) - norm.mean) / norm.scale;
        out[plane + i] = (Math.floor(g) - norm.mean) / norm.scale;
        out[2 * plane + i] = (Math.floor(b) - norm.mean) / norm.scale;
      } else {
        const o = (v * width + u) * 3;
        out[o] = r;
        out[o + 1] = g;
        out[o + 2] = b;
      }
    }
  }
}

/**
 * `cropResize` fused with the tensor fill of an RGB model: the planar `(v - mean) / scale` tensor of the
 * resized crop, without the intermediate RGB image. Values are exactly those of filling from `cropResize`.
 */
export function cropResizeToTensor(img: RgbImage, x: number, y: number, w: number, h: number, width: number, height: number, norm: TensorNorm): Float32Array {
  const out = new Float32Array(width * height * 3);
  const plan = planWarp(img, cropMap(x, y, w, h, width, height), width, height);
  if (!plan) return out.fill((0 - norm.mean) / norm.scale);
  const { box, m } = plan;
  if (box && m[0] === 1 && m[1] === 0 && m[2] === 0 && m[3] === 0 && m[4] === 1 && m[5] === 0) {
    // An exact k-times shrink of whole pixels (640x480 -> 320x240): the block averages are the output.
    if (Math.floor((box.x1 - box.x0) / box.k) === width && Math.floor((box.y1 - box.y0) / box.k) === height) {
      boxDownsample(img, box, { out, norm });
      return out;
    }
  }
  sampleAxisAligned(box ? boxDownsample(img, box) : img, m, width, height, out, norm);
  return out;
}

/** Axis-aligned crop-and-resize of the source rectangle (x, y, w, h) to `width` x `height`. */
export function cropResize(img: RgbImage, x: number, y: number, w: number, h: number, width: number, height: number): RgbImage {
  return warpAffine(img, cropMap(x, y, w, h, width, height), width, height);
}

/** Pixel-centre map from a `width` x `height` output to the source rectangle (x, y, w, h). */
function cropMap(x: number, y: number, w: number, h: number, width: number, height: number): Affine {
  const sx = w / width;
  const sy = h / height;
  return [sx, 0, x + 0.5 * sx - 0.5, 0, sy, y + 0.5 * sy - 0.5];
}

/** Encodes RGB to JPEG (for face crops returned to clients). */
export async function encodeJpeg(img: RgbImage, quality = 90): Promise<Uint8Array> {
  const buf = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } }).jpeg({ quality }).toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}
