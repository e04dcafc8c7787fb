import { BiogateError, type ErrorCode } from '@biogate/contracts';
import type { Repositories, BlobRecord } from '@biogate/db';
import type { BlobStore } from '@biogate/storage';
import { inspectImage } from '@biogate/inference/image-inspect';
import { inspectAudio } from '@biogate/inference/voice/audio-inspect';

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

/** Checks an uploaded recording (WAV or Ogg by content, size and duration bounds), stores and records it. */
export async function storeAudio(
  deps: { repos: Repositories; blobs: BlobStore; limits: { maxAudioBytes: number } },
  tenantId: string,
  bytes: Buffer | undefined,
): Promise<BlobRecord> {
  if (!bytes || bytes.length === 0) throw new BiogateError('audio_missing', 'an audio file is required (.wav or .ogg)');
  if (bytes.length > deps.limits.maxAudioBytes) {
    throw new BiogateError('audio_too_large', `the audio file is larger than ${deps.limits.maxAudioBytes} bytes`);
  }
  let info: Awaited<ReturnType<typeof inspectAudio>>;
  try {
    info = await inspectAudio(bytes);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code && isAudioCode(code)) throw new BiogateError(code, (err as Error).message);
    throw err;
  }
  const stored = await deps.blobs.put(tenantId, bytes);
  return deps.repos.blobs.create(tenantId, {
    kind: 'audio',
    contentType: info.format === 'wav' ? 'audio/wav' : 'audio/ogg',
    byteSize: stored.byteSize,
    durationMs: Math.round(info.durationMs),
    sha256: stored.sha256,
    storageKey: stored.storageKey,
  });
}

const AUDIO_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'audio_missing',
  'audio_corrupt',
  'audio_too_large',
  'audio_too_long',
  'audio_too_little_speech',
  'unsupported_media_type',
]);

function isAudioCode(code: string): code is ErrorCode {
  return AUDIO_CODES.has(code);
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
