// Prisma 7 CLI configuration: where the schema and migrations live. The app never reads this file;
// it opens connections through driver adapters (packages/db/src/open-database.ts).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/biogate' },
});
