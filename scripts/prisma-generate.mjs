#!/usr/bin/env node
// Generates the Prisma client into packages/db/src/generated (gitignored) from prisma/schema.prisma.
// The Prisma CLI wants its native schema engine for every command and cannot download it offline; generate
// never runs it, so any existing file satisfies the check (MODELS.md).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
let cli;
try {
  cli = join(dirname(require.resolve('prisma/package.json')), 'build', 'index.js');
} catch {
  console.error('prisma-generate: the prisma CLI (a devDependency) is not installed; run npm ci without --omit=dev');
  process.exit(1);
}

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;

execFileSync(process.execPath, [cli, 'generate', '--schema', join(root, 'prisma', 'schema.prisma')], {
  cwd: root,
  env,
  stdio: 'inherit',
});
