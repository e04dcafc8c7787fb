import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { BiogateError } from '@biogate/contracts';
import type { Repositories } from '@biogate/db';
import { createApiKey, hashApiKey } from '../../plugins/auth.ts';
import { generateWebhookSecret } from '@biogate/webhooks';
import { documented } from '../../plugins/openapi.ts';
import { AUDIT_QUERYSTRING, auditPage } from '../v1/audit.routes.ts';

const TenantBody = z.object({ name: z.string().trim().min(1).max(100) });
const KeyBody = z.object({ label: z.string().trim().max(100).default('') });
const Id = z.uuid();

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Tenant and API-key management under /admin, guarded by BIOGATE_ADMIN_KEY (`Authorization: Bearer <admin
 * key>`). Disabled (404) when no admin key is configured. New API keys are shown once; only hashes are kept.
 */
export function adminRoutes(deps: { repos: Repositories; adminKey: string | undefined }) {
  return async function (app: FastifyInstance) {
    if (!deps.adminKey) return;
    const adminKey = deps.adminKey;
    // Admin routes skip tenant auth and check the admin key instead.
    app.addHook('onRequest', async (request) => {
      const header = request.headers.authorization ?? '';
      const presented = header.replace(/^bearer\s+/i, '').trim();
      if (!presented || !sameSecret(presented, adminKey)) throw new BiogateError('unauthorized', 'admin key required');
    });
    const config = { public: true };
    const tags = ['admin'];
    const guarded = { 401: 'no or wrong admin key (Authorization: Bearer <BIOGATE_ADMIN_KEY>)' };

    app.post('/admin/tenants', {
      config,
      ...documented({
        summary: 'Create a tenant and its first API key (shown once)',
        tags,
        json: { type: 'object', properties: { name: { type: 'string', minLength: 1, maxLength: 100 } }, required: ['name'] },
        responses: { 201: '{tenant_id, name, api_key, api_key_id, webhook_secret}', 400: 'name missing or too long', ...guarded },
      }),
    }, async (request, reply) => {
      const body = TenantBody.safeParse(request.body ?? {});
      if (!body.success) throw new BiogateError('invalid_request', 'name is required (1-100 characters)');
      const apiKey = createApiKey();
      const webhookSecret = generateWebhookSecret();
      const tenant = await deps.repos.tenants.create({
        name: body.data.name,
        webhookSecret,
        apiKeyHash: hashApiKey(apiKey),
        prefix: apiKey.slice(0, 8),
        label: 'initial',
      });
      return reply.code(201).send({
        tenant_id: tenant.tenant.id,
        name: tenant.tenant.name,
        api_key: apiKey,
        api_key_id: tenant.apiKey.id,
        webhook_secret: webhookSecret,
      });
    });

    app.get('/admin/tenants', { config, ...documented({ summary: 'List tenants', tags, responses: { 200: '{tenants}', ...guarded } }) }, async () => {
      const tenants = await deps.repos.tenants.list();
      return { tenants: tenants.map((t) => ({ tenant_id: t.id, name: t.name, created_at: t.createdAt.toISOString() })) };
    });

    app.post<{ Params: { id: string } }>('/admin/tenants/:id/keys', {
      config,
      ...documented({
        summary: 'Add an API key to a tenant (shown once)',
        tags,
        json: { type: 'object', properties: { label: { type: 'string', maxLength: 100 } } },
        responses: { 201: '{api_key_id, api_key, prefix, label}', 400: 'bad label', 404: 'no such tenant', ...guarded },
      }),
    }, async (request, reply) => {
      const id = Id.safeParse(request.params.id);
      const body = KeyBody.safeParse(request.body ?? {});
      if (!id.success || !body.success) throw new BiogateError('invalid_request', 'bad tenant id or label');
      const apiKey = createApiKey();
      const key = await deps.repos.tenants.addKey(id.data, {
        keyHash: hashApiKey(apiKey),
        prefix: apiKey.slice(0, 8),
        label: body.data.label,
      });
      if (!key) throw new BiogateError('not_found', 'no such tenant');
      return reply.code(201).send({ api_key_id: key.id, api_key: apiKey, prefix: key.prefix, label: key.label });
    });

    app.get<{ Params: { id: string } }>('/admin/tenants/:id/keys', {
      config,
      ...documented({ summary: "List a tenant's API keys (prefixes only)", tags, responses: { 200: '{keys}', 404: 'no such tenant', ...guarded } }),
    }, async (request) => {
      const id = Id.safeParse(request.params.id);
      if (!id.success) throw new BiogateError('not_found', 'no such tenant');
      const keys = await deps.repos.tenants.listKeys(id.data);
      return {
        keys: keys.map((k) => ({
          api_key_id: k.id,
          prefix: k.prefix,
          label: k.label,
          created_at: k.createdAt.toISOString(),
          last_used_at: k.lastUsedAt?.toISOString() ?? null,
          revoked_at: k.revokedAt?.toISOString() ?? null,
        })),
      };
    });

    const auditDoc = documented({
      summary: "A tenant's audit log: reads and changes of its biometric records, newest first",
      tags,
      description: 'Same query and answer as GET /v1/audit, for any tenant.',
      responses: { 200: '{events, next_cursor}', 400: 'bad query', 404: 'no such tenant', ...guarded },
    });
    app.get<{ Params: { id: string } }>('/admin/tenants/:id/audit', {
      config,
      ...auditDoc,
      schema: { ...auditDoc.schema, querystring: AUDIT_QUERYSTRING },
    }, async (request) => {
      const id = Id.safeParse(request.params.id);
      const tenant = id.success ? await deps.repos.tenants.get(id.data) : null;
      if (!tenant) throw new BiogateError('not_found', 'no such tenant');
      return auditPage(deps.repos, tenant.id, request.query);
    });

    app.delete<{ Params: { keyId: string } }>('/admin/keys/:keyId', {
      config,
      ...documented({ summary: 'Revoke an API key', tags, responses: { 200: '{api_key_id, revoked}', 404: 'no such active key', ...guarded } }),
    }, async (request) => {
      const id = Id.safeParse(request.params.keyId);
      const revoked = id.success ? await deps.repos.tenants.revokeKey(id.data) : false;
      if (!revoked) throw new BiogateError('not_found', 'no such active key');
      return { api_key_id: request.params.keyId, revoked: true };
    });
  };
}
