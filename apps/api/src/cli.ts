/**
 * Tenant and API-key management from the shell, against the configured database:
 *   npm run admin -- tenant create <name>
 *   npm run admin -- tenant list
 *   npm run admin -- key create <tenantId> [label]
 *   npm run admin -- key list <tenantId>
 *   npm run admin -- key revoke <keyId>
 * With embedded PGlite, stop `npm start` first (PGlite is single-process) or use the /admin HTTP API.
 */
import { resolve } from 'node:path';
import { openDatabase, createRepositories } from '@biogate/db';
import { generateWebhookSecret } from '@biogate/webhooks';
import { loadApiEnv } from './env.ts';
import { createApiKey, hashApiKey } from './plugins/auth.ts';

const USAGE = `usage:
  npm run admin -- tenant create <name>
  npm run admin -- tenant list
  npm run admin -- key create <tenantId> [label]
  npm run admin -- key list <tenantId>
  npm run admin -- key revoke <keyId>`;

async function main(argv: string[]): Promise<number> {
  const [resource, verb, arg, label] = argv;
  if (!resource || !verb) {
    process.stderr.write(USAGE + '\n');
    return 2;
  }
  const env = loadApiEnv();
  const db = env.DATABASE_URL
    ? await openDatabase({ url: env.DATABASE_URL })
    : await openDatabase({ pgliteDir: resolve(env.BIOGATE_DATA_DIR, 'pglite') });
  const repos = createRepositories(db.prisma);
  const print = (value: unknown) => process.stdout.write(JSON.stringify(value, null, 2) + '\n');
  try {
    if (resource === 'tenant' && verb === 'create' && arg) {
      const apiKey = createApiKey();
      const webhookSecret = generateWebhookSecret();
      const created = await repos.tenants.create({
        name: arg,
        webhookSecret,
        apiKeyHash: hashApiKey(apiKey),
        prefix: apiKey.slice(0, 8),
        label: 'initial',
      });
      print({ tenant_id: created.tenant.id, name: arg, api_key: apiKey, webhook_secret: webhookSecret });
      process.stderr.write('the API key is shown once; only its hash is stored\n');
    } else if (resource === 'tenant' && verb === 'list') {
      print((await repos.tenants.list()).map((t) => ({ tenant_id: t.id, name: t.name })));
    } else if (resource === 'key' && verb === 'create' && arg) {
      const apiKey = createApiKey();
      const key = await repos.tenants.addKey(arg, { keyHash: hashApiKey(apiKey), prefix: apiKey.slice(0, 8), label: label ?? '' });
      if (!key) throw new Error(`no tenant ${arg}`);
      print({ api_key_id: key.id, api_key: apiKey });
    } else if (resource === 'key' && verb === 'list' && arg) {
      print((await repos.tenants.listKeys(arg)).map((k) => ({ api_key_id: k.id, prefix: k.prefix, label: k.label, revoked_at: k.revokedAt })));
    } else if (resource === 'key' && verb === 'revoke' && arg) {
      if (!(await repos.tenants.revokeKey(arg))) throw new Error(`no active key ${arg}`);
      print({ api_key_id: arg, revoked: true });
    } else {
      process.stderr.write(USAGE + '\n');
      return 2;
    }
    return 0;
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await db.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
