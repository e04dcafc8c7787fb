import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { BiogateError, ERROR_CATALOG, isErrorCode, type ErrorCode } from '@biogate/contracts';

/** Fastify's own error codes mapped onto ours, so framework-level rejections read like the rest. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_REQ_FILE_TOO_LARGE: 'payload_too_large',
  FST_PARTS_LIMIT: 'payload_too_large',
  FST_FILES_LIMIT: 'payload_too_large',
  FST_FIELDS_LIMIT: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_request',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_request',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'unsupported_media_type',
  FST_ERR_VALIDATION: 'invalid_request',
};

/** Converts any thrown error into `{ code, title, description }` with the right status. */
export function toBiogateError(error: unknown): BiogateError {
  if (error instanceof BiogateError) return error;
  const err = error as FastifyError & { code?: string };
  const code = typeof err.code === 'string' ? err.code : undefined;
  if (code && isErrorCode(code)) return new BiogateError(code, err.message);
  if (code && FASTIFY_CODES[code]) return new BiogateError(FASTIFY_CODES[code], err.message);
  if (err instanceof SyntaxError) return new BiogateError('invalid_request', `malformed JSON: ${err.message}`);
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    return new BiogateError('invalid_request', err.message);
  }
  return new BiogateError('internal_error', 'internal error');
}

/** Sends `{title, description, code, ...details}`; `retryAfter` in details becomes a Retry-After header. */
export function sendError(reply: FastifyReply, err: BiogateError, status = err.status): FastifyReply {
  const { retryAfter, ...extra } = err.details ?? {};
  if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
  return reply.code(status).send({ ...err.toBody(), ...extra });
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const mapped = toBiogateError(error);
    if (mapped.status >= 500 && mapped.code !== 'service_unavailable' && mapped.code !== 'timeout') {
      request.log.error({ err: error }, 'unhandled error');
    }
    return sendError(reply, mapped);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, new BiogateError('not_found', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );
}

export { ERROR_CATALOG };
