/** sha256 checks of voice model files against models/manifest.json ("voice" entries) or a known hash. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelIntegrityError } from '../models.ts';

/** One voice entry of models/manifest.json. */
export interface VoiceManifestEntry {
  name: string;
  file: string;
  version: string;
  sha256: string;
  bytes?: number;
  source: string;
  licence: string;
  /** true for models fetched on demand (`npm run models:fetch -- voice`), absent from a fresh checkout. */
  optional?: boolean;
  url?: string;
}

/** Throws {@link ModelIntegrityError} when `path` is missing or its sha256 differs from `sha256`. */
export async function verifyFile(path: string, sha256: string, hint: string): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    throw new ModelIntegrityError(path, 'missing', `voice model file ${path} is missing: ${hint}`);
  }
  const got = createHash('sha256').update(bytes).digest('hex');
  if (got !== sha256) throw new ModelIntegrityError(path, 'altered', `voice model file ${path} has sha256 ${got}, expected ${sha256}`);
  return bytes;
}

/** The manifest's voice entries (empty when the manifest has none). */
export async function voiceManifest(modelsDir: string): Promise<VoiceManifestEntry[]> {
  const raw = JSON.parse(await readFile(join(modelsDir, 'manifest.json'), 'utf8')) as { voice?: VoiceManifestEntry[] };
  return raw.voice ?? [];
}
