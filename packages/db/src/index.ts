export { openDatabase, checkDatabase, type Database, type OpenDatabaseOptions } from './open-database.ts';
export {
  migrate,
  readMigrations,
  migrationChecksum,
  MigrationChecksumError,
  MigrationIncompleteError,
  DEFAULT_MIGRATIONS_DIR,
  type SqlSession,
  type MigrateOptions,
  type MigrationFile,
} from './migrate.ts';
export { withTransaction, type TransactionOptions } from './transaction.ts';
export { embeddingToBytes, bytesToEmbedding } from './embedding.ts';
export { isUniqueViolation, type DbClient } from './client.ts';
export type { PrismaClient } from './generated/client.ts';
export * from './repositories/index.ts';
