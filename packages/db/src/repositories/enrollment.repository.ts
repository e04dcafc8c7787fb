import type { Enrollment } from '../generated/client.ts';
import type { DbClient } from '../client.ts';

export type EnrollmentRecord = Enrollment;

export interface EnrollmentData {
  /** Float32 little-endian bytes (see `embeddingToBytes`). */
  embedding: Uint8Array<ArrayBuffer>;
  modelVersion: string;
  imageBlobId?: string | null;
}

export function createEnrollmentRepository(db: DbClient) {
  return {
    /** `id` is the user_token given to the client. */
    create(tenantId: string, input: EnrollmentData & { id: string }): Promise<EnrollmentRecord> {
      return db.enrollment.create({ data: { ...input, tenantId } });
    },

    get(tenantId: string, id: string): Promise<EnrollmentRecord | null> {
      return db.enrollment.findFirst({ where: { id, tenantId } });
    },

    /** Replaces the embedding (and its model and image); null when the enrollment does not exist. */
    async update(tenantId: string, id: string, data: EnrollmentData): Promise<EnrollmentRecord | null> {
      const res = await db.enrollment.updateMany({ where: { id, tenantId }, data });
      if (res.count === 0) return null;
      return db.enrollment.findFirst({ where: { id, tenantId } });
    },

    async delete(tenantId: string, id: string): Promise<boolean> {
      const res = await db.enrollment.deleteMany({ where: { id, tenantId } });
      return res.count > 0;
    },

    /** Every user_token of the tenant, oldest first. */
    async listIds(tenantId: string): Promise<string[]> {
      const rows = await db.enrollment.findMany({ where: { tenantId }, select: { id: true }, orderBy: { createdAt: 'asc' } });
      return rows.map((r) => r.id);
    },
  };
}

export type EnrollmentRepository = ReturnType<typeof createEnrollmentRepository>;
