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

    /** Deletes the enrollments of this tenant among `ids`; returns how many went. */
    async deleteMany(tenantId: string, ids: readonly string[]): Promise<number> {
      if (ids.length === 0) return 0;
      const res = await db.enrollment.deleteMany({ where: { tenantId, id: { in: [...ids] } } });
      return res.count;
    },

    /** Enrollments whose embedding was computed from `imageBlobId`. */
    listByImage(tenantId: string, imageBlobId: string): Promise<EnrollmentRecord[]> {
      return db.enrollment.findMany({ where: { tenantId, imageBlobId } });
    },

    /**
     * Ids of up to `limit` enrollments whose embedding was last written before `before`, oldest first. `updatedAt`
     * is the embedding's age: an update replaces the face.
     */
    async listOlderThan(tenantId: string, before: Date, limit: number): Promise<string[]> {
      const rows = await db.enrollment.findMany({
        where: { tenantId, updatedAt: { lt: before } },
        select: { id: true },
        orderBy: [{ updatedAt: 'asc' }, { id: 'asc' }],
        take: limit,
      });
      return rows.map((r) => r.id);
    },

    /** Every user_token of the tenant, oldest first. */
    async listIds(tenantId: string): Promise<string[]> {
      const rows = await db.enrollment.findMany({ where: { tenantId }, select: { id: true }, orderBy: { createdAt: 'asc' } });
      return rows.map((r) => r.id);
    },
  };
}

export type EnrollmentRepository = ReturnType<typeof createEnrollmentRepository>;
