import type { FastifyReply, FastifyRequest } from 'fastify';
import type { JobName, JobPayload } from '@biogate/contracts';
import { requestMode, sendOutcome, type RouteDeps } from './route-deps.ts';

/**
 * Submits a job for the authenticated tenant with the request's mode (sync/async/callback/idempotency)
 * and sends the outcome. `build` receives the request id and tenant id. The uploads the request staged
 * (`stageImage`/`stageAudio`) are stored now, only if the job is accepted.
 */
export async function submitAndSend<N extends JobName>(
  deps: RouteDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  job: {
    name: N;
    fields?: Record<string, string>;
    input: Record<string, unknown>;
    build: (ids: { requestId: string; tenantId: string }) => JobPayload<N>;
  },
): Promise<FastifyReply> {
  const tenantId = request.auth.tenantId;
  const outcome = await deps.jobs.submit({
    tenantId,
    actor: request.auth.apiKeyId,
    name: job.name,
    payload: (requestId) => job.build({ requestId, tenantId }),
    input: job.input,
    uploads: request.uploads ?? [],
    ...requestMode(request, job.fields),
  });
  return sendOutcome(reply, outcome);
}
