import { createHash, randomBytes } from 'node:crypto';
import type { ApiKey, Tenant } from '../generated/client.ts';
import { isUniqueViolation, type DbClient } from '../client.ts';

export type TenantRecord = Tenant;
export type ApiKeyRecord = ApiKey;

export interface CreateTenantInput {
  name: string;
  /** Standard Webhooks secret; generated (`whsec_...`) when omitted. */
  webhookSecret?: string;
  /** sha256 hex of a key made by the caller; when omitted a key is generated and returned once. */
  apiKeyHash?: string;
  /** Display prefix of the caller's key (required with `apiKeyHash`). */
  prefix?: string;
  /** @defaultValue '' */
  label?: string;
}

export interface CreatedTenant {
  tenant: TenantRecord;
  apiKey: ApiKeyRecord;
  /** The generated key in plaintext, only when the caller passed no `apiKeyHash`; never stored. */
  apiKeyPlaintext?: string;
}

export interface DefaultTenantInput {
  apiKeyHash: string;
  prefix: string;
  webhookSecret: string;
  /** @defaultValue 'default' */
  name?: string;
}

// Writing lastUsedAt on every request would turn each authenticated read into a write.
const LAST_USED_RESOLUTION_MS = 60_000;

export const hashKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');
const newKey = (): string => `bg_${randomBytes(32).toString('base64url')}`;
const newWebhookSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;

export function createTenantRepository(db: DbClient) {
  return {
    /** A tenant and its first API key. */
    async create(input: CreateTenantInput): Promise<CreatedTenant> {
      const plaintext = input.apiKeyHash ? undefined : newKey();
      const keyHash = input.apiKeyHash ?? hashKey(plaintext!);
      const prefix = input.prefix ?? (plaintext ?? keyHash).slice(0, 8);
      const tenant = await db.tenant.create({
        data: {
          name: input.name,
          webhookSecret: input.webhookSecret ?? newWebhookSecret(),
          apiKeys: { create: { keyHash, prefix, label: input.label ?? '' } },
        },
        include: { apiKeys: true },
      });
      const { apiKeys, ...row } = tenant;
      return { tenant: row, apiKey: apiKeys[0]!, ...(plaintext ? { apiKeyPlaintext: plaintext } : {}) };
    },

    get(id: string): Promise<TenantRecord | null> {
      return db.tenant.findUnique({ where: { id } });
    },

    list(): Promise<TenantRecord[]> {
      return db.tenant.findMany({ orderBy: { createdAt: 'asc' } });
    },

    /** The tenant owning an active (not revoked) key; refreshes the key's lastUsedAt at most once a minute. */
    async findByApiKeyHash(keyHash: string): Promise<{ tenant: TenantRecord; apiKey: ApiKeyRecord } | null> {
      const found = await db.apiKey.findUnique({ where: { keyHash }, include: { tenant: true } });
      if (!found || found.revokedAt) return null;
      const { tenant, ...apiKey } = found;
      const now = new Date();
      if (!apiKey.lastUsedAt || now.getTime() - apiKey.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
        await db.apiKey.update({ where: { id: apiKey.id }, data: { lastUsedAt: now } });
        apiKey.lastUsedAt = now;
      }
      return { tenant, apiKey };
    },

    /** A further key for a tenant; null when the tenant does not exist. */
    async addKey(tenantId: string, input: { keyHash: string; prefix: string; label?: string }): Promise<ApiKeyRecord | null> {
      const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { id: true } });
      if (!tenant) return null;
      return db.apiKey.create({ data: { tenantId, keyHash: input.keyHash, prefix: input.prefix, label: input.label ?? '' } });
    },

    listKeys(tenantId: string): Promise<ApiKeyRecord[]> {
      return db.apiKey.findMany({ where: { tenantId }, orderBy: { createdAt: 'asc' } });
    },

    /** Revokes an active key (of `tenantId` when given); false when no such active key. */
    async revokeKey(keyId: string, tenantId?: string): Promise<boolean> {
      const res = await db.apiKey.updateMany({
        where: { id: keyId, revokedAt: null, ...(tenantId ? { tenantId } : {}) },
        data: { revokedAt: new Date() },
      });
      return res.count > 0;
    },

    /**
     * The embedded default tenant with the configured key and webhook secret; safe to call from several
     * processes at once. A key revoked earlier stays revoked.
     */
    async ensureDefaultTenant(input: DefaultTenantInput): Promise<{ tenant: TenantRecord; apiKey: ApiKeyRecord }> {
      const name = input.name ?? 'default';
      for (let attempt = 0; ; attempt++) {
        try {
          const tenant = await db.tenant.upsert({
            where: { name },
            create: { name, webhookSecret: input.webhookSecret },
            update: { webhookSecret: input.webhookSecret },
          });
          const apiKey = await db.apiKey.upsert({
            where: { keyHash: input.apiKeyHash },
            create: { tenantId: tenant.id, keyHash: input.apiKeyHash, prefix: input.prefix, label: 'default' },
            update: {},
          });
          if (apiKey.tenantId !== tenant.id) throw new Error(`the default API key is already a key of another tenant (${apiKey.tenantId})`);
          return { tenant, apiKey };
        } catch (err) {
          // Two processes inserting the same row at once: the loser retries and finds it.
          if (!isUniqueViolation(err) || attempt >= 2) throw err;
        }
      }
    },
  };
}

export type TenantRepository = ReturnType<typeof createTenantRepository>;
