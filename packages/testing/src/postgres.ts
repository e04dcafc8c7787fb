import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL the integration tests use unless `TEST_DATABASE_URL` names another. */
export const DEFAULT_TEST_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/test';

export interface TempDatabaseOptions {
  /**
   * Server to create the database on (its database part is only used to connect for CREATE/DROP).
   * @defaultValue `process.env.TEST_DATABASE_URL`, else {@link DEFAULT_TEST_DATABASE_URL}
   */
  baseUrl?: string;
  /**
   * Prefix of the generated name.
   * @defaultValue 'biogate_test'
   */
  prefix?: string;
}

export interface TempDatabase {
  /** Connection string of the new, empty database. */
  url: string;
  name: string;
  /** Drops the database, closing whatever connections are still open to it. */
  drop(): Promise<void>;
}

/** The test database server's URL (`TEST_DATABASE_URL` or the default). */
export function testDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
}

/**
 * Creates a fresh database with a random name so test files running in parallel never share tables.
 * Call `drop()` in `afterAll`.
 */
export async function createTempDatabase(options: TempDatabaseOptions = {}): Promise<TempDatabase> {
  const baseUrl = options.baseUrl ?? testDatabaseUrl();
  const name = `${options.prefix ?? 'biogate_test'}_${randomBytes(6).toString('hex')}`;
  await withAdmin(baseUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => withAdmin(baseUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
