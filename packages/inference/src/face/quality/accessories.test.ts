/**
 * Glasses and hand cues on constructed cases (glasses drawn along the eye line, a hand cut from real cheek skin)
 * over real photos whose clean verdict passes; the full counts are in docs/quality.md (accessories-report.ts).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaceAnalysis } from '@biogate/contracts';
import { sampleMedia } from '@biogate/testing';
import { DEFAULT_MODELS_DIR } from '../../models.ts';
import { analyzeImage } from '../analyze.ts';
import { FaceModels } from '../face-models.ts';
import { decodeImage } from '../image.ts';
import { GLASSES_KINDS, drawGlasses, pasteHand } from './constructed-accessories.ts';
import { occlusionStats } from './occlusion.ts';
import { QUALITY_STAGES } from './quality.stage.ts';

const media = sampleMedia();
const models = new FaceModels({ modelsDir: DEFAULT_MODELS_DIR });
afterAll(() => models.release());
const analyze = async (bytes: Uint8Array): Promise<FaceAnalysis> => (await analyzeImage({ models, stages: QUALITY_STAGES }, bytes, { quality: true })).analysis;
const kind = (name: string) => GLASSES_KINDS.find((k) => k.name === name)!;

describe('constructed accessories', () => {
  const clean = new Map<string, { bytes: Buffer; analysis: FaceAnalysis }>();
  beforeAll(async () => {
    for (const n of ['bieber_small.jpg', 'cage.jpg'] as const) {
      const bytes = readFileSync(media.photos[n]);
      clean.set(n, { bytes, analysis: await analyze(bytes) });
    }
  });

  it('the clean photos pass with no accessory', () => {
    for (const [n, { analysis }] of clean) {
      expect(analysis.verdict!.passed, n).toBe(true);
      const o = analysis.faces[0]!.occlusion!;
      expect([o.glasses, o.hand], n).toEqual([false, false]);
    }
  });

  it('finds drawn glasses, dark and grey-metal rims, and rejects the photo as wearing accessories', async () => {
    const { bytes, analysis } = clean.get('bieber_small.jpg')!;
    for (const k of ['thin black metal', 'thin silver metal', 'thick dark plastic']) {
      const a = await analyze(await drawGlasses(bytes, analysis.width, analysis.height, analysis.faces[0]!, kind(k)));
      expect(a.faces[0]!.occlusion!.glasses, k).toBe(true);
      expect(a.verdict!.reasons, k).toContain('wearing_acessories');
    }
  });

  it('sees a grey rim in chroma, not in luma (it has the skin brightness)', async () => {
    const { bytes, analysis } = clean.get('bieber_small.jpg')!;
    const drawn = await drawGlasses(bytes, analysis.width, analysis.height, analysis.faces[0]!, kind('thin silver metal'));
    const face = (await analyze(drawn)).faces[0]!;
    const rims = occlusionStats(await decodeImage(drawn), face.box, face.landmarks68).rims;
    const before = occlusionStats(await decodeImage(bytes), analysis.faces[0]!.box, analysis.faces[0]!.landmarks68).rims;
    expect(Math.min(rims.chromaLeft, rims.chromaRight)).toBeGreaterThan(2 * Math.max(before.chromaLeft, before.chromaRight));
  });

  it('finds a hand of skin over the mouth', async () => {
    const { bytes, analysis } = clean.get('cage.jpg')!;
    const face = analysis.faces[0]!;
    const a = await analyze(await pasteHand(bytes, analysis.width, analysis.height, face, bytes, face, 'mouth'));
    expect(a.faces[0]!.occlusion!.hand).toBe(true);
    expect(a.verdict!.reasons).toContain('wearing_acessories');
  });
});
