import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BiogateError } from '@biogate/contracts';
import type { Repositories } from '@biogate/db';

export interface AuthContext {
  tenantId: string;
  apiKeyId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext;
  }
  interface FastifyContextConfig {
    /** Routes that answer without an API key (health, docs). */
    public?: boolean;
  }
}

/** A new API key: `bg_` + 32 random bytes, base64url. */
export function createApiKey(): string {
  return `bg_${randomBytes(32).toString('base64url')}`;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * Extracts the API key from `Authorization: <key>`, `Bearer <key>` or `Basic base64(user:key)` (the key is
 * the password; the user name is ignored, as seed 004's clients send one).
 */
export function apiKeyFrom(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const value = header.trim();
  const [scheme, ...rest] = value.split(/\s+/);
  const credential = rest.join(' ');
  if (/^bearer$/i.test(scheme ?? '') && credential) return credential;
  if (/^basic$/i.test(scheme ?? '') && credential) {
    const decoded = Buffer.from(credential, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : decoded;
  }
  return rest.length === 0 ? value : undefined;
}

const CACHE_TTL_MS = 10_000;

/** API-key authentication for every route not marked `config.public`. */
export function registerAuth(app: FastifyInstance, repos: Repositories): void {
  // A short cache keeps a DB read off every request; revocation takes effect within CACHE_TTL_MS.
  const cache = new Map<string, { ctx: AuthContext | null; at: number }>();
  app.decorateRequest('auth', null as unknown as AuthContext);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (request.routeOptions.config?.public || request.url.startsWith('/docs')) return;
    const key = apiKeyFrom(request.headers.authorization);
    if (!key) throw new BiogateError('unauthorized', 'missing API key: send Authorization: Bearer <key>');
    const hash = hashApiKey(key);
    const now = Date.now();
    let hit = cache.get(hash);
    if (!hit || now - hit.at > CACHE_TTL_MS) {
      const found = await repos.tenants.findByApiKeyHash(hash);
      hit = { ctx: found ? { tenantId: found.tenant.id, apiKeyId: found.apiKey.id } : null, at: now };
      if (cache.size > 10_000) cache.clear();
      cache.set(hash, hit);
    }
    if (!hit.ctx) throw new BiogateError('unauthorized', 'invalid or revoked API key');
    request.auth = hit.ctx;
  });
}
