import { BiogateError, type ErrorCode } from '@biogate/contracts';
import type { Repositories, BlobRecord } from '@biogate/db';
import type { BlobStore } from '@biogate/storage';
import { inspectImage } from '@biogate/inference/image-inspect';

export interface MediaLimits {
  maxImageBytes: number;
  maxImagePixels: number;
}

/**
 * Checks an uploaded image (real type by magic bytes and a full decode, size and pixel bounds; the client's
 * MIME type is never trusted), stores it and records its Blob row.
 */
export async function storeImage(
  deps: { repos: Repositories; blobs: BlobStore; limits: MediaLimits },
  tenantId: string,
  bytes: Buffer | undefined,
): Promise<BlobRecord> {
  if (!bytes) throw new BiogateError('image_missing', 'an image is required (JPEG or PNG)');
  if (bytes.length === 0) throw new BiogateError('image_empty', 'the image is empty');
  if (bytes.length > deps.limits.maxImageBytes) {
    throw new BiogateError('image_too_large', `the image is larger than ${deps.limits.maxImageBytes} bytes`);
  }
  let info: Awaited<ReturnType<typeof inspectImage>>;
  try {
    info = await inspectImage(bytes, { maxBytes: deps.limits.maxImageBytes, maxPixels: deps.limits.maxImagePixels });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code && isImageCode(code)) throw new BiogateError(code, (err as Error).message);
    throw err;
  }
  const stored = await deps.blobs.put(tenantId, bytes);
  return deps.repos.blobs.create(tenantId, {
    kind: 'image',
    contentType: info.format === 'png' ? 'image/png' : 'image/jpeg',
    byteSize: stored.byteSize,
    width: info.width,
    height: info.height,
    sha256: stored.sha256,
    storageKey: stored.storageKey,
  });
}

const IMAGE_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'image_missing',
  'image_empty',
  'image_corrupt',
  'image_too_large',
  'image_dimensions_too_large',
  'unsupported_media_type',
]);

function isImageCode(code: string): code is ErrorCode {
  return IMAGE_CODES.has(code);
}
