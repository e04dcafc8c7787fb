/**
 * Model files and their integrity: models/manifest.json lists each file's sha256; a missing or altered file
 * stops startup with a {@link ModelIntegrityError} naming it. Hashes are computed once per process and directory.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ModelEntry {
  name: string;
  file: string;
  version: string;
  sha256: string;
  input: { name: string; shape: number[] };
  outputs: string[];
}

export interface ModelManifest {
  source: { package: string; version: string; licence: string; provenance: string };
  models: ModelEntry[];
}

/** The repo's models/ directory (default when no directory is configured). */
export const DEFAULT_MODELS_DIR = resolve(fileURLToPath(new URL('../../../models/', import.meta.url)));

export class ModelIntegrityError extends Error {
  readonly file: string;
  readonly reason: 'missing' | 'altered' | 'manifest';
  constructor(file: string, reason: 'missing' | 'altered' | 'manifest', message: string) {
    super(message);
    this.name = 'ModelIntegrityError';
    this.file = file;
    this.reason = reason;
  }
}

const verified = new Map<string, Promise<ModelManifest>>();

export async function readManifest(modelsDir: string): Promise<ModelManifest> {
  const path = join(modelsDir, 'manifest.json');
  try {
    return JSON.parse(await readFile(path, 'utf8')) as ModelManifest;
  } catch (err) {
    throw new ModelIntegrityError(path, 'manifest', `cannot read model manifest ${path}: ${(err as Error).message}`);
  }
}

function sha256File(path: string): Promise<string> {
  return new Promise((ok, fail) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => ok(hash.digest('hex')))
      .on('error', fail);
  });
}

async function verifyUncached(modelsDir: string): Promise<ModelManifest> {
  const manifest = await readManifest(modelsDir);
  for (const m of manifest.models) {
    const path = join(modelsDir, m.file);
    try {
      await stat(path);
    } catch {
      throw new ModelIntegrityError(path, 'missing', `model file ${path} is missing: run "node scripts/install-models.mjs"`);
    }
    const got = await sha256File(path);
    if (got !== m.sha256) {
      throw new ModelIntegrityError(path, 'altered', `model file ${path} has sha256 ${got}, manifest expects ${m.sha256}`);
    }
  }
  return manifest;
}

/**
 * Checks every model of the manifest in `modelsDir` against its sha256. Cached per process: a second call
 * returns the first result (a failure is not cached, so a fixed directory can be re-checked).
 */
export function verifyModels(modelsDir: string = DEFAULT_MODELS_DIR): Promise<ModelManifest> {
  const key = resolve(modelsDir);
  let pending = verified.get(key);
  if (!pending) {
    pending = verifyUncached(key);
    verified.set(key, pending);
    pending.catch(() => verified.delete(key));
  }
  return pending;
}
