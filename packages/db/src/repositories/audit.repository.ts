import type { AuditEvent, Prisma } from '../generated/client.ts';
import type { DbClient } from '../client.ts';

export type AuditEventRecord = AuditEvent;

export interface AuditEventInput {
  /** The API key id that acted (never the key), or `system:<task>` for the workers' own tasks. */
  actor: string;
  /** `<resource>.<verb>`, e.g. `image.read`, `enrollment.delete`, `retention.purge`. */
  action: string;
  resourceType: string;
  resourceId: string;
  /** Counts and ids only; never biometric data. */
  details?: Record<string, string | number | boolean | null> | undefined;
}

/** Position in the newest-first list: the last event of the previous page. */
export interface AuditCursor {
  createdAt: Date;
  id: string;
}

export interface AuditListOptions {
  /** @defaultValue 100 */
  limit?: number;
  /** Only events of this resource. */
  resourceId?: string | undefined;
  /** Only events of this resource type. */
  resourceType?: string | undefined;
  /** Only this action. */
  action?: string | undefined;
  /** Only events older than this one (the next page). */
  before?: AuditCursor | undefined;
}

const toData = (tenantId: string, input: AuditEventInput): Prisma.AuditEventCreateManyInput => ({
  tenantId,
  actor: input.actor,
  action: input.action,
  resourceType: input.resourceType,
  resourceId: input.resourceId,
  ...(input.details ? { details: input.details } : {}),
});

export function createAuditRepository(db: DbClient) {
  return {
    record(tenantId: string, input: AuditEventInput): Promise<AuditEventRecord> {
      return db.auditEvent.create({ data: toData(tenantId, input) });
    },

    /** Several events in one statement; returns how many were written. */
    async recordMany(tenantId: string, inputs: readonly AuditEventInput[]): Promise<number> {
      if (inputs.length === 0) return 0;
      const res = await db.auditEvent.createMany({ data: inputs.map((i) => toData(tenantId, i)) });
      return res.count;
    },

    /** Newest first; `before` continues after the last event of a previous page. */
    list(tenantId: string, options: AuditListOptions = {}): Promise<AuditEventRecord[]> {
      const { before } = options;
      return db.auditEvent.findMany({
        where: {
          tenantId,
          ...(options.resourceId !== undefined ? { resourceId: options.resourceId } : {}),
          ...(options.resourceType !== undefined ? { resourceType: options.resourceType } : {}),
          ...(options.action !== undefined ? { action: options.action } : {}),
          ...(before
            ? { OR: [{ createdAt: { lt: before.createdAt } }, { createdAt: before.createdAt, id: { lt: before.id } }] }
            : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: options.limit ?? 100,
      });
    },

    /**
     * Deletes the tenant's oldest events created before `before`, at most `limit` of them (one batch of the
     * audit retention purge; uses the (tenantId, createdAt) index); returns how many went.
     */
    async deleteOlderThan(tenantId: string, before: Date, limit: number): Promise<number> {
      const rows = await db.auditEvent.findMany({
        where: { tenantId, createdAt: { lt: before } },
        select: { id: true },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: limit,
      });
      if (rows.length === 0) return 0;
      const res = await db.auditEvent.deleteMany({ where: { tenantId, id: { in: rows.map((r) => r.id) } } });
      return res.count;
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
