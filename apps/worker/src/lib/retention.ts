import { createRepositories, withTransaction, type AuditEventInput, type BlobRecord, type Database, type Repositories } from '@biogate/db';
import type { BlobStore } from '@biogate/storage';
import type { Logger } from '@biogate/logger';
import { deleteStoredBytes } from '@biogate/runtime';

/** The audit actor of the retention purge. */
export const RETENTION_ACTOR = 'system:retention';

export interface RetentionContext {
  db: Database;
  repos: Repositories;
  blobs: BlobStore;
  log: Logger;
}

export interface PurgeOptions {
  retentionDays: number;
  batchSize: number;
  /** @defaultValue the current time */
  now?: Date;
}

/** What one run removed, per tenant and in total (counts only). */
export interface PurgeCounts {
  images: number;
  audio: number;
  crops: number;
  enrollments: number;
  registrations: number;
  validations: number;
  jobs: number;
}

const zero = (): PurgeCounts => ({ images: 0, audio: 0, crops: 0, enrollments: 0, registrations: 0, validations: 0, jobs: 0 });
const total = (c: PurgeCounts) => Object.values(c).reduce((a, b) => a + b, 0);
const COUNT_OF_KIND = { image: 'images', audio: 'audio', crop: 'crops' } as const;

/**
 * Erases every tenant's biometric data older than `retentionDays`, tenant by tenant, in batches of `batchSize`
 * (one transaction per batch): blobs by their age (bytes first, then rows; the crops of an expired image go
 * with it), enrollments by their last update (the embedding's age), registrations and validations by age;
 * finished jobs are scrubbed of inputs and results. Each erased record gets a `retention.purge` audit event
 * (in its batch's transaction) and each tenant with something purged a summary event with the counts.
 * Idempotent: a re-run, or a second worker running it at the same time, finds nothing left to do.
 */
export async function purgeExpired(ctx: RetentionContext, options: PurgeOptions): Promise<{ cutoff: Date; tenants: number; counts: PurgeCounts }> {
  const cutoff = cutoffOf(options);
  const counts = zero();
  const tenants = await ctx.repos.tenants.list();
  for (const tenant of tenants) {
    const c = await purgeTenant(ctx, tenant.id, cutoff, options.batchSize);
    for (const key of Object.keys(c) as (keyof PurgeCounts)[]) counts[key] += c[key];
    if (total(c) === 0) continue;
    await ctx.repos.audit.record(tenant.id, {
      actor: RETENTION_ACTOR,
      action: 'retention.purge',
      resourceType: 'tenant',
      resourceId: tenant.id,
      details: { ...c, retentionDays: options.retentionDays, cutoff: cutoff.toISOString() },
    });
    ctx.log.info({ tenantId: tenant.id, ...c }, 'retention purge: tenant done');
  }
  return { cutoff, tenants: tenants.length, counts };
}

async function purgeTenant(ctx: RetentionContext, tenantId: string, cutoff: Date, batchSize: number): Promise<PurgeCounts> {
  const c = zero();
  const event = (resourceType: string, resourceId: string): AuditEventInput => ({
    actor: RETENTION_ACTOR,
    action: 'retention.purge',
    resourceType,
    resourceId,
  });

  await inBatches(batchSize, () => ctx.repos.blobs.listOlderThan(tenantId, cutoff, batchSize), async (expired) => {
    const crops = await ctx.repos.blobs.listCropsOf(tenantId, expired.filter((b) => b.kind !== 'crop').map((b) => b.id));
    const batch = [...new Map([...expired, ...crops].map((b): [string, BlobRecord] => [b.id, b])).values()];
    await deleteStoredBytes(ctx.blobs, batch);
    await inTransaction(ctx, async (repos) => {
      await repos.blobs.deleteMany(tenantId, batch.map((b) => b.id));
      await repos.audit.recordMany(tenantId, batch.map((b) => event(b.kind, b.id)));
    });
    for (const b of batch) c[COUNT_OF_KIND[b.kind]] += 1;
  });

  const records = [
    ['enrollments', 'enrollment', ctx.repos.enrollments],
    ['registrations', 'registration', ctx.repos.registrations],
    ['validations', 'validation', ctx.repos.validations],
  ] as const;
  for (const [key, resourceType, repo] of records) {
    await inBatches(batchSize, () => repo.listOlderThan(tenantId, cutoff, batchSize), async (ids) => {
      await inTransaction(ctx, async (repos) => {
        c[key] += await repos[key].deleteMany(tenantId, ids);
        await repos.audit.recordMany(tenantId, ids.map((id) => event(resourceType, id)));
      });
    });
  }

  await inBatches(batchSize, () => ctx.repos.jobs.listPurgeable(tenantId, cutoff, batchSize), async (ids) => {
    c.jobs += await ctx.repos.jobs.scrub(tenantId, ids);
  });
  return c;
}

/**
 * Deletes every tenant's audit events older than `retentionDays`, tenant by tenant, in batches of `batchSize`
 * (one DELETE each). Independent of the biometric retention: audit events are compliance records and may be
 * kept longer. Each tenant with something deleted gets one `audit.purge` event (actor `system:retention`) with
 * the count, the retention and the cutoff; that event is young, so the run never deletes it. Idempotent.
 */
export async function purgeAuditLog(ctx: RetentionContext, options: PurgeOptions): Promise<{ cutoff: Date; tenants: number; events: number }> {
  const cutoff = cutoffOf(options);
  let events = 0;
  const tenants = await ctx.repos.tenants.list();
  for (const tenant of tenants) {
    let deleted = 0;
    let n: number;
    do {
      n = await ctx.repos.audit.deleteOlderThan(tenant.id, cutoff, options.batchSize);
      deleted += n;
    } while (n === options.batchSize);
    if (deleted === 0) continue;
    events += deleted;
    await ctx.repos.audit.record(tenant.id, {
      actor: RETENTION_ACTOR,
      action: 'audit.purge',
      resourceType: 'tenant',
      resourceId: tenant.id,
      details: { auditEvents: deleted, auditRetentionDays: options.retentionDays, cutoff: cutoff.toISOString() },
    });
    ctx.log.info({ tenantId: tenant.id, auditEvents: deleted }, 'audit retention purge: tenant done');
  }
  return { cutoff, tenants: tenants.length, events };
}

/** `retentionDays` before `now`; 0 is refused here, since "0 = keep forever" must never mean "erase everything". */
function cutoffOf(options: PurgeOptions): Date {
  if (!Number.isInteger(options.retentionDays) || options.retentionDays < 1) {
    throw new RangeError(`retentionDays must be an integer >= 1, got ${options.retentionDays}`);
  }
  const now = options.now ?? new Date();
  return new Date(now.getTime() - options.retentionDays * 86_400_000);
}

/** Runs `handle` on successive batches until a batch comes back short (each handled batch leaves the query). */
async function inBatches<T>(batchSize: number, next: () => Promise<T[]>, handle: (batch: T[]) => Promise<void>): Promise<void> {
  for (;;) {
    const batch = await next();
    if (batch.length > 0) await handle(batch);
    if (batch.length < batchSize) return;
  }
}

function inTransaction(ctx: RetentionContext, fn: (repos: Repositories) => Promise<void>): Promise<void> {
  return withTransaction(ctx.db.prisma, (tx) => fn(createRepositories(tx)));
}
