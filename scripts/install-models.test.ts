import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { installModels } from './install-models.mjs';

const repo = resolve(import.meta.dirname, '..');

describe('install-models', () => {
  const root = mkdtempSync(join(tmpdir(), 'biogate-install-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'models'));
  copyFileSync(join(repo, 'models', 'manifest.json'), join(root, 'models', 'manifest.json'));
  const manifest = JSON.parse(readFileSync(join(repo, 'models', 'manifest.json'), 'utf8')) as { models: { file: string }[] };
  // The repo's cache holds the npm tarball after the first install, so this runs offline.
  const opts = { root, cacheDir: join(repo, 'node_modules', '.cache', 'biogate'), log: () => {} };

  it('installs every model of the manifest, derived ones included', () => {
    const r = installModels(opts);
    expect(r.installed.sort()).toEqual(manifest.models.map((m) => m.file).sort());
  });

  it('does nothing the second time', () => {
    const r = installModels(opts);
    expect(r.installed).toEqual([]);
    expect(r.present).toHaveLength(manifest.models.length);
  });

  it('replaces an altered file and re-derives from it', () => {
    writeFileSync(join(root, 'models', 'fr_feature_fast.onnx'), 'not a model');
    const bytes = readFileSync(join(root, 'models', 'fr_eye.onnx'));
    bytes[100] = (bytes[100] ?? 0) ^ 1;
    writeFileSync(join(root, 'models', 'fr_eye.onnx'), bytes);
    expect(installModels(opts).installed.sort()).toEqual(['fr_eye.onnx', 'fr_feature_fast.onnx']);
  });

  it('refuses a manifest whose hash does not match the package', () => {
    const bad = JSON.parse(readFileSync(join(root, 'models', 'manifest.json'), 'utf8')) as { models: { file: string; sha256: string }[] };
    bad.models[0]!.sha256 = '0'.repeat(64);
    writeFileSync(join(root, 'models', 'manifest.json'), JSON.stringify(bad));
    expect(() => installModels(opts)).toThrow(new RegExp(`${bad.models[0]!.file}.*manifest says 0{64}`));
  });
});
