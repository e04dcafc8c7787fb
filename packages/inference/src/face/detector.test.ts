import { describe, expect, it } from 'vitest';
import { nms, tiles, type Detection } from './detector.ts';

const box = (x1: number, y1: number, x2: number, y2: number, score: number): Detection => ({ x1, y1, x2, y2, score });

describe('nms', () => {
  it('keeps the best of overlapping boxes and separate faces', () => {
    const kept = nms([box(0, 0, 100, 100, 0.8), box(5, 5, 105, 105, 0.95), box(300, 0, 380, 90, 0.7)], 0.4);
    expect(kept.map((b) => b.score)).toEqual([0.95, 0.7]);
  });

  it('drops a face cut by a tile border lying inside the whole face', () => {
    const whole = box(100, 100, 200, 220, 0.99);
    const cut = box(100, 100, 150, 220, 0.8); // IoU 0.5 but fully inside
    const smallInside = box(120, 130, 160, 170, 0.7); // IoU 0.13, fully inside
    expect(nms([whole, cut, smallInside], 0.4)).toEqual([whole]);
  });

  it('keeps two faces that only touch', () => {
    expect(nms([box(0, 0, 100, 100, 0.9), box(90, 0, 190, 100, 0.9)], 0.4)).toHaveLength(2);
  });
});

describe('tiles', () => {
  it('covers the image with overlapping tiles so every 60-px face is whole in one tile', () => {
    const [w, h, tw] = [3000, 2000, 800];
    const ts = tiles(w, h, tw);
    for (const t of ts) {
      expect(t.x).toBeGreaterThanOrEqual(0);
      expect(t.y).toBeGreaterThanOrEqual(0);
      expect(t.x + t.w).toBeLessThanOrEqual(w);
      expect(t.y + t.h).toBeLessThanOrEqual(h);
    }
    for (let fy = 0; fy + 60 <= h; fy += 37) {
      for (let fx = 0; fx + 60 <= w; fx += 41) {
        const inside = ts.some((t) => fx >= t.x && fy >= t.y && fx + 60 <= t.x + t.w && fy + 60 <= t.y + t.h);
        expect(inside, `face at ${fx},${fy}`).toBe(true);
      }
    }
  });

  it('is a single tile when the image fits', () => {
    expect(tiles(640, 480, 800)).toEqual([{ x: 0, y: 0, w: 640, h: 480 }]);
  });
});
