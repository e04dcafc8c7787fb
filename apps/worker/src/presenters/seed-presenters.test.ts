import { describe, expect, it } from 'vitest';
import type { FaceAnalysis, FaceResult } from '@biogate/contracts';
import { presentQualityStateless, seedQualityFace } from './quality-stateless.presenter.ts';
import { presentLivenessDetect, seed004FaceError } from './liveness-detect.presenter.ts';

/** A face built from its box: the 68 points laid out inside it like a frontal face, mouth closed. */
function face(x: number, y: number, w: number, h: number, extra: Partial<FaceResult> = {}): FaceResult {
  const landmarks68 = Array.from({ length: 68 }, (_, i) => ({ x: x + w * (0.2 + (0.6 * (i % 10)) / 9), y: y + h * 0.5 }));
  const set = (i: number, px: number, py: number) => (landmarks68[i] = { x: x + w * px, y: y + h * py });
  set(27, 0.5, 0.35);
  set(8, 0.5, 0.95);
  set(62, 0.5, 0.75);
  set(66, 0.5, 0.75);
  const points5 = [
    { x: x + w * 0.3, y: y + h * 0.4 },
    { x: x + w * 0.7, y: y + h * 0.4 },
    { x: x + w * 0.5, y: y + h * 0.6 },
    { x: x + w * 0.35, y: y + h * 0.8 },
    { x: x + w * 0.65, y: y + h * 0.8 },
  ];
  return { box: { x, y, width: w, height: h }, score: 0.99, landmarks68, points5, ...extra };
}

const analysis = (faces: FaceResult[], width = 640, height = 480): FaceAnalysis => ({ width, height, faces });

describe('seed 003 presenter', () => {
  it('reports a centred, whole, closed-mouth face with the seed fields', () => {
    const f = face(240, 140, 160, 200, {
      pose: { yaw: 3.14159, pitch: -2, roll: 1 },
      metrics: { brightness: 0.1, sharpness: 0.8, underexposure: 0, overexposure: 0, colorDegradation: 0, faceSizeRatio: 0.1, centerDistance: 0, integrity: 1, rotation: 1 },
    });
    const out = seedQualityFace(f, analysis([f]));
    expect(out.rect).toEqual({ left: 240, top: 140, right: 400, bottom: 340 });
    expect(out.pose).toEqual({ yaw: 3.14, pitch: -2, roll: 1 });
    expect(out.integrity).toBe(1);
    expect(out.mouth_open).toBe(1);
    expect(out.occlusion).toEqual({ left_eye: 1, right_eye: 1, nose: 1, mouth: 1, total: 1 });
    expect(out.size).toBeCloseTo((160 * 200) / (640 * 480), 4);
    expect(out.distance2center).toBeGreaterThan(0.9);
    expect(out.brightness).toBe(0.1);
    expect(out.sharpness).toBe(0.8);
  });

  it('lowers integrity, occlusion of cut parts and distance2center for a face past the corner', () => {
    const f = face(-80, -100, 160, 200);
    const out = seedQualityFace(f, analysis([f]));
    expect(out.integrity).toBeCloseTo((80 * 100) / (160 * 200), 4);
    expect(out.occlusion.total).toBeLessThan(1);
    expect(out.distance2center).toBeLessThan(0.5);
    expect(out.rect.left).toBe(-80);
  });

  it('takes the per-region occlusion scores of the quality module when present', () => {
    const f = face(240, 140, 160, 200, {
      occlusion: { glasses: false, sunglasses: true, mask: false, hat: false, hand: false, score: 0.3, regions: { leftEye: 0.2, rightEye: 0.3, nose: 1, mouth: 0.9, total: 0.6 } },
    });
    expect(seedQualityFace(f, analysis([f])).occlusion).toEqual({ left_eye: 0.2, right_eye: 0.3, nose: 1, mouth: 0.9, total: 0.6 });
  });

  it('reads an open mouth from the inner-lip gap', () => {
    const f = face(240, 140, 160, 200);
    f.landmarks68[66] = { x: 320, y: 140 + 200 * 0.75 + 12 };
    expect(seedQualityFace(f, analysis([f])).mouth_open).toBeLessThan(0.6);
  });

  it('answers every face, and 400 code 4000 without one', () => {
    const ok = presentQualityStateless(analysis([face(10, 10, 100, 120), face(300, 200, 90, 100)]), 'r');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ code: 1000, request_id: 'r' });
    expect((ok.body as { faces: unknown[] }).faces).toHaveLength(2);
    const none = presentQualityStateless(analysis([]), 'r');
    expect(none).toEqual({ status: 400, body: expect.objectContaining({ code: 4000, request_id: 'r' }) });
  });
});

