import type { ErrorCode } from '@biogate/contracts';

/** The seed's `error` enum, plus three values for refusals it does not name (input, auth, rate). */
export const SEED004_ERRORS = [
  'FACE_TOO_CLOSE',
  'FACE_CLOSE_TO_BORDER',
  'FACE_CROPPED',
  'FACE_IS_OCCLUDED',
  'FACE_NOT_FOUND',
  'TOO_MANY_FACES',
  'FACE_TOO_SMALL',
  'FACE_ANGLE_TOO_LARGE',
  'INTERNAL_ERROR',
  'INVALID_REQUEST',
  'UNAUTHORIZED',
  'RATE_LIMITED',
] as const;
export type Seed004Error = (typeof SEED004_ERRORS)[number];

/**
 * A refusal made by the API before any job ran: our catalog code -> the seed `error` value. The HTTP status
 * stays the catalog's (400/401/413/415/429/5xx) so clients that check the status keep working; face outcomes
 * produced by the worker are 200 with `hasError: true`, as the seed's examples show.
 */
export function toSeed004Error(code: ErrorCode, status: number): Seed004Error {
  if (code === 'unauthorized' || code === 'forbidden') return 'UNAUTHORIZED';
  if (code === 'rate_limited') return 'RATE_LIMITED';
  if (code === 'face_not_found') return 'FACE_NOT_FOUND';
  if (status >= 500) return 'INTERNAL_ERROR';
  return 'INVALID_REQUEST';
}

/** `{sessionId, hasError: true, error, code, message}`: the seed's envelope, our code and description added. */
export function seed004ErrorBody(sessionId: string | null, error: Seed004Error, code: string, message: string) {
  return { sessionId, hasError: true as const, error, code, message };
}
