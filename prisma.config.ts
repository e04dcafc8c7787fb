// Prisma 7 CLI configuration: where the schema and migrations live. The app never reads this file; it
// opens connections through driver adapters (packages/db/src/open-database.ts). `generate` needs no
// database; `prisma migrate deploy` (on a machine that can fetch the engine) uses DATABASE_URL.
import { defineConfig } from 'prisma/config';

const url = process.env.DATABASE_URL;

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  ...(url ? { datasource: { url } } : {}),
});
