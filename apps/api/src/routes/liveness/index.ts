import type { FastifyInstance, FastifyRequest } from 'fastify';
import { toBiogateError } from '../../plugins/errors.ts';
import type { RouteDeps } from '../../lib/route-deps.ts';
import { seed004ErrorBody, toSeed004Error } from './seed-004-errors.ts';
import { livenessDetectRoutes } from './liveness-detect.routes.ts';

/** The client's sessionId when the body was read and holds one; null otherwise (for example, auth failures). */
function sessionIdOf(request: FastifyRequest): string | null {
  const body = request.body;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const value = (body as Record<string, unknown>).sessionId;
    if (typeof value === 'string' && value.length <= 256) return value;
  }
  return null;
}

/**
 * Seed 004 under `/api/v1`: every refusal in this scope, authentication included, keeps the seed's envelope
 * `{sessionId, hasError: true, error}` with our stable `code` and `message` added.
 */
export function livenessRoutes(deps: RouteDeps) {
  return async function (app: FastifyInstance) {
    app.setErrorHandler((error, request, reply) => {
      const mapped = toBiogateError(error);
      if (mapped.code === 'internal_error') request.log.error({ err: error }, 'unhandled error');
      const retryAfter = mapped.details?.retryAfter;
      if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
      const jobId = mapped.details?.job_id;
      return reply.code(mapped.status).send({
        ...seed004ErrorBody(sessionIdOf(request), toSeed004Error(mapped.code, mapped.status), mapped.code, mapped.message),
        ...(typeof jobId === 'string' ? { job_id: jobId } : {}),
      });
    });
    await app.register(livenessDetectRoutes(deps));
  };
}
