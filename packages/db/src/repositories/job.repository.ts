import type { Job, JobStatus, Prisma } from '../generated/client.ts';
import type { DbClient } from '../client.ts';

export type JobRecord = Job;
export type { JobStatus };

export interface CreateJobInput {
  /** The request id, also the BullMQ jobId. */
  id: string;
  tenantId: string;
  /** Job name such as `face.detect`. */
  name: string;
  /** Blob references and options only, never bytes; must be JSON-serialisable. */
  input: Record<string, unknown>;
  callbackUrl?: string | null;
  idempotencyKey?: string | null;
}

export interface JobErrorValue {
  code: string;
  message: string;
}

const FINISHED: JobStatus[] = ['completed', 'failed'];

export function createJobRepository(db: DbClient) {
  return {
    create(input: CreateJobInput): Promise<JobRecord> {
      return db.job.create({
        data: {
          id: input.id,
          tenantId: input.tenantId,
          name: input.name,
          // Callers build the input from parsed JSON and ids; Prisma's JSON type cannot express `unknown` values.
          input: input.input as Prisma.InputJsonObject,
          callbackUrl: input.callbackUrl ?? null,
          idempotencyKey: input.idempotencyKey ?? null,
        },
      });
    },

    get(tenantId: string, id: string): Promise<JobRecord | null> {
      return db.job.findFirst({ where: { id, tenantId } });
    },

    findByIdempotencyKey(tenantId: string, idempotencyKey: string): Promise<JobRecord | null> {
      return db.job.findUnique({ where: { tenantId_idempotencyKey: { tenantId, idempotencyKey } } });
    },

    /** Worker side (the id comes from BullMQ): marks a not-yet-finished job active; false otherwise. */
    async markActive(id: string, attempt: number): Promise<boolean> {
      const res = await db.job.updateMany({
        where: { id, status: { notIn: FINISHED } },
        data: { status: 'active', attempts: attempt, startedAt: new Date() },
      });
      return res.count > 0;
    },

    /** Stores the result once: false (and nothing written) when the job had already finished. */
    async complete(id: string, result: Prisma.InputJsonValue): Promise<boolean> {
      const res = await db.job.updateMany({
        where: { id, status: { notIn: FINISHED } },
        data: { status: 'completed', result, finishedAt: new Date() },
      });
      return res.count > 0;
    },

    /** Stores the error once: false when the job had already finished. */
    async fail(id: string, error: JobErrorValue): Promise<boolean> {
      const res = await db.job.updateMany({
        where: { id, status: { notIn: FINISHED } },
        data: { status: 'failed', error: { code: error.code, message: error.message }, finishedAt: new Date() },
      });
      return res.count > 0;
    },

    /** Jobs per status, for one tenant or (without `tenantId`) all. */
    async countByStatus(tenantId?: string): Promise<Record<JobStatus, number>> {
      const groups = await db.job.groupBy({
        by: ['status'],
        where: tenantId ? { tenantId } : {},
        _count: { _all: true },
      });
      const counts: Record<JobStatus, number> = { queued: 0, active: 0, completed: 0, failed: 0 };
      for (const g of groups) counts[g.status] = g._count._all;
      return counts;
    },
  };
}

export type JobRepository = ReturnType<typeof createJobRepository>;
