/**
 * The quality models on real photos: pose (mirror consistency, roll follows an in-plane rotation), eyes,
 * liveness reliability, age and gender; the seed 003/004 mappers on real analyses.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import type { FaceAnalysis } from '@biogate/contracts';
import { debianPhoto, missingDebianMedia, sampleMedia } from '@biogate/testing';
import { DEFAULT_MODELS_DIR } from '../../models.ts';
import { analyzeImage } from '../analyze.ts';
import { FaceModels } from '../face-models.ts';
import { decodeImage } from '../image.ts';
import { modelPose } from './pose.ts';
import { QUALITY_STAGES } from './quality.stage.ts';
import { seed003Face, seed004Error, seed004Face } from './seed-mappers.ts';

const media = sampleMedia();
const models = new FaceModels({ modelsDir: DEFAULT_MODELS_DIR });
afterAll(() => models.release());

const all = { quality: true, liveness: true, attributes: true };
const analyze = async (bytes: Uint8Array, opts: Record<string, boolean> = all): Promise<FaceAnalysis> =>
  (await analyzeImage({ models, stages: QUALITY_STAGES }, bytes, opts)).analysis;
const photo = (n: keyof typeof media.photos) => readFileSync(media.photos[n]);

describe('pose', () => {
  it('mirrors: yaw and roll change sign on a flipped photo (within the model error)', async () => {
    for (const n of ['audrey.jpg', 'SeanConnery.jpg', 'bieber_small.jpg'] as const) {
      const bytes = photo(n);
      const a = (await analyze(bytes, { quality: true })).faces[0]!;
      const b = (await analyze(await sharp(bytes).flop().jpeg().toBuffer(), { quality: true })).faces[0]!;
      expect(Math.abs(a.pose!.yaw + b.pose!.yaw), n).toBeLessThan(8);
      expect(Math.abs(a.pose!.roll + b.pose!.roll), n).toBeLessThan(3);
    }
  });

  it("the model's roll agrees with the eye line within a few degrees", async () => {
    const f = (await analyze(photo('bieber_small.jpg'), { quality: true })).faces[0]!;
    const cross = f.quality!.crossCheck as { modelRoll: number };
    expect(Math.abs(cross.modelRoll - f.pose!.roll)).toBeLessThan(4);
    const img = await decodeImage(photo('bieber_small.jpg'));
    const p = await modelPose(await models.session('fr_pose'), img, f.box);
    expect(p.roll).toBeCloseTo(cross.modelRoll, 1);
  });
});

describe('liveness', () => {
  const skip = missingDebianMedia('astronaut');
  it.skipIf(skip)('scores a face whose 2.7x context fits, live', async () => {
    const f = (await analyze(readFileSync(debianPhoto('astronaut')), { liveness: true })).faces[0]!;
    expect(f.liveness!.reliable).toBe(true);
    expect(f.liveness!.contextScale).toBeCloseTo(2.7, 5);
    expect(f.liveness!.score!).toBeGreaterThan(0.5);
  });

  it('returns no score when the context does not fit in the image', async () => {
    const f = (await analyze(photo('obama4_crop.jpg'), { liveness: true })).faces[0]!;
    expect(f.liveness).toMatchObject({ score: null, live: null, reliable: false, reason: 'context_out_of_frame' });
    expect(f.liveness!.contextScale!).toBeLessThan(2.4);
  });
});

describe('colour and whole-image metrics', () => {
  it('a grey or strongly tinted photo reads as colour-degraded, the original does not', async () => {
    const bytes = photo('audrey.jpg');
    const clean = await analyze(bytes, { quality: true });
    const grey = await analyze(await sharp(bytes).greyscale().toColourspace('srgb').jpeg().toBuffer(), { quality: true });
    const tint = await analyze(await sharp(bytes).tint({ r: 60, g: 120, b: 255 }).jpeg().toBuffer(), { quality: true });
    expect(clean.faces[0]!.metrics!.colorDegradation).toBeLessThan(0.2);
    expect(grey.faces[0]!.metrics!.colorDegradation).toBeGreaterThan(0.6);
    expect(grey.imageMetrics!.colorDegradation).toBeGreaterThan(0.6);
    expect(tint.faces[0]!.metrics!.colorDegradation).toBeGreaterThan(0.6);
    expect(Math.abs(grey.faces[0]!.metrics!.brightness - clean.faces[0]!.metrics!.brightness)).toBeLessThan(0.1);
  });

  it('whole-image metrics follow a global darkening', async () => {
    const bytes = photo('bieber_small.jpg');
    const clean = await analyze(bytes, { quality: true });
    const dark = await analyze(await sharp(bytes).linear(0.25, 0).jpeg().toBuffer(), { quality: true });
    expect(dark.imageMetrics!.brightness).toBeLessThan(clean.imageMetrics!.brightness - 0.4);
    expect(dark.imageMetrics!.underexposure).toBeGreaterThan(clean.imageMetrics!.underexposure + 0.2);
  });
});

describe('accessories on real photos', () => {
  it('finds the sunglasses (terminator_crop), the clear glasses and the hat (walter2_crop)', async () => {
    const t = (await analyze(photo('terminator_crop.jpg'), { quality: true })).faces[0]!.occlusion!;
    expect(t.sunglasses).toBe(true);
    expect(t.mask).toBe(false);
    const w = (await analyze(photo('walter2_crop.jpg'), { quality: true })).faces[0]!.occlusion!;
    expect(w.hat).toBe(true);
    expect(w.glasses).toBe(true);
    expect(w.sunglasses).toBe(false);
  });

  it.skipIf(missingDebianMedia('graceHopper'))('finds the clear glasses of grace_hopper', async () => {
    const o = (await analyze(readFileSync(debianPhoto('graceHopper')), { quality: true })).faces[0]!.occlusion!;
    expect([o.glasses, o.sunglasses, o.hand]).toEqual([true, false, false]);
  });

  it('flags nothing on bare faces', async () => {
    const bare = ['audrey.jpg', 'SeanConnery.jpg', 'cage.jpg', 'kim1_crop.jpg', 'ri_1_crop.jpg', 'queen20_crop.jpg', 'obama4_crop.jpg'] as const;
    for (const n of bare) {
      const o = (await analyze(photo(n), { quality: true })).faces[0]!.occlusion!;
      expect([o.glasses, o.sunglasses, o.mask, o.hat, o.hand], n).toEqual([false, false, false, false, false]);
      expect(o.regions!.total, n).toBeGreaterThan(0.8);
    }
  });
});

describe('age and gender', () => {
  it('reads the franck frames as an adult man', async () => {
    let male = 0;
    for (const p of media.franck.slice(0, 5)) {
      const at = (await analyze(readFileSync(p), { attributes: true })).faces[0]!.attributes!;
      expect(at.age!).toBeGreaterThan(18);
      expect(at.age!).toBeLessThan(65);
      if (at.gender === 'male') male++;
    }
    expect(male).toBeGreaterThanOrEqual(4);
  });
});

describe('seed mappers on real analyses', () => {
  it('seed 003 fields are in their documented ranges for every face', async () => {
    const a = await analyze(photo('audrey.jpg'));
    const s = seed003Face(a.faces[0]!);
    expect(s.rect.right).toBeGreaterThan(s.rect.left);
    for (const v of [s.distance2center, s.size, s.sharpness, s.mouth_open, s.integrity, ...Object.values(s.occlusion!)]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(Math.abs(s.brightness!)).toBeLessThanOrEqual(1);
    expect(s.mouth_open!).toBeGreaterThan(0.5);
    expect(s.pose).not.toBeNull();
  });

  it('seed 004: a clean photo with context has no error and a liveness score', async () => {
    const skip = missingDebianMedia('astronaut');
    if (skip) return;
    const a = await analyze(readFileSync(debianPhoto('astronaut')));
    expect(seed004Error(a)).toBeNull();
    const f = seed004Face(a.faces[0]!);
    expect(f.passiveLivenessScore).not.toBeNull();
    expect(f.age).toBeGreaterThan(10);
    expect(f.rectangle.width).toBeGreaterThan(0);
  });

  it('seed 004 errors follow from the measurements', async () => {
    expect(seed004Error(await analyze(photo('facemodel_numbering_new.png')))).toBe('FACE_NOT_FOUND');
    const bytes = photo('audrey.jpg');
    const meta = await sharp(bytes).metadata();
    const w = meta.width!;
    const box = (await analyze(bytes)).faces[0]!.box;
    // The whole face in a frame 1.8x its box: too little room for the 2.4x liveness context.
    const side = { w: Math.round(1.8 * box.width), h: Math.round(1.8 * box.height) };
    const left = Math.max(0, Math.round(box.x + box.width / 2 - side.w / 2));
    const top = Math.max(0, Math.round(box.y + box.height / 2 - side.h / 2));
    const close = await sharp(bytes).extract({ left, top, width: Math.min(side.w, w - left), height: Math.min(side.h, meta.height! - top) }).jpeg().toBuffer();
    expect(seed004Error(await analyze(close))).toBe('FACE_TOO_CLOSE');
    // A tight crop cuts the face's edges.
    expect(seed004Error(await analyze(photo('bill-murray-snl_crop.jpg')))).toBe('FACE_CROPPED');
    const twice = await sharp(bytes).extend({ right: w, background: '#808080' }).composite([{ input: bytes, left: w, top: 0 }]).jpeg().toBuffer();
    expect(seed004Error(await analyze(twice))).toBe('TOO_MANY_FACES');
    const clean = await analyze(bytes);
    const cutAt = Math.round(clean.faces[0]!.box.x + 0.2 * clean.faces[0]!.box.width);
    const cut = await sharp(bytes).extract({ left: cutAt, top: 0, width: w - cutAt, height: meta.height! }).jpeg().toBuffer();
    expect(seed004Error(await analyze(cut))).toBe('FACE_CROPPED');
    const small = await sharp(bytes).resize({ width: Math.round(w / 5) }).extend({ left: w, right: w, top: w, bottom: w, background: '#808080' }).jpeg().toBuffer();
    expect(seed004Error(await analyze(small))).toBe('FACE_TOO_SMALL');
  });
});
