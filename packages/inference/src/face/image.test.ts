import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleMedia } from '@biogate/testing';
import { DEFAULT_MODELS_DIR } from '../models.ts';
import { analyzeImage } from './analyze.ts';
import { FaceModels } from './face-models.ts';
import { decodeImage } from './image.ts';

const media = sampleMedia();
const models = new FaceModels({ modelsDir: DEFAULT_MODELS_DIR });
afterAll(() => models.release());

describe('decodeImage', () => {
  it('applies the EXIF orientation, so a sideways-stored face is found upright', async () => {
    const upright = readFileSync(media.photos['audrey.jpg']);
    // Pixels stored rotated 90 degrees with EXIF orientation 6 telling viewers to rotate them back.
    const stored = await sharp(upright).rotate(-90).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const img = await decodeImage(stored);
    const meta = await sharp(upright).metadata();
    expect([img.width, img.height]).toEqual([meta.width, meta.height]);
    const { analysis } = await analyzeImage({ models }, stored, {});
    expect(analysis.faces).toHaveLength(1);
    const [le, re] = analysis.faces[0]!.points5;
    expect(Math.abs(le!.y - re!.y)).toBeLessThan(0.2 * Math.abs(re!.x - le!.x)); // eyes level: upright
  });

  it('expands gray and drops alpha to 3-channel RGB', async () => {
    const gray = await sharp(readFileSync(media.photos['cage.jpg'])).grayscale().png().toBuffer();
    const img = await decodeImage(gray);
    expect(img.data.length).toBe(img.width * img.height * 3);
    const rgba = await sharp(readFileSync(media.photos['cage.jpg'])).ensureAlpha().png().toBuffer();
    const img2 = await decodeImage(rgba);
    expect(img2.data.length).toBe(img2.width * img2.height * 3);
  });

  it('refuses images above the pixel bound before decoding', async () => {
    await expect(decodeImage(readFileSync(media.photos['cage.jpg']), { maxPixels: 1000 })).rejects.toThrow(/pixel limit/);
  });
});

describe('several faces', () => {
  it('finds two pasted real faces, largest first', async () => {
    const big = await sharp(readFileSync(media.photos['cage2_crop.jpg'])).resize({ width: 300 }).toBuffer();
    const small = await sharp(readFileSync(media.photos['obama4_crop.jpg'])).resize({ width: 180 }).toBuffer();
    const canvas = await sharp({ create: { width: 900, height: 500, channels: 3, background: '#6d7b85' } })
      .composite([
        { input: small, left: 40, top: 120 },
        { input: big, left: 520, top: 60 },
      ])
      .jpeg()
      .toBuffer();
    const { analysis } = await analyzeImage({ models }, canvas, {});
    expect(analysis.faces).toHaveLength(2);
    const [first, second] = analysis.faces;
    expect(first!.box.x).toBeGreaterThan(450);
    expect(second!.box.x).toBeLessThan(250);
    expect(first!.box.width * first!.box.height).toBeGreaterThan(second!.box.width * second!.box.height);
  });
});
