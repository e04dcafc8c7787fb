import type { FastifyInstance } from 'fastify';
import { sendError, toBiogateError } from '../../plugins/errors.ts';
import type { RouteDeps } from '../../lib/route-deps.ts';
import { imagesRoutes } from './images.routes.ts';
import { registrationsRoutes } from './registrations.routes.ts';

/** Input refusals the seed 000/002 documents express as plain 400s (it documents no 413/415/422). */
const AS_BAD_REQUEST = new Set([413, 415, 422]);

/**
 * Seeds 000 and 002 under `/face_recognition`. Their documents promise 400 for every invalid input, with
 * `title: "image_quality"` reserved for quality-gate refusals; other refusals keep their own title and code.
 */
export function faceRecognitionRoutes(deps: RouteDeps) {
  return async function (app: FastifyInstance) {
    app.setErrorHandler((error, request, reply) => {
      const mapped = toBiogateError(error);
      if (mapped.status >= 500) request.log.error({ err: error }, 'unhandled error');
      return sendError(reply, mapped, AS_BAD_REQUEST.has(mapped.status) ? 400 : mapped.status);
    });
    await app.register(imagesRoutes(deps));
    await app.register(registrationsRoutes(deps));
  };
}
