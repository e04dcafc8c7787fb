import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_MIGRATIONS_DIR,
  migrate,
  migrationChecksum,
  MigrationChecksumError,
  MigrationIncompleteError,
  readMigrations,
  type SqlSession,
} from './migrate.ts';
import { openDatabase } from './open-database.ts';

const session = (lite: PGlite): SqlSession => ({
  query: async <T>(sql: string, params?: unknown[]) => (await lite.query<T>(sql, params)).rows,
  exec: async (sql: string) => void (await lite.exec(sql)),
});

interface MigrationRow {
  id: string;
  migration_name: string;
  checksum: string;
  started_at: Date;
  finished_at: Date | null;
  applied_steps_count: number;
  logs: string | null;
  rolled_back_at: Date | null;
}

describe('migrate', () => {
  let lite: PGlite;
  let dir: string;
  // One PGlite for the block (starting one takes seconds); each test starts from an empty schema.
  beforeAll(async () => {
    lite = new PGlite();
    await lite.waitReady;
  });
  afterAll(async () => {
    await lite.close();
  });
  beforeEach(async () => {
    await lite.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    dir = await mkdtemp(join(tmpdir(), 'biogate-migrations-'));
    await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('applies the repository migrations once and records them as Prisma Migrate does', async () => {
    const files = await readMigrations();
    expect(files.length).toBeGreaterThan(0);
    expect(await migrate(session(lite))).toEqual(files.map((f) => f.name));
    expect(await migrate(session(lite))).toEqual([]);
    const rows = (await lite.query<MigrationRow>('SELECT * FROM "_prisma_migrations" ORDER BY migration_name')).rows;
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    for (const [i, row] of rows.entries()) {
      const bytes = await readFile(join(DEFAULT_MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(migrationChecksum(bytes));
      expect(row.checksum).toBe(files[i]!.checksum);
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.applied_steps_count).toBe(1);
      expect(row.logs).toBeNull();
      expect(row.rolled_back_at).toBeNull();
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    }
    const columns = (
      await lite.query<{ column_name: string; data_type: string }>(
        `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
      )
    ).rows;
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'character varying' },
      { column_name: 'checksum', data_type: 'character varying' },
      { column_name: 'finished_at', data_type: 'timestamp with time zone' },
      { column_name: 'migration_name', data_type: 'character varying' },
      { column_name: 'logs', data_type: 'text' },
      { column_name: 'rolled_back_at', data_type: 'timestamp with time zone' },
      { column_name: 'started_at', data_type: 'timestamp with time zone' },
      { column_name: 'applied_steps_count', data_type: 'integer' },
    ]);
  });

  it('applies only a migration added later', async () => {
    await migrate(session(lite), { migrationsDir: dir });
    await mkdir(join(dir, '29990101000000_later'));
    await writeFile(join(dir, '29990101000000_later', 'migration.sql'), 'CREATE TABLE "Later" ("id" TEXT NOT NULL);\n');
    expect(await migrate(session(lite), { migrationsDir: dir })).toEqual(['29990101000000_later']);
    expect((await lite.query('SELECT * FROM "Later"')).rows).toEqual([]);
  });

  it('refuses when an applied migration was edited', async () => {
    const [first] = await readMigrations(dir);
    await migrate(session(lite), { migrationsDir: dir });
    await writeFile(join(dir, first!.name, 'migration.sql'), first!.sql + '\n-- edited\n');
    const err = await migrate(session(lite), { migrationsDir: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationChecksumError);
    expect((err as MigrationChecksumError).migration).toBe(first!.name);
    expect((err as Error).message).toContain(first!.name);
  });

  it('rolls a failing migration back entirely and records nothing for it', async () => {
    await migrate(session(lite), { migrationsDir: dir });
    await mkdir(join(dir, '29990101000000_broken'));
    await writeFile(join(dir, '29990101000000_broken', 'migration.sql'), 'CREATE TABLE "Half" ("id" TEXT);\nSELECT no_such_function();\n');
    await expect(migrate(session(lite), { migrationsDir: dir })).rejects.toThrow(/29990101000000_broken failed/);
    const half = await lite.query(`SELECT to_regclass('"Half"') AS t`);
    expect(half.rows).toEqual([{ t: null }]);
    const rows = await lite.query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '29990101000000_broken'`);
    expect(rows.rows).toHaveLength(0);
    // The lock was released and the session is usable: fixing the file lets the next start apply it.
    await writeFile(join(dir, '29990101000000_broken', 'migration.sql'), 'CREATE TABLE "Half" ("id" TEXT);\n');
    expect(await migrate(session(lite), { migrationsDir: dir })).toEqual(['29990101000000_broken']);
  });

  it('refuses to run over a migration left unfinished by another tool', async () => {
    await migrate(session(lite), { migrationsDir: dir });
    await lite.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name) VALUES ('00000000-0000-0000-0000-000000000001', 'x', '29990101000000_stuck')`,
    );
    await expect(migrate(session(lite), { migrationsDir: dir })).rejects.toBeInstanceOf(MigrationIncompleteError);
  });
});

describe('openDatabase on PGlite', () => {
  it('persists in pgliteDir across reopenings and migrates once', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'biogate-pglite-'));
    try {
      const first = await openDatabase({ pgliteDir: join(dataDir, 'db') });
      expect(first.kind).toBe('pglite');
      await first.prisma.tenant.create({ data: { name: 'persisted', webhookSecret: 'whsec_x' } });
      await first.close();
      const second = await openDatabase({ pgliteDir: join(dataDir, 'db') });
      expect((await second.prisma.tenant.findUnique({ where: { name: 'persisted' } }))?.webhookSecret).toBe('whsec_x');
      const rows = await second.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "_prisma_migrations"`;
      expect(rows[0]?.n).toBe((await readMigrations()).length);
      await second.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
