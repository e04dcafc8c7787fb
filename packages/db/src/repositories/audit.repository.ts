import type { AuditEvent } from '../generated/client.ts';
import type { DbClient } from '../client.ts';

export type AuditEventRecord = AuditEvent;

export interface AuditEventInput {
  /** The API key id that acted. */
  actor: string;
  /** e.g. `image.read` */
  action: string;
  resourceType: string;
  resourceId: string;
}

export interface AuditListOptions {
  /** @defaultValue 100 */
  limit?: number;
  /** Only events of this resource. */
  resourceId?: string;
}

export function createAuditRepository(db: DbClient) {
  return {
    record(tenantId: string, input: AuditEventInput): Promise<AuditEventRecord> {
      return db.auditEvent.create({ data: { ...input, tenantId } });
    },

    /** Newest first. */
    list(tenantId: string, options: AuditListOptions = {}): Promise<AuditEventRecord[]> {
      return db.auditEvent.findMany({
        where: { tenantId, ...(options.resourceId ? { resourceId: options.resourceId } : {}) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: options.limit ?? 100,
      });
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
