import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import pg from 'pg';
import { PrismaClient } from './generated/client.ts';
import { migrate, type SqlSession } from './migrate.ts';

type PGliteForAdapter = ConstructorParameters<typeof PrismaPGlite>[0];

export interface OpenDatabaseOptions {
  /** PostgreSQL connection string; when set, PostgreSQL is used through `@prisma/adapter-pg`. */
  url?: string | undefined;
  /**
   * Folder where PGlite keeps its data when `url` is unset.
   * @defaultValue undefined: an in-memory PGlite (lost on close)
   */
  pgliteDir?: string | undefined;
  /**
   * Migrations folder.
   * @defaultValue the repository's `prisma/migrations`
   */
  migrationsDir?: string | undefined;
  /**
   * Maximum connections in the PostgreSQL pool.
   * @defaultValue 10
   */
  poolSize?: number | undefined;
}

/** An open, migrated database. In embedded mode the API and the worker share one (PGlite is single-connection). */
export interface Database {
  prisma: PrismaClient;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

/** Opens PostgreSQL (`url`) or PGlite (`pgliteDir`, else in memory), applies pending migrations, returns a client. */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  const migrateOptions = options.migrationsDir ? { migrationsDir: options.migrationsDir } : {};
  if (options.url) {
    const client = new pg.Client({ connectionString: options.url });
    // A dropped connection also rejects the pending query; without a listener it would crash the process.
    client.on('error', () => {});
    await client.connect();
    try {
      await migrate(pgSession(client), migrateOptions);
    } finally {
      await client.end();
    }
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: options.url, max: options.poolSize ?? 10 }) });
    return { prisma, kind: 'postgres', close: () => prisma.$disconnect() };
  }
  if (options.pgliteDir) await mkdir(options.pgliteDir, { recursive: true });
  const lite = options.pgliteDir ? new PGlite(options.pgliteDir) : new PGlite();
  try {
    await lite.waitReady;
    await migrate(pgliteSession(lite), migrateOptions);
  } catch (err) {
    await lite.close();
    throw err;
  }
  // The adapter's types resolve another hoisted copy of PGlite; it only calls the public query API.
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(lite as unknown as PGliteForAdapter) });
  return {
    prisma,
    kind: 'pglite',
    async close() {
      await prisma.$disconnect();
      if (!lite.closed) await lite.close();
    },
  };
}

/** A cheap round trip for health checks; rejects when the database is unreachable. */
export async function checkDatabase(db: Pick<Database, 'prisma'>): Promise<void> {
  await db.prisma.$queryRaw`SELECT 1`;
}

function pgSession(client: pg.Client): SqlSession {
  return {
    async query<T>(sql: string, params: unknown[] = []) {
      const res = await client.query(sql, params);
      return res.rows as T[];
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  };
}

function pgliteSession(lite: PGlite): SqlSession {
  return {
    async query<T>(sql: string, params: unknown[] = []) {
      const res = await lite.query<T>(sql, params);
      return res.rows;
    },
    async exec(sql: string) {
      await lite.exec(sql);
    },
  };
}
