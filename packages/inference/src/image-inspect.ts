/**
 * Cheap, sharp-only checks of an uploaded image, for the API process (which must not load onnxruntime):
 * real type by magic bytes, byte and pixel bounds, and a full decode so truncated files are refused up front.
 */
import sharp, { type Metadata } from 'sharp';

export type ImageInputErrorCode =
  | 'image_missing'
  | 'image_empty'
  | 'unsupported_media_type'
  | 'image_too_large'
  | 'image_dimensions_too_large'
  | 'image_corrupt';

/** A rejected image; `code` is stable and matches the API error catalog. Messages never embed the bytes. */
export class ImageInputError extends Error {
  readonly code: ImageInputErrorCode;
  constructor(code: ImageInputErrorCode, message: string) {
    super(message);
    this.name = 'ImageInputError';
    this.code = code;
  }
}

export interface ImageLimits {
  /**
   * Largest accepted file in bytes.
   * @defaultValue 3 MiB (3 * 1024 * 1024)
   */
  maxBytes?: number;
  /**
   * Largest accepted width x height, checked from the header before any decode.
   * @defaultValue 40 000 000
   */
  maxPixels?: number;
}

export const DEFAULT_IMAGE_LIMITS = { maxBytes: 3 * 1024 * 1024, maxPixels: 40_000_000 } as const;

export type ImageFormat = 'jpeg' | 'png';

export interface ImageInfo {
  format: ImageFormat;
  /** Width after EXIF orientation. */
  width: number;
  /** Height after EXIF orientation. */
  height: number;
  byteSize: number;
}

/** Detects JPEG or PNG from the first bytes; undefined for anything else. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((b, i) => bytes[i] === b)) return 'png';
  return undefined;
}

/**
 * Validates an image and returns its format and oriented size, or throws an {@link ImageInputError}.
 * Order: missing -> empty -> too many bytes -> not JPEG/PNG -> header dimensions -> full decode.
 */
export async function inspectImage(bytes: Uint8Array | undefined | null, limits: ImageLimits = {}): Promise<ImageInfo> {
  const maxBytes = limits.maxBytes ?? DEFAULT_IMAGE_LIMITS.maxBytes;
  const maxPixels = limits.maxPixels ?? DEFAULT_IMAGE_LIMITS.maxPixels;
  if (bytes === undefined || bytes === null) throw new ImageInputError('image_missing', 'an image is required (JPEG or PNG)');
  if (bytes.length === 0) throw new ImageInputError('image_empty', 'the image is empty');
  if (bytes.length > maxBytes) throw new ImageInputError('image_too_large', `the image is larger than ${maxBytes} bytes`);
  const format = sniffImageFormat(bytes);
  if (!format) throw new ImageInputError('unsupported_media_type', 'the file is not a JPEG or PNG image');

  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: maxPixels }).metadata();
  } catch (err) {
    if (/pixel limit/i.test((err as Error).message)) {
      throw new ImageInputError('image_dimensions_too_large', `the image declares more than ${maxPixels} pixels`);
    }
    throw new ImageInputError('image_corrupt', `the ${format.toUpperCase()} header cannot be read`);
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width <= 0 || height <= 0) throw new ImageInputError('image_corrupt', 'the image declares no dimensions');
  if (width * height > maxPixels) {
    throw new ImageInputError('image_dimensions_too_large', `the image is ${width}x${height}, more than ${maxPixels} pixels`);
  }
  try {
    // A shrunk decode still reads every scanline, so truncation and bad data are caught cheaply.
    await sharp(bytes, { limitInputPixels: maxPixels, failOn: 'truncated' })
      .resize({ width: 256, height: 256, fit: 'inside', withoutEnlargement: true })
      .raw()
      .toBuffer();
  } catch {
    throw new ImageInputError('image_corrupt', `the ${format.toUpperCase()} image is truncated or cannot be decoded`);
  }
  const swap = (meta.orientation ?? 1) >= 5;
  return { format, width: swap ? height : width, height: swap ? width : height, byteSize: bytes.length };
}
