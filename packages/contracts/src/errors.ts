/**
 * Stable error codes returned in every 4xx/5xx body as `code`. Clients switch on these, so they are never
 * renamed once shipped. The HTTP status lives next to the code so every layer maps them the same way.
 */
export const ERROR_CATALOG = {
  unauthorized: { status: 401, title: 'unauthorized' },
  forbidden: { status: 403, title: 'forbidden' },
  not_found: { status: 404, title: 'not_found' },
  invalid_request: { status: 400, title: 'invalid_request' },
  consent_required: { status: 400, title: 'consent_required' },
  image_missing: { status: 400, title: 'invalid_image' },
  image_empty: { status: 400, title: 'invalid_image' },
  image_invalid_base64: { status: 400, title: 'invalid_image' },
  image_corrupt: { status: 400, title: 'invalid_image' },
  image_too_large: { status: 413, title: 'invalid_image' },
  image_dimensions_too_large: { status: 400, title: 'invalid_image' },
  unsupported_media_type: { status: 415, title: 'unsupported_media_type' },
  audio_missing: { status: 400, title: 'invalid_audio' },
  audio_corrupt: { status: 400, title: 'invalid_audio' },
  audio_too_large: { status: 413, title: 'invalid_audio' },
  audio_too_long: { status: 400, title: 'invalid_audio' },
  audio_too_little_speech: { status: 422, title: 'invalid_audio' },
  face_not_found: { status: 422, title: 'face_not_found' },
  image_underexposed: { status: 422, title: 'image_underexposed' },
  image_overexposed: { status: 422, title: 'image_overexposed' },
  idempotency_conflict: { status: 409, title: 'idempotency_conflict' },
  payload_too_large: { status: 413, title: 'payload_too_large' },
  rate_limited: { status: 429, title: 'rate_limited' },
  queue_full: { status: 503, title: 'queue_full' },
  service_unavailable: { status: 503, title: 'service_unavailable' },
  timeout: { status: 504, title: 'timeout' },
  job_failed: { status: 500, title: 'job_failed' },
  internal_error: { status: 500, title: 'internal_error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

/** The JSON body of every error answer. */
export interface ErrorBody {
  title: string;
  description: string;
  code: ErrorCode;
}

/** An error that carries a catalog code; thrown anywhere, rendered by the API's error handler. */
export class BiogateError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, description: string, details?: Record<string, unknown>) {
    super(description);
    this.name = 'BiogateError';
    this.code = code;
    this.status = ERROR_CATALOG[code].status;
    this.details = details;
  }

  toBody(): ErrorBody {
    return { title: ERROR_CATALOG[this.code].title, description: this.message, code: this.code };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CATALOG, value);
}
