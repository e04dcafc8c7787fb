import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, startRedisServer, type RedisServerHandle } from '@biogate/queue';
import { generateKeyringValue } from '@biogate/storage/crypto';
import { startProcess, type ManagedProcess } from './processes.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

const run = promisify(execFile);

/**
 * Biogate as a cluster of real processes: one API (`apps/api/src/server.ts`) and N workers
 * (`apps/worker/src/main.ts`) over a fresh PostgreSQL database reached through a cuttable TCP proxy,
 * a private redis-server with AOF, and a shared blob directory.
 */
export interface Cluster {
  apiUrl: string;
  apiKey: string;
  /** Env every process gets. */
  env: Record<string, string>;
  redis: RedisServerHandle;
  proxy: TcpProxy;
  api: ManagedProcess;
  workers: ManagedProcess[];
  startWorker(name?: string): Promise<ManagedProcess>;
  /**
   * Restarts redis-server on the same port and data dir (it replays its AOF); `wipe` deletes the data dir
   * first, as a lost disk or a flushed instance would.
   */
  restartRedis(options?: { wipe?: boolean }): Promise<void>;
  request(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export interface ClusterOptions {
  /** An admin URL of the PostgreSQL server; a fresh database is created on it and dropped at close. */
  databaseUrl: string;
  workers: number;
  /** Extra env for every process. */
  env?: Record<string, string>;
  /** Extra env for the API only. */
  apiEnv?: Record<string, string>;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const dir = await mkdtemp(join(tmpdir(), 'biogate-cluster-'));
  const admin = new URL(options.databaseUrl);
  const dbName = `biogate_faults_${randomBytes(4).toString('hex')}`;
  await run('psql', [options.databaseUrl, '-v', 'ON_ERROR_STOP=1', '-qc', `CREATE DATABASE ${dbName}`]);
  const proxy = await startTcpProxy({ host: admin.hostname, port: Number(admin.port || 5432) });
  const dbUrl = new URL(options.databaseUrl);
  dbUrl.hostname = '127.0.0.1';
  dbUrl.port = String(proxy.port);
  dbUrl.pathname = `/${dbName}`;
  let redis = await startRedisServer({ dataDir: join(dir, 'redis') });
  const apiKey = `bg_${randomBytes(32).toString('base64url')}`;
  const env: Record<string, string> = {
    DATABASE_URL: dbUrl.toString(),
    REDIS_URL: redis.url,
    BIOGATE_DATA_DIR: join(dir, 'data'),
    BIOGATE_BLOB_DIR: join(dir, 'blobs'),
    BIOGATE_ENCRYPTION_KEYS: generateKeyringValue('test'),
    LOG_LEVEL: 'info',
    INFERENCE_THREADS: '1',
    ...options.env,
  };
  const port = await freePort();
  const api = startProcess('api', 'apps/api/src/server.ts', {
    ...env,
    PORT: String(port),
    HOST: '127.0.0.1',
    BIOGATE_API_KEY: apiKey,
    ...options.apiEnv,
  });
  const workers: ManagedProcess[] = [];
  const cluster: Cluster = {
    apiUrl: `http://127.0.0.1:${port}`,
    apiKey,
    env,
    get redis() {
      return redis;
    },
    proxy,
    api,
    workers,
    async startWorker(name = `worker-${workers.length + 1}`) {
      const worker = startProcess(name, 'apps/worker/src/main.ts', env);
      workers.push(worker);
      await worker.waitForLog(/^worker ready$/);
      return worker;
    },
    async restartRedis(restart = {}) {
      if (restart.wipe) await rm(join(dir, 'redis'), { recursive: true, force: true });
      redis = await startRedisServer({ dataDir: join(dir, 'redis'), port: redis.port });
    },
    request(path, init = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has('authorization')) headers.set('authorization', `Bearer ${apiKey}`);
      return fetch(cluster.apiUrl + path, { ...init, headers });
    },
    async close() {
      await Promise.allSettled([api.stop('SIGKILL'), ...workers.map((w) => w.stop('SIGKILL'))]);
      await redis.kill().catch(() => undefined);
      await proxy.close();
      await run('psql', [options.databaseUrl, '-qc', `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`]).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  try {
    // The API applies migrations; workers start after it so they never race it.
    await api.waitForLog(/^biogate api listening$/);
    for (let i = 0; i < options.workers; i++) await cluster.startWorker();
  } catch (err) {
    await cluster.close();
    throw err;
  }
  return cluster;
}
