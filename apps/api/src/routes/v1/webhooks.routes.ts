import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { BiogateError } from '@biogate/contracts';
import { enqueue } from '@biogate/queue';
import type { RouteDeps } from '../../lib/route-deps.ts';
import { documented } from '../../plugins/openapi.ts';

const Id = z.uuid();

/**
 * POST /v1/webhooks/deliveries/:id/redeliver: sends a failed (or delivered) webhook once more, with a fresh
 * signature. The attempt is recorded like any other; GET /v1/jobs/{job_id} shows the outcome.
 */
export function webhooksRoutes(deps: RouteDeps) {
  return async function (app: FastifyInstance) {
    app.post<{ Params: { id: string } }>('/v1/webhooks/deliveries/:id/redeliver', documented({
      summary: 'Redeliver a webhook',
      tags: ['v1 jobs'],
      responses: { 202: 'queued for delivery', 401: 'no or bad API key', 404: 'no such delivery for this tenant', 409: 'the delivery is still pending' },
    }), async (request, reply) => {
      const tenantId = request.auth.tenantId;
      const id = Id.safeParse(request.params.id);
      const delivery = id.success ? await deps.repos.webhooks.get(tenantId, id.data) : null;
      if (!delivery) throw new BiogateError('not_found', 'no such webhook delivery');
      if (!(await deps.repos.webhooks.reopen(tenantId, delivery.id))) {
        throw new BiogateError('idempotency_conflict', 'the delivery is still pending; it will be attempted on schedule');
      }
      await enqueue(deps.queues, 'webhook.deliver', { tenantId, deliveryId: delivery.id }, {
        jobId: `wh-${delivery.id}-manual-${Date.now()}`,
        attempts: 1,
      });
      return reply.code(202).send({ delivery_id: delivery.id, status: 'pending' });
    });
  };
}
