import type { FastifyRequest } from 'fastify';
import type { AuditEventInput, Repositories } from '@biogate/db';

/**
 * Records who (the API key id, never the key) read or changed which biometric record. The API records what
 * it serves itself: reads, deletions and the uploads it stores; what a job creates or updates is recorded by
 * the worker in the transaction that stores the job's result (apps/worker/src/lib/audit-events.ts).
 */
export function audit(
  repos: Pick<Repositories, 'audit'>,
  request: FastifyRequest,
  event: Omit<AuditEventInput, 'actor'>,
): Promise<unknown> {
  return repos.audit.record(request.auth.tenantId, { ...event, actor: request.auth.apiKeyId });
}
