import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { BiogateError, isErrorCode } from '@biogate/contracts';
import type { BlobKind } from '@biogate/db';
import { inspectImage } from '@biogate/inference/image-inspect';
import { inspectAudio } from '@biogate/inference/voice/audio-inspect';

export interface MediaLimits {
  maxImageBytes: number;
  maxImagePixels: number;
}

/**
 * A checked upload, not written yet. Its id is final (payloads reference it); the bytes are stored, and the
 * Blob row written, only once the request is accepted (`JobService.submit`): a request refused before that
 * (bad second file, idempotent replay, queue full, Redis down) leaves nothing on disk.
 */
export interface StagedBlob {
  id: string;
  kind: Extract<BlobKind, 'image' | 'audio'>;
  contentType: string;
  bytes: Buffer;
  width?: number;
  height?: number;
  durationMs?: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Uploads this request staged, in order (null before the first); `submitAndSend` stores them. */
    uploads: StagedBlob[] | null;
  }
}

/**
 * Checks an uploaded image (real type by magic bytes and a full decode, size and pixel bounds; the client's
 * MIME type is never trusted) and stages it on the request.
 */
export async function stageImage(
  deps: { limits: MediaLimits },
  request: FastifyRequest,
  bytes: Buffer | undefined,
): Promise<StagedBlob> {
  if (!bytes) throw new BiogateError('image_missing', 'an image is required (JPEG or PNG)');
  if (bytes.length === 0) throw new BiogateError('image_empty', 'the image is empty');
  if (bytes.length > deps.limits.maxImageBytes) {
    throw new BiogateError('image_too_large', `the image is larger than ${deps.limits.maxImageBytes} bytes`);
  }
  const info = await inspectImage(bytes, { maxBytes: deps.limits.maxImageBytes, maxPixels: deps.limits.maxImagePixels }).catch(
    rethrowCatalogued,
  );
  return stage(request, {
    id: randomUUID(),
    kind: 'image',
    contentType: info.format === 'png' ? 'image/png' : 'image/jpeg',
    bytes,
    width: info.width,
    height: info.height,
  });
}

/** Checks an uploaded recording (WAV or Ogg by content, size and duration bounds) and stages it. */
export async function stageAudio(
  deps: { limits: { maxAudioBytes: number } },
  request: FastifyRequest,
  bytes: Buffer | undefined,
): Promise<StagedBlob> {
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
  return stage(request, {
    id: randomUUID(),
    kind: 'audio',
    contentType: info.format === 'wav' ? 'audio/wav' : 'audio/ogg',
    bytes,
    durationMs: Math.round(info.durationMs),
  });
}

function stage(request: FastifyRequest, blob: StagedBlob): StagedBlob {
  (request.uploads ??= []).push(blob);
  return blob;
}

/** The inspectors' typed errors carry catalog codes: they become the API's 4xx; anything else stays a bug. */
function rethrowCatalogued(err: unknown): never {
  const code = (err as { code?: unknown }).code;
  if (isErrorCode(code)) throw new BiogateError(code, (err as Error).message);
  throw err;
}
