import type { ErrorCode } from '@biogate/contracts';

/** Seed 003 response codes: the documented ones, plus `1000 + HTTP status` for conditions the seed does not name. */
export const SEED003_CODES = {
  ok: 1000,
  invalidArgument: 1200,
  invalidImageSize: 2003,
  invalidContentLength: 2004,
  invalidImageType: 2005,
  detectionFailed: 4000,
} as const;

/** The seed's "Field value" column, used as the start of every `message`. */
export const SEED003_MESSAGES: Record<number, string> = {
  1200: 'invalid argument',
  2003: 'invalid image size',
  2004: 'invalid content length',
  2005: 'invalid image type or corrupted',
  4000: 'detection failed',
  1401: 'unauthorized',
  1403: 'forbidden',
  1404: 'not found',
  1409: 'conflict',
  1429: 'too many requests',
  1500: 'internal error',
  1503: 'service unavailable',
  1504: 'timeout',
};

export interface Seed003Error {
  status: number;
  code: number;
}

/** Our catalog codes -> the seed's numeric code and HTTP status. */
const BY_CODE: Partial<Record<ErrorCode, Seed003Error>> = {
  invalid_request: { status: 400, code: 1200 },
  consent_required: { status: 400, code: 1200 },
  image_missing: { status: 400, code: 1200 },
  image_invalid_base64: { status: 400, code: 1200 },
  image_dimensions_too_large: { status: 400, code: 2003 },
  image_empty: { status: 400, code: 2004 },
  image_too_large: { status: 413, code: 2004 },
  payload_too_large: { status: 413, code: 2004 },
  image_corrupt: { status: 400, code: 2005 },
  unsupported_media_type: { status: 400, code: 2005 },
  face_not_found: { status: 400, code: 4000 },
  unauthorized: { status: 401, code: 1401 },
  forbidden: { status: 403, code: 1403 },
  not_found: { status: 404, code: 1404 },
  idempotency_conflict: { status: 409, code: 1409 },
  rate_limited: { status: 429, code: 1429 },
  queue_full: { status: 503, code: 1503 },
  service_unavailable: { status: 503, code: 1503 },
  timeout: { status: 504, code: 1504 },
};

/** Maps a catalog error code to the seed's code and status; anything unlisted is a 500 / 1500. */
export function toSeed003Error(code: ErrorCode): Seed003Error {
  return BY_CODE[code] ?? { status: 500, code: 1500 };
}

/** `{code, message, request_id}` with the seed's field value first, our description after. */
export function seed003ErrorBody(code: number, description: string, requestId: string) {
  const head = SEED003_MESSAGES[code] ?? 'error';
  return { code, message: description ? `${head}: ${description}` : head, request_id: requestId };
}
