/**
 * Downloads optional models on a connected machine and checks their sha256 before moving them into place.
 *
 *   npm run models:fetch -- voice                      # CAM++ (3D-Speaker, VoxCeleb), the default neural voice engine
 *   npm run models:fetch -- voice wespeaker-resnet34   # or name specific models
 *
 * Files land in models/voice/<file> (git-ignored); the worker then accepts that engine name.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { NEURAL_MODELS, type NeuralModelSpec } from '../packages/inference/src/voice/neural-models.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

async function fetchOne(spec: NeuralModelSpec, modelsDir: string): Promise<void> {
  const target = join(modelsDir, 'voice', spec.file);
  if (existsSync(target) && sha256(target) === spec.sha256) {
    console.log(`[models:fetch] ${spec.name}: present, sha256 ok`);
    return;
  }
  mkdirSync(dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.part`;
  console.log(`[models:fetch] ${spec.name}: downloading ${spec.url}`);
  const res = await fetch(spec.url, { redirect: 'follow' });
  if (!res.ok || !res.body) throw new Error(`${spec.name}: HTTP ${res.status} from ${spec.url}`);
  const hash = createHash('sha256');
  const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
  body.on('data', (chunk: Buffer) => hash.update(chunk));
  try {
    await pipeline(body, createWriteStream(tmp));
    const got = hash.digest('hex');
    if (got !== spec.sha256) throw new Error(`${spec.name}: sha256 ${got}, expected ${spec.sha256}; the download was discarded`);
    renameSync(tmp, target);
  } finally {
    rmSync(tmp, { force: true });
  }
  console.log(`[models:fetch] ${spec.name}: ${target} (sha256 ok, licence: ${spec.licence})`);
}

async function main(): Promise<void> {
  const [group, ...names] = process.argv.slice(2);
  if (group !== 'voice') {
    console.error('usage: npm run models:fetch -- voice [campplus-voxceleb|wespeaker-resnet34 ...]');
    process.exit(2);
  }
  const wanted = names.length > 0 ? names : ['campplus-voxceleb'];
  for (const name of wanted) {
    const spec = NEURAL_MODELS[name];
    if (!spec) throw new Error(`unknown voice model "${name}"; known: ${Object.keys(NEURAL_MODELS).join(', ')}`);
    await fetchOne(spec, join(ROOT, 'models'));
  }
}

main().catch((err: unknown) => {
  console.error(`[models:fetch] ${(err as Error).message}`);
  process.exit(1);
});