describe('seed 004 presenter', () => {
  // A 1280x960 frame holds 2.4x the 200x240 face box, as the liveness model needs.
  const W = 1280;
  const H = 960;
  const at = (faces: FaceResult[]) => analysis(faces, W, H);
  const good = (extra: Partial<FaceResult> = {}) =>
    face(540, 360, 200, 240, { liveness: { score: 0.91234, live: true }, attributes: { age: 31.6, gender: 'female' }, ...extra });

  it('answers a single usable face with age, gender, score, rectangle and the crop', () => {
    const out = presentLivenessDetect(at([good()]), 's1', new Uint8Array([1, 2, 3]));
    expect(out).toEqual({
      status: 200,
      body: {
        sessionId: 's1',
        hasError: false,
        face: { age: 32, gender: 0, passiveLivenessScore: 0.9123, rectangle: { top: 360, left: 540, width: 200, height: 240 }, faceImageBase: 'AQID' },
      },
    });
  });

  it('uses -10000 for unknown age and gender and omits the crop unless given', () => {
    const body = presentLivenessDetect(at([good({ attributes: {} })]), 's', undefined).body as { face: Record<string, unknown> };
    expect(body.face.age).toBe(-10000);
    expect(body.face.gender).toBe(-10000);
    expect(body.face).not.toHaveProperty('faceImageBase');
  });

  const mask = { glasses: false, sunglasses: false, mask: false, hat: false, hand: false, score: 0.4 };
  it.each([
    ['FACE_NOT_FOUND', () => at([])],
    ['TOO_MANY_FACES', () => at([good(), face(20, 20, 120, 140)])],
    ['FACE_TOO_CLOSE', () => analysis([good()], 640, 480)],
    ['FACE_TOO_CLOSE', () => analysis([face(-60, -20, 600, 500)], 640, 480)],
    ['FACE_CROPPED', () => at([face(-60, 300, 200, 240)])],
    ['FACE_CLOSE_TO_BORDER', () => at([face(4, 300, 200, 240)])],
    ['FACE_TOO_SMALL', () => at([face(600, 400, 100, 120)])],
    ['FACE_ANGLE_TOO_LARGE', () => at([good({ pose: { yaw: 50, pitch: 0, roll: 0 } })])],
    ['FACE_IS_OCCLUDED', () => at([good({ occlusion: { ...mask, regions: { leftEye: 1, rightEye: 1, nose: 0.2, mouth: 0.1, total: 0.6 } } })])],
    ['FACE_IS_OCCLUDED', () => at([good({ occlusion: { ...mask, mask: true } })])],
  ] as const)('%s', (expected, build) => {
    expect(seed004FaceError(build())).toBe(expected);
    expect(presentLivenessDetect(build(), 's', undefined)).toEqual({ status: 200, body: { sessionId: 's', hasError: true, error: expected } });
  });

  it('calls a face cropped when its landmarks pass the border although the box does not', () => {
    const f = face(30, 300, 200, 240);
    f.landmarks68[0] = { x: -15, y: 400 };
    expect(seed004FaceError(at([f]))).toBe('FACE_CROPPED');
    f.landmarks68[0] = { x: -3, y: 400 };
    expect(seed004FaceError(at([f]))).toBe(null);
  });

  it('ignores a far smaller background face and clear occlusion regions', () => {
    expect(seed004FaceError(at([good(), face(10, 10, 40, 50)]))).toBeNull();
    expect(seed004FaceError(at([good({ occlusion: { ...mask, regions: { leftEye: 1, rightEye: 1, nose: 0.9, mouth: 0.8, total: 0.9 } } })]))).toBeNull();
  });

  it('answers INTERNAL_ERROR (500) when liveness could not be scored', () => {
    const f = good({ liveness: { score: null, live: null, reason: 'model_error' } });
    expect(presentLivenessDetect(at([f]), 's', undefined)).toEqual({ status: 500, body: { sessionId: 's', hasError: true, error: 'INTERNAL_ERROR' } });
  });
});
