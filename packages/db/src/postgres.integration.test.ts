import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTempDatabase, type TempDatabase } from '@biogate/testing/postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR, migrationChecksum, readMigrations } from './migrate.ts';
import { checkDatabase, openDatabase, type Database } from './open-database.ts';
import { defineRepositorySuite } from './repositories.suite.ts';
import { defineTenantIsolationSuite } from './tenant-isolation.suite.ts';

let temp: TempDatabase;
beforeAll(async () => {
  temp = await createTempDatabase();
});
afterAll(async () => {
  await temp?.drop();
});

describe('openDatabase on PostgreSQL', () => {
  it('migrates once when several processes start at the same time', async () => {
    const opened: Database[] = await Promise.all([openDatabase({ url: temp.url }), openDatabase({ url: temp.url }), openDatabase({ url: temp.url })]);
    try {
      expect(opened.map((d) => d.kind)).toEqual(['postgres', 'postgres', 'postgres']);
      await Promise.all(opened.map((d) => checkDatabase(d)));
      const files = await readMigrations();
      const rows = await opened[0]!.prisma.$queryRaw<{ migration_name: string; checksum: string; applied_steps_count: number; finished_at: Date | null }[]>`
        SELECT migration_name, checksum, applied_steps_count, finished_at FROM "_prisma_migrations" ORDER BY migration_name`;
      expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
      for (const row of rows) {
        const bytes = await readFile(join(DEFAULT_MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
        expect(row.checksum).toBe(migrationChecksum(bytes));
        expect(row.applied_steps_count).toBe(1);
        expect(row.finished_at).toBeInstanceOf(Date);
      }
    } finally {
      await Promise.all(opened.map((d) => d.close()));
    }
    // A later start finds nothing to do and leaves the bookkeeping unchanged.
    const again = await openDatabase({ url: temp.url });
    const count = await again.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "_prisma_migrations"`;
    expect(count[0]?.n).toBe((await readMigrations()).length);
    await again.close();
  });

  it('creates every table, enum and index of the schema', async () => {
    const client = new pg.Client({ connectionString: temp.url });
    await client.connect();
    try {
      const tables = await client.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
      );
      expect(tables.rows.map((r) => r.table_name)).toEqual([
        'ApiKey', 'AuditEvent', 'Blob', 'Enrollment', 'Job', 'Registration', 'Tenant', 'Validation', 'WebhookAttempt', 'WebhookDelivery', '_prisma_migrations',
      ]);
      const unique = await client.query<{ indexname: string }>(
        `SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexdef LIKE 'CREATE UNIQUE%' AND indexname NOT LIKE '%_pkey' ORDER BY indexname`,
      );
      expect(unique.rows.map((r) => r.indexname)).toEqual(['ApiKey_keyHash_key', 'Job_tenantId_idempotencyKey_key', 'Tenant_name_key']);
      const tenantIndexed = await client.query<{ tablename: string }>(
        `SELECT DISTINCT tablename FROM pg_indexes WHERE schemaname = 'public' AND indexdef LIKE '%("tenantId"%' ORDER BY tablename`,
      );
      expect(tenantIndexed.rows.map((r) => r.tablename)).toEqual([
        'ApiKey', 'AuditEvent', 'Blob', 'Enrollment', 'Job', 'Registration', 'Validation', 'WebhookDelivery',
      ]);
    } finally {
      await client.end();
    }
  });

  it('refuses to start when an applied migration was edited', async () => {
    const client = new pg.Client({ connectionString: temp.url });
    await client.connect();
    try {
      await client.query(`UPDATE "_prisma_migrations" SET checksum = repeat('0', 64)`);
      await expect(openDatabase({ url: temp.url })).rejects.toThrow(/was modified after it was applied/);
    } finally {
      const files = await readMigrations();
      for (const f of files) await client.query('UPDATE "_prisma_migrations" SET checksum = $1 WHERE migration_name = $2', [f.checksum, f.name]);
      await client.end();
    }
  });
});

defineRepositorySuite('PostgreSQL', () => openDatabase({ url: temp.url }));
defineTenantIsolationSuite('PostgreSQL', () => openDatabase({ url: temp.url }));
