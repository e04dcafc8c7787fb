import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODELS_DIR, ModelIntegrityError, readManifest, verifyModels } from './models.ts';

describe('verifyModels', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  async function copyOfModels(): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), 'biogate-models-'));
    dirs.push(dir);
    const manifest = await readManifest(DEFAULT_MODELS_DIR);
    copyFileSync(join(DEFAULT_MODELS_DIR, 'manifest.json'), join(dir, 'manifest.json'));
    for (const m of manifest.models) copyFileSync(join(DEFAULT_MODELS_DIR, m.file), join(dir, m.file));
    return dir;
  }

  it('accepts the installed models', async () => {
    const manifest = await verifyModels(DEFAULT_MODELS_DIR);
    expect(manifest.models.map((m) => m.name)).toContain('fr_feature');
  });

  it('names a missing file', async () => {
    const dir = await copyOfModels();
    rmSync(join(dir, 'fr_landmark.onnx'));
    await expect(verifyModels(dir)).rejects.toSatisfy(
      (e) => e instanceof ModelIntegrityError && e.reason === 'missing' && e.message.includes('fr_landmark.onnx'),
    );
  });

  it('names an altered file', async () => {
    const dir = await copyOfModels();
    const path = join(dir, 'fr_eye.onnx');
    const bytes = readFileSync(path);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 0xff;
    writeFileSync(path, bytes);
    await expect(verifyModels(dir)).rejects.toSatisfy(
      (e) => e instanceof ModelIntegrityError && e.reason === 'altered' && e.message.includes('fr_eye.onnx'),
    );
  });
});
