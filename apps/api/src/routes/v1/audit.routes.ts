import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { BiogateError } from '@biogate/contracts';
import type { AuditCursor, AuditEventRecord, Repositories } from '@biogate/db';
import type { RouteDeps } from '../../lib/route-deps.ts';
import { documented } from '../../plugins/openapi.ts';

const MAX_LIMIT = 500;

const QuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(100),
  cursor: z.string().max(200).optional(),
  resource_id: z.string().min(1).max(200).optional(),
  resource_type: z.string().min(1).max(50).optional(),
  action: z.string().min(1).max(100).optional(),
});

/** The page query, for the OpenAPI document (the handler parses it with QuerySchema). */
export const AUDIT_QUERYSTRING = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 100, description: 'events per page' },
    cursor: { type: 'string', description: 'the next_cursor of the previous page' },
    resource_id: { type: 'string', description: 'only events of this record (user_token, image_key, registration_key, job id...)' },
    resource_type: { type: 'string', description: 'image, audio, crop, enrollment, registration, validation, job or tenant' },
    action: { type: 'string', description: 'only this action, e.g. enrollment.delete' },
  },
};

/** Opaque page cursor: the position of the last event of a page. */
export const encodeCursor = (e: AuditCursor) => Buffer.from(`${e.createdAt.toISOString()}|${e.id}`).toString('base64url');

function decodeCursor(value: string): AuditCursor {
  const [at, id] = Buffer.from(value, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || Number.isNaN(createdAt.getTime())) throw new BiogateError('invalid_request', 'cursor is not one this API returned');
  return { createdAt, id };
}

export function auditEventView(e: AuditEventRecord) {
  return {
    event_id: e.id,
    actor: e.actor,
    action: e.action,
    resource_type: e.resourceType,
    resource_id: e.resourceId,
    details: e.details ?? null,
    created_at: e.createdAt.toISOString(),
  };
}

/** One page of a tenant's audit log, newest first; shared by `GET /v1/audit` and the admin API. */
export async function auditPage(repos: Repositories, tenantId: string, rawQuery: unknown) {
  const query = QuerySchema.safeParse(rawQuery ?? {});
  if (!query.success) {
    throw new BiogateError('invalid_request', `bad query: limit is 1-${MAX_LIMIT}; resource_id, resource_type, action and cursor are short strings`);
  }
  const q = query.data;
  const events = await repos.audit.list(tenantId, {
    limit: q.limit,
    resourceId: q.resource_id,
    resourceType: q.resource_type,
    action: q.action,
    before: q.cursor ? decodeCursor(q.cursor) : undefined,
  });
  const last = events.at(-1);
  return { events: events.map(auditEventView), next_cursor: last && events.length === q.limit ? encodeCursor(last) : null };
}

/**
 * GET /v1/audit: who (API key id) read or changed which biometric record of the caller's tenant, newest first,
 * paginated with `cursor`, filtered by `resource_id` (e.g. a user_token, image_key or registration_key).
 */
export function auditRoutes(deps: RouteDeps) {
  return async function (app: FastifyInstance) {
    const doc = documented({
      summary: 'Audit log of the tenant: reads and changes of biometric records (biogate extension)',
      tags: ['v1 audit'],
      description:
        'Newest first. Events carry the API key id as `actor` (`system:retention` for the retention purge), never ' +
        'the key and never biometric data. Actions are listed in docs/api/audit.md.',
      responses: {
        200: '{events: [{event_id, actor, action, resource_type, resource_id, details, created_at}], next_cursor}',
        400: 'bad query (invalid_request)',
        401: 'no or bad API key',
      },
    });
    app.get('/v1/audit', {
      ...doc,
      schema: {
        ...doc.schema,
        querystring: AUDIT_QUERYSTRING,
      },
    }, async (request) => auditPage(deps.repos, request.auth.tenantId, request.query));
  };
}
