import type { FastifyInstance, FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import { toBiogateError } from '../../plugins/errors.ts';
import type { RouteDeps } from '../../lib/route-deps.ts';
import { parseSeedForm } from './form-body.ts';
import { seed003ErrorBody, toSeed003Error } from './seed-003-errors.ts';
import { LengthRequiredError, qualityStatelessRoutes } from './quality-stateless.routes.ts';

/** The request id a seed 003 error reports: the job's id when one exists (it is the result's `request_id`). */
function errorRequestId(request: FastifyRequest, details: Record<string, unknown> | undefined): string {
  const jobId = details?.job_id;
  return typeof jobId === 'string' ? jobId : request.id;
}

/**
 * Seed 003 under `/quality`: its own body parser for form posts and its own error shape
 * `{code, message, request_id}` for every refusal in this scope, authentication failures included.
 */
export function qualityRoutes(deps: RouteDeps) {
  return async function (app: FastifyInstance) {
    await app.register(formbody, { parser: parseSeedForm });
    app.setErrorHandler((error, request, reply) => {
      if (error instanceof LengthRequiredError) {
        return reply.code(411).send(seed003ErrorBody(2004, error.message, request.id));
      }
      const mapped = toBiogateError(error);
      const seed = toSeed003Error(mapped.code);
      if (seed.status >= 500 && mapped.code === 'internal_error') request.log.error({ err: error }, 'unhandled error');
      const retryAfter = mapped.details?.retryAfter;
      if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
      return reply
        .code(seed.status)
        .send(seed003ErrorBody(seed.code, mapped.message, errorRequestId(request, mapped.details)));
    });
    await app.register(qualityStatelessRoutes(deps));
  };
}
