/**
 * `npm start`: everything in one process with no configuration. PGlite under the data dir (unless
 * DATABASE_URL), a redis-server child with AOF under the data dir (unless REDIS_URL), blobs on local
 * disk, the API and a worker. Prints the URL and the API key.
 */
import { createLogger } from '@biogate/logger';
import { onShutdown, openInfrastructure } from '@biogate/runtime';
import { startWorker } from '@biogate/worker';
import { loadEmbeddedEnv } from './env.ts';
import { startApi } from './start.ts';
import { ensureDefaultTenant, resolveDefaultCredentials } from './credentials.ts';

const env = loadEmbeddedEnv();
const logger = createLogger({ name: 'biogate', level: env.LOG_LEVEL });
const infra = await openInfrastructure(env, logger);
const creds = await resolveDefaultCredentials(env.BIOGATE_DATA_DIR, env);
await ensureDefaultTenant(infra.repos, creds);
const worker = await startWorker(infra, env, logger);
const api = await startApi(infra, env, logger);

process.stdout.write(
  [
    '',
    `  biogate is running at ${api.url}`,
    // A key the operator chose (BIOGATE_API_KEY) is not echoed; a generated one must be shown once to be usable.
    creds.generated || !env.BIOGATE_API_KEY
      ? `  API key:  ${creds.apiKey}   (kept in ${env.BIOGATE_DATA_DIR}/credentials.json)`
      : '  API key:  the one in BIOGATE_API_KEY',
    `  database: ${infra.mode.database}   redis: ${infra.mode.redis}   inference threads: ${worker.threads}`,
    `  try:      curl ${api.url}/health`,
    '',
  ].join('\n') + '\n',
);

onShutdown(logger, async () => {
  await api.close();
  await worker.close();
  await infra.close();
});
