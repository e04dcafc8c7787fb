/**
 * Cluster-mode API process: `npm run start:api` with DATABASE_URL and REDIS_URL pointing at shared engines.
 * Runs no inference; any number of these can run behind a load balancer.
 */
import { createLogger } from '@biogate/logger';
import { onShutdown, openInfrastructure } from '@biogate/runtime';
import { loadApiEnv } from './env.ts';
import { startApi } from './start.ts';
import { ensureDefaultTenant, resolveDefaultCredentials } from './credentials.ts';

const env = loadApiEnv();
const logger = createLogger({ name: 'api', level: env.LOG_LEVEL });
const infra = await openInfrastructure(env, logger);
if (env.BIOGATE_API_KEY) {
  await ensureDefaultTenant(infra.repos, await resolveDefaultCredentials(env.BIOGATE_DATA_DIR, env));
}
const api = await startApi(infra, env, logger);
logger.info({ url: api.url, database: infra.mode.database, redis: infra.mode.redis }, 'biogate api listening');
onShutdown(logger, async () => {
  await api.close();
  await infra.close();
});
