import { describe, expect, it } from 'vitest';
import type { FaceAnalysis, FaceResult } from '@biogate/contracts';
import { presentQualityStateless } from './quality-stateless.presenter.ts';
import { genderCode, presentLivenessDetect } from './liveness-detect.presenter.ts';
import { boundingBox, presentDetect } from './v1-detect.presenter.ts';

/** A measured frontal face built from its box, with the quality fields the engine fills. */
function face(x: number, y: number, w: number, h: number, extra: Partial<FaceResult> = {}): FaceResult {
  const landmarks68 = Array.from({ length: 68 }, (_, i) => ({ x: x + w * (0.2 + (0.6 * (i % 10)) / 9), y: y + h * 0.5 }));
  const points5 = [
    { x: x + w * 0.3, y: y + h * 0.4 },
    { x: x + w * 0.7, y: y + h * 0.4 },
    { x: x + w * 0.5, y: y + h * 0.6 },
    { x: x + w * 0.35, y: y + h * 0.8 },
    { x: x + w * 0.65, y: y + h * 0.8 },
  ];
  return {
    box: { x, y, width: w, height: h },
    score: 0.99,
    landmarks68,
    points5,
    pose: { yaw: 2, pitch: -5, roll: 1 },
    mouth: { open: false, gapRatio: 0.01 },
    occlusion: { glasses: false, sunglasses: false, mask: false, hat: false, hand: false, score: 0, regions: { leftEye: 1, rightEye: 1, nose: 1, mouth: 1, total: 1 } },
    metrics: {
      brightness: 0.1, sharpness: 0.8, underexposure: 0, overexposure: 0, colorDegradation: 0, faceSizeRatio: 0.05,
      centerDistance: 0.02, integrity: 1, rotation: 2, distance2center: 0.98, pointsInside: 5, borderMargin: 1, interPupillary: 0.4 * w,
    },
    liveness: { score: 0.91234, live: true, reliable: true, contextScale: 2.7 },
    attributes: { age: 31.6, gender: 'female', genderProbability: 0.9 },
    ...extra,
  };
}

// A 1280x960 frame holds 2.7x the 200x240 face box, as the liveness model needs.
const analysis = (faces: FaceResult[], width = 1280, height = 960): FaceAnalysis => ({ width, height, faces });
const good = (extra: Partial<FaceResult> = {}) => face(540, 360, 200, 240, extra);

describe('seed 001 presenter', () => {
  it('keeps right - left = width and bottom - top = height once rounded to pixels', () => {
    // 10.4 + 20.4 = 30.8: rounding each number apart would give [10, 10, 31, 31, 20, 20].
    expect(boundingBox(face(10.4, 10.4, 20.4, 20.4))).toEqual([10, 10, 31, 31, 21, 21]);
    for (const [x, y, w, h] of [[0.5, 1.49, 99.5, 100.49], [332.6, 231.7, 150.8, 180.6], [-3.2, 5.5, 40.4, 41.5]] as const) {
      const [left, top, right, bottom, width, height] = boundingBox(face(x, y, w, h));
      expect([right! - left!, bottom! - top!]).toEqual([width, height]);
      expect(Math.abs(left! - x)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(right! - (x + w))).toBeLessThanOrEqual(0.5);
    }
  });

  it('answers the Detect object: every face with 68 named landmarks, the metrics and the thresholds', () => {
    const body = presentDetect(analysis([good(), face(100, 100, 150, 180)]), 0.25);
    expect(Object.keys(body).sort()).toEqual(['default_thresholds', 'faces', 'image_metrics', 'time_taken', 'total_faces']);
    expect(body.total_faces).toBe(2);
    expect(Object.keys(body.faces[0]!.landmarks)).toHaveLength(68);
    expect(body.faces[0]!.bounding_box).toEqual([540, 360, 740, 600, 200, 240]);
    expect(body.faces[0]!.face_metrics).toEqual({ underexposure: 0, overexposure: 0, sharpness: 0.8, color: 0, rotation: 2 });
    expect(body.faces[0]!.liveness_score).toBe(0.9123);
    expect(body.time_taken).toBe(0.25);
  });
});

describe('seed 003 presenter', () => {
  it('answers code 1000 with every documented field of every face, largest first', () => {
    const out = presentQualityStateless(analysis([good(), face(100, 100, 150, 180)]), 'req-1');
    expect(out.status).toBe(200);
    const body = out.body as { code: number; request_id: string; faces: Array<Record<string, unknown>> };
    expect(body.code).toBe(1000);
    expect(body.request_id).toBe('req-1');
    expect(body.faces).toHaveLength(2);
    expect(Object.keys(body.faces[0]!).sort()).toEqual(
      ['brightness', 'distance2center', 'integrity', 'mouth_open', 'occlusion', 'pose', 'rect', 'sharpness', 'size'],
    );
    expect(body.faces[0]!.rect).toEqual({ left: 540, top: 360, right: 740, bottom: 600 });
    expect(body.faces[1]!.rect).toEqual({ left: 100, top: 100, right: 250, bottom: 280 });
  });

  it('answers 400 code 4000 with the request id when no face is found', () => {
    expect(presentQualityStateless(analysis([]), 'req-2')).toEqual({
      status: 400,
      body: { code: 4000, message: 'detection failed: no face detected in the image', request_id: 'req-2' },
    });
  });
});

describe('seed 004 presenter', () => {
  it('answers a usable face with age, gender code, score, rectangle and the crop', () => {
    expect(presentLivenessDetect(analysis([good()]), 's1', new Uint8Array([1, 2, 3]))).toEqual({
      status: 200,
      body: {
        sessionId: 's1',
        hasError: false,
        face: { age: 32, gender: 0, passiveLivenessScore: 0.91234, rectangle: { top: 360, left: 540, width: 200, height: 240 }, faceImageBase: 'AQID' },
      },
    });
  });

  it('uses -10000 for unknown age and gender and omits the crop unless given', () => {
    const body = presentLivenessDetect(analysis([good({ attributes: {} })]), 's', undefined).body as { face: Record<string, unknown> };
    expect(body.face.age).toBe(-10000);
    expect(body.face.gender).toBe(-10000);
    expect(body.face).not.toHaveProperty('faceImageBase');
    expect([genderCode('male'), genderCode('female'), genderCode(null)]).toEqual([1, 0, -10000]);
  });

  it.each([
    ['FACE_NOT_FOUND', analysis([])],
    ['TOO_MANY_FACES', analysis([good(), face(20, 20, 120, 140)])],
    ['FACE_TOO_CLOSE', analysis([good({ liveness: { score: null, live: null, reliable: false, reason: 'context_out_of_frame', contextScale: 1.9 } })], 460, 500)],
    ['FACE_ANGLE_TOO_LARGE', analysis([good({ pose: { yaw: 60, pitch: 0, roll: 0 } })])],
  ] as const)('answers %s as 200 hasError', (error, input) => {
    expect(presentLivenessDetect(input, 's', new Uint8Array([9]))).toEqual({ status: 200, body: { sessionId: 's', hasError: true, error } });
  });

  it('answers INTERNAL_ERROR (500) when a usable face has no liveness score', () => {
    const f = good({ liveness: { score: null, live: null, reason: 'model_error' } });
    expect(presentLivenessDetect(analysis([f]), 's', undefined)).toEqual({ status: 500, body: { sessionId: 's', hasError: true, error: 'INTERNAL_ERROR' } });
  });
});
