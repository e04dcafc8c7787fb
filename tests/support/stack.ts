import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedEnvSchema, parseEnv, type EmbeddedEnv } from '@biogate/config';
import { createLogger } from '@biogate/logger';
import { openInfrastructure, type Infrastructure } from '@biogate/runtime';
import { startWorker, type WorkerHandle } from '@biogate/worker';
import { startApi, type ApiHandle } from '../../apps/api/src/start.ts';
import { ensureDefaultTenant, resolveDefaultCredentials } from '../../apps/api/src/credentials.ts';

export interface Stack {
  url: string;
  apiKey: string;
  webhookSecret: string;
  env: EmbeddedEnv;
  infra: Infrastructure;
  api: ApiHandle;
  worker: WorkerHandle;
  /** fetch against the API with the default tenant's key. */
  request(path: string, init?: RequestInit & { key?: string | null }): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The whole product in this process, as `npm start` runs it: PGlite (or the PostgreSQL at `databaseUrl`),
 * a private redis-server child (or `redisUrl`), a worker with a real inference pool, and the HTTP API.
 */
export async function startStack(options: { databaseUrl?: string; redisUrl?: string; env?: Record<string, string> } = {}): Promise<Stack> {
  const dataDir = await mkdtemp(join(tmpdir(), 'biogate-stack-'));
  const env = parseEnv(EmbeddedEnvSchema, {
    BIOGATE_DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    INFERENCE_THREADS: '1',
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    ...options.env,
  });
  const logger = createLogger({ name: 'test', level: env.LOG_LEVEL });
  const infra = await openInfrastructure(env, logger);
  const creds = await resolveDefaultCredentials(dataDir, env);
  await ensureDefaultTenant(infra.repos, creds);
  const worker = await startWorker(infra, env, logger);
  const api = await startApi(infra, env, logger);
  return {
    url: api.url,
    apiKey: creds.apiKey,
    webhookSecret: creds.webhookSecret,
    env,
    infra,
    api,
    worker,
    request(path, init = {}) {
      const headers = new Headers(init.headers);
      const key = init.key === undefined ? creds.apiKey : init.key;
      if (key !== null && !headers.has('authorization')) headers.set('authorization', `Bearer ${key}`);
      return fetch(api.url + path, { ...init, headers });
    },
    async close() {
      await api.close();
      await worker.close();
      await infra.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
