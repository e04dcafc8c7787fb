import { BiogateError, isErrorCode } from '@biogate/contracts';
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
  const info = await inspectImage(bytes, { maxBytes: deps.limits.maxImageBytes, maxPixels: deps.limits.maxImagePixels }).catch(
    rethrowCatalogued,
  );
  return persist(deps, tenantId, bytes, {
    kind: 'image',
    contentType: info.format === 'png' ? 'image/png' : 'image/jpeg',
    width: info.width,
    height: info.height,
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
  let info: ReturnType<typeof inspectAudio>;
  try {
    info = inspectAudio(bytes);
  } catch (err) {
    rethrowCatalogued(err);
  }
  return persist(deps, tenantId, bytes, {
    kind: 'audio',
    contentType: info.format === 'wav' ? 'audio/wav' : 'audio/ogg',
    durationMs: Math.round(info.durationMs),
  });
}

/** The inspectors' typed errors carry catalog codes: they become the API's 4xx; anything else stays a bug. */
function rethrowCatalogued(err: unknown): never {
  const code = (err as { code?: unknown }).code;
  if (isErrorCode(code)) throw new BiogateError(code, (err as Error).message);
  throw err;
}

/** Stores checked bytes and records their Blob row. */
async function persist(
  deps: { repos: Repositories; blobs: BlobStore },
  tenantId: string,
  bytes: Buffer,
  fields: { kind: 'image' | 'audio'; contentType: string; width?: number; height?: number; durationMs?: number },
): Promise<BlobRecord> {
  const stored = await deps.blobs.put(tenantId, bytes);
  return deps.repos.blobs.create(tenantId, {
    ...fields,
    byteSize: stored.byteSize,
    sha256: stored.sha256,
    storageKey: stored.storageKey,
  });
}
