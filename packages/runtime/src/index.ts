import { resolve } from 'node:path';
import type { Redis } from 'ioredis';
import { openDatabase, createRepositories, type Database, type Repositories } from '@biogate/db';
import { createRedisConnection, startRedisServer, type RedisServerHandle } from '@biogate/queue';
import { createFileBlobStore, type BlobStore } from '@biogate/storage';
import { createEncryptedBlobStore, resolveKeyring } from '@biogate/storage/crypto';
import type { Logger } from '@biogate/logger';

export interface InfraEnv {
  BIOGATE_DATA_DIR: string;
  DATABASE_URL?: string | undefined;
  REDIS_URL?: string | undefined;
  BIOGATE_BLOB_DIR?: string | undefined;
  BIOGATE_ENCRYPTION_KEYS?: string | undefined;
}

/** Open handles to the shared engines; `close()` releases them in reverse order of opening. */
export interface Infrastructure {
  db: Database;
  repos: Repositories;
  blobs: BlobStore;
  redisUrl: string;
  /** `embedded` when PGlite and a child redis-server are in use. */
  mode: { database: 'postgres' | 'pglite'; redis: 'external' | 'child' };
  newRedis(role: 'worker' | 'producer'): Redis;
  close(): Promise<void>;
}

/**
 * Opens the database (PostgreSQL when DATABASE_URL is set, else PGlite under the data dir), Redis
 * (REDIS_URL, else a redis-server child with AOF under the data dir) and the blob store.
 */
export async function openInfrastructure(env: InfraEnv, log: Logger): Promise<Infrastructure> {
  const dataDir = resolve(env.BIOGATE_DATA_DIR);
  // Blobs are encrypted at rest; without a configured keyring one is generated once under the data dir.
  // Resolved first so a malformed BIOGATE_ENCRYPTION_KEYS stops startup before anything is opened.
  const keyring = await resolveKeyring({ configured: env.BIOGATE_ENCRYPTION_KEYS, dataDir, generate: true });
  if (!keyring) throw new Error('no encryption keyring');
  let redisChild: RedisServerHandle | undefined;
  let redisUrl = env.REDIS_URL;
  if (!redisUrl) {
    redisChild = await startRedisServer({ dataDir: resolve(dataDir, 'redis') });
    redisUrl = redisChild.url;
    log.info({ port: redisChild.port }, 'started embedded redis-server');
  }
  let db: Database;
  try {
    db = env.DATABASE_URL
      ? await openDatabase({ url: env.DATABASE_URL })
      : await openDatabase({ pgliteDir: resolve(dataDir, 'pglite') });
  } catch (err) {
    await redisChild?.stop();
    throw err;
  }
  log.info({ database: db.kind }, 'database ready');
  if (!env.BIOGATE_ENCRYPTION_KEYS && env.DATABASE_URL) {
    log.warn('BIOGATE_ENCRYPTION_KEYS is not set: using the key kept in the data dir; every process sharing the blob dir must share it');
  }
  const connections: Redis[] = [];
  return {
    db,
    repos: createRepositories(db.prisma),
    blobs: createEncryptedBlobStore(createFileBlobStore(env.BIOGATE_BLOB_DIR ?? resolve(dataDir, 'blobs')), keyring),
    redisUrl,
    mode: { database: db.kind, redis: redisChild ? 'child' : 'external' },
    newRedis(role) {
      const conn = createRedisConnection(redisUrl, role);
      connections.push(conn);
      return conn;
    },
    async close() {
      await Promise.allSettled(connections.map((c) => c.quit().catch(() => c.disconnect())));
      await db.close();
      await redisChild?.stop();
    },
  };
}
export { onShutdown } from './shutdown.ts';
export { eraseBlob, deleteStoredBytes, imageAndCrops, imageUsers, type ImageUsers } from './erase.ts';
