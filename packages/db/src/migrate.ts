import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's migrations folder (`prisma/migrations` at the root). */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../../prisma/migrations', import.meta.url));

// The key Prisma Migrate itself locks, so this migrator and `prisma migrate deploy` never run at once.
const ADVISORY_LOCK_KEY = 72707369;

/** One database session: the migrator needs a single connection so the advisory lock and BEGIN/COMMIT hold. */
export interface SqlSession {
  /** Runs one parameterised statement and returns its rows. */
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script of several statements without parameters. */
  exec(sql: string): Promise<void>;
}

export interface MigrateOptions {
  /**
   * Folder holding `<timestamp>_<name>/migration.sql` entries, applied in name order.
   * @defaultValue the repository's `prisma/migrations`
   */
  migrationsDir?: string;
}

export interface MigrationFile {
  name: string;
  sql: string;
  /** sha256 hex of the file's bytes, as Prisma Migrate records it. */
  checksum: string;
}

/** An applied migration's file no longer matches what was applied. */
export class MigrationChecksumError extends Error {
  override readonly name = 'MigrationChecksumError';
  constructor(readonly migration: string) {
    super(`migration ${migration} was modified after it was applied (checksum differs); restore the file or add a new migration`);
  }
}

/** A migration is recorded as started but not finished (left by a failed `prisma migrate deploy`). */
export class MigrationIncompleteError extends Error {
  override readonly name = 'MigrationIncompleteError';
  constructor(readonly migration: string) {
    super(`migration ${migration} is recorded as started but never finished; resolve it with prisma migrate resolve`);
  }
}

// Prisma Migrate's own bookkeeping table, column for column.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export function migrationChecksum(sql: Buffer | string): string {
  return createHash('sha256').update(sql).digest('hex');
}

/** Reads the migrations folder in apply order. */
export async function readMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const files: MigrationFile[] = [];
  for (const name of names) {
    const bytes = await readFile(join(dir, name, 'migration.sql'));
    files.push({ name, sql: bytes.toString('utf8'), checksum: migrationChecksum(bytes) });
  }
  return files;
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | string | null;
  rolled_back_at: Date | string | null;
}

/**
 * Applies pending migrations, each in its own transaction, under Prisma's advisory lock (several processes
 * may start at once), recording them in `_prisma_migrations` as Prisma Migrate does. Returns the names applied.
 */
export async function migrate(session: SqlSession, options: MigrateOptions = {}): Promise<string[]> {
  const files = await readMigrations(options.migrationsDir);
  await session.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
  try {
    await session.exec(CREATE_MIGRATIONS_TABLE);
    const rows = await session.query<AppliedRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
    );
    const applied = new Map<string, AppliedRow>();
    for (const row of rows) {
      if (row.rolled_back_at !== null) continue;
      if (row.finished_at === null) throw new MigrationIncompleteError(row.migration_name);
      applied.set(row.migration_name, row);
    }
    const done: string[] = [];
    for (const file of files) {
      const row = applied.get(file.name);
      if (row) {
        if (row.checksum !== file.checksum) throw new MigrationChecksumError(file.name);
        continue;
      }
      await applyOne(session, file);
      done.push(file.name);
    }
    return done;
  } finally {
    await session.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]);
  }
}

async function applyOne(session: SqlSession, file: MigrationFile): Promise<void> {
  const id = randomUUID();
  await session.exec('BEGIN');
  try {
    await session.query(
      'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
      [id, file.checksum, file.name],
    );
    await session.exec(file.sql);
    // clock_timestamp(): now() is frozen at the transaction start, which would make finished_at == started_at.
    await session.query(
      'UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1',
      [id],
    );
    await session.exec('COMMIT');
  } catch (err) {
    await session.exec('ROLLBACK');
    throw new Error(`migration ${file.name} failed and was rolled back: ${(err as Error).message}`, { cause: err });
  }
}
