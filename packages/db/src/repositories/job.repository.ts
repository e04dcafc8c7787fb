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
  /** The API key id that submitted the request (the actor of the audit events the worker records). */
  apiKeyId?: string | null;
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
          apiKeyId: input.apiKeyId ?? null,
        },
      });
    },

    get(tenantId: string, id: string): Promise<JobRecord | null> {
      return db.job.findFirst({ where: { id, tenantId } });
    },

    findByIdempotencyKey(tenantId: string, idempotencyKey: string): Promise<JobRecord | null> {
      return db.job.findUnique({ where: { tenantId_idempotencyKey: { tenantId, idempotencyKey } } });
    },

    /** Worker side: marks a not-yet-finished job of this tenant active; false otherwise. */
    async markActive(tenantId: string, id: string, attempt: number): Promise<boolean> {
      const res = await db.job.updateMany({
        where: { id, tenantId, status: { notIn: FINISHED } },
        data: { status: 'active', attempts: attempt, startedAt: new Date() },
      });
      return res.count > 0;
    },

    /** Stores the result once: false (and nothing written) when the job had already finished. */
    async complete(tenantId: string, id: string, result: Prisma.InputJsonValue): Promise<boolean> {
      const res = await db.job.updateMany({
        where: { id, tenantId, status: { notIn: FINISHED } },
        data: { status: 'completed', result, finishedAt: new Date() },
      });
      return res.count > 0;
    },

    /** Stores the error once: false when the job had already finished. */
    async fail(tenantId: string, id: string, error: JobErrorValue): Promise<boolean> {
      const res = await db.job.updateMany({
        where: { id, tenantId, status: { notIn: FINISHED } },
        data: { status: 'failed', error: { code: error.code, message: error.message }, finishedAt: new Date() },
      });
      return res.count > 0;
    },

    /**
     * Up to `limit` jobs of this tenant still queued or active that were created before `before`, oldest
     * first: the candidates a worker checks against Redis to re-enqueue jobs the queue lost.
     */
    listUnfinished(tenantId: string, before: Date, limit: number): Promise<JobRecord[]> {
      return db.job.findMany({
        where: { tenantId, createdAt: { lt: before }, status: { notIn: FINISHED } },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: limit,
      });
    },

    /** Ids of up to `limit` finished jobs created before `before` and not scrubbed yet, oldest first. */
    async listPurgeable(tenantId: string, before: Date, limit: number): Promise<string[]> {
      const rows = await db.job.findMany({
        where: { tenantId, createdAt: { lt: before }, purgedAt: null, status: { in: FINISHED } },
        select: { id: true },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: limit,
      });
      return rows.map((r) => r.id);
    },

    /**
     * Scrubs the finished jobs of this tenant among `ids` of biometric content (a running job is left to finish): the input (blob references,
     * user_token) becomes `{}`, a result keeps only its HTTP status (`{status, body: {purged: true}}`), an
     * error (a code and a message, never biometric data) stays. Marks them purged; returns how many changed.
     */
    async scrub(tenantId: string, ids: readonly string[]): Promise<number> {
      if (ids.length === 0) return 0;
      const rows = await db.job.findMany({
        where: { tenantId, id: { in: [...ids] }, purgedAt: null, status: { in: FINISHED } },
        select: { id: true, result: true },
      });
      // One statement per distinct HTTP status (a handful) instead of one per job.
      // `undefined`: no result to scrub (a failed job).
      const byStatus = new Map<number | null | undefined, string[]>();
      for (const row of rows) {
        const status = (row.result as { status?: unknown } | null)?.status;
        const key = row.result === null ? undefined : typeof status === 'number' ? status : null;
        byStatus.set(key, [...(byStatus.get(key) ?? []), row.id]);
      }
      const purgedAt = new Date();
      let count = 0;
      for (const [status, group] of byStatus) {
        const res = await db.job.updateMany({
          where: { tenantId, id: { in: group }, purgedAt: null },
          data: { input: {}, ...(status === undefined ? {} : { result: { status, body: { purged: true } } }), purgedAt },
        });
        count += res.count;
      }
      return count;
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
