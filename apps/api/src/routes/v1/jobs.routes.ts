import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { BiogateError, jobView } from '@biogate/contracts';
import { audit } from '../../lib/audit.ts';
import type { RouteDeps } from '../../lib/route-deps.ts';
import { documented } from '../../plugins/openapi.ts';

const IdSchema = z.uuid();

/** GET /v1/jobs/:id: status and, once finished, the result the synchronous call would have returned. */
export function jobsRoutes(deps: RouteDeps) {
  return async function (app: FastifyInstance) {
    app.get<{ Params: { id: string } }>('/v1/jobs/:id', documented({
      summary: 'Status of a job and, once finished, its result and webhook deliveries',
      tags: ['v1 jobs'],
      responses: { 200: 'the job', 401: 'no or bad API key', 404: 'no such job for this tenant' },
    }), async (request) => {
      const id = IdSchema.safeParse(request.params.id);
      const job = id.success ? await deps.repos.jobs.get(request.auth.tenantId, id.data) : null;
      if (!job) throw new BiogateError('not_found', 'no such job');
      // Only a finished job's answer carries a result: status polls before that read nothing worth recording.
      if (job.status === 'completed' || job.status === 'failed') {
        await audit(deps.repos, request, { action: 'job.read', resourceType: 'job', resourceId: job.id });
      }
      const deliveries = await deps.repos.webhooks.listForJob(request.auth.tenantId, job.id);
      return {
        ...jobView(job),
        webhook_deliveries: deliveries.map((d) => ({
          delivery_id: d.id,
          url: d.url,
          status: d.status,
          attempts: d.attempts,
          last_status_code: d.lastStatusCode,
          last_error: d.lastError,
          next_attempt_at: d.nextAttemptAt?.toISOString() ?? null,
        })),
      };
    });
  };
}
