/**
 * The verdict and the seed mappers are pure: thresholds decide reasons, and neither file pulls in
 * onnxruntime (the API imports them without inference code).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IMAGE_STATUSES, type FaceResult } from '@biogate/contracts';
import { FACE_THRESHOLDS } from '../thresholds.ts';
import { seed001DefaultThresholds, seed001ExposureRefusal, seed003Face } from './seed-mappers.ts';
import { IMAGE_STATUS_DESCRIPTIONS, qualityVerdict } from './verdict.ts';

const here = dirname(fileURLToPath(import.meta.url));

/** Every module reachable through relative imports from `file`. */
function importGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const src = readFileSync(file, 'utf8');
  for (const m of src.matchAll(/^import\s[^;]*?from\s+'([^']+)'/gms)) {
    const spec = m[1]!;
    if (spec.startsWith('.')) importGraph(resolve(dirname(file), spec), seen);
    else seen.add(spec);
  }
  return seen;
}

describe('purity', () => {
  it.each(['seed-mappers.ts', 'verdict.ts'])('%s imports neither onnxruntime nor sharp', (f) => {
    const graph = [...importGraph(join(here, f))];
    expect(graph.some((m) => m.includes('onnxruntime') || m === 'sharp')).toBe(false);
    expect(graph.length).toBeGreaterThan(1);
  });
});

/** A measured face that passes every check; tests move one measurement across its threshold. */
function passingFace(): FaceResult {
  const p = { x: 0, y: 0 };
  return {
    box: { x: 100, y: 100, width: 200, height: 240 },
    score: 1,
    landmarks68: Array.from({ length: 68 }, () => p),
    points5: Array.from({ length: 5 }, () => p),
    pose: { yaw: 0, pitch: 0, roll: 0 },
    eyes: { left: { open: true, openProbability: 1, aspectRatio: 0.3 }, right: { open: true, openProbability: 1, aspectRatio: 0.3 } },
    mouth: { open: false, gapRatio: 0 },
    occlusion: { glasses: false, sunglasses: false, mask: false, hat: false, hand: false, score: 0, regions: { leftEye: 1, rightEye: 1, nose: 1, mouth: 1, total: 1 } },
    metrics: { brightness: 0, sharpness: 0.8, underexposure: 0, overexposure: 0, colorDegradation: 0, faceSizeRatio: 0.3, centerDistance: 0, distance2center: 1, integrity: 1, rotation: 0 },
  };
}

describe('verdict thresholds', () => {
  const t = FACE_THRESHOLDS.quality;
  const cases: [string, (f: FaceResult) => void, string][] = [
    ['distant_face', (f) => (f.metrics!.faceSizeRatio = t.minFaceArea * 0.9), 'faceSizeRatio'],
    ['close_face', (f) => (f.metrics!.faceSizeRatio = t.maxFaceArea * 1.1), 'faceSizeRatio'],
    ['not_centered', (f) => (f.metrics!.distance2center = t.minCenterScore - 0.05), 'distance2center'],
    ['not_centered', (f) => (f.metrics!.integrity = t.minIntegrity - 0.05), 'integrity'],
    ['inclined_face', (f) => (f.pose!.yaw = t.maxYaw + 1), 'yaw'],
    ['inclined_face', (f) => (f.pose!.pitch = -(t.maxPitch + 1)), 'pitch'],
    ['inclined_face', (f) => (f.pose!.roll = t.maxRoll + 1), 'roll'],
    ['wearing_acessories', (f) => (f.occlusion!.regions!.nose = t.minRegionClear - 0.1), 'nose region'],
    ['wearing_acessories', (f) => (f.occlusion!.sunglasses = true), 'sunglasses'],
    ['facial_expression', (f) => (f.mouth!.gapRatio = t.mouthOpenGap * 1.5), 'mouth gap'],
    ['facial_expression', (f) => (f.eyes!.left = { open: false, openProbability: 0.1, aspectRatio: t.eyeClosedAspect - 0.05 }), 'closed eye'],
    ['brightness_problem', (f) => (f.metrics!.brightness = -(t.brightness + 0.1)), 'brightness'],
    ['brightness_problem', (f) => (f.metrics!.underexposure = t.underexposure + 0.1), 'underexposure'],
    ['brightness_problem', (f) => (f.metrics!.overexposure = t.overexposure + 0.1), 'overexposure'],
    ['sharpness_problem', (f) => (f.metrics!.sharpness = t.sharpness - 0.1), 'sharpness'],
  ];

  it('the passing face passes', () => {
    expect(qualityVerdict({ faces: [passingFace()] }).reasons).toEqual([]);
  });

  it.each(cases)('%s when %s crosses its threshold (%s), and only that', (status, mutate) => {
    const f = passingFace();
    mutate(f);
    const v = qualityVerdict({ faces: [f] });
    expect(v.reasons).toEqual([status]);
    expect(v.imageStatus).toBe(status);
  });

  it('an eye the model calls closed but whose lids are open is not closed (glasses glare)', () => {
    const f = passingFace();
    f.eyes!.left = { open: true, openProbability: 0.02, aspectRatio: 0.3 };
    expect(qualityVerdict({ faces: [f] }).reasons).toEqual([]);
  });

  it('counts a second face only when it is not tiny background', () => {
    const small = { ...passingFace(), box: { x: 0, y: 0, width: 200 * t.secondFaceMinWidth * 0.8, height: 40 } };
    const big = { ...passingFace(), box: { x: 0, y: 0, width: 150, height: 180 } };
    expect(qualityVerdict({ faces: [passingFace(), small] }).reasons).toEqual([]);
    expect(qualityVerdict({ faces: [passingFace(), big] }).reasons).toEqual(['multiple_faces']);
    expect(qualityVerdict({ faces: [] }).imageStatus).toBe('no_faces');
  });

  it('has a description for every status and orders reasons as seed 000 lists them', () => {
    for (const s of IMAGE_STATUSES) expect(IMAGE_STATUS_DESCRIPTIONS[s].length).toBeGreaterThan(5);
    const f = passingFace();
    f.metrics!.sharpness = 0;
    f.pose!.yaw = 90;
    expect(qualityVerdict({ faces: [f] }).reasons).toEqual(['inclined_face', 'sharpness_problem']);
  });
});

describe('seed mappers', () => {
  it('default thresholds come from the one config', () => {
    const d = seed001DefaultThresholds();
    expect(d).toEqual({
      underexposure: FACE_THRESHOLDS.quality.underexposure,
      overexposure: FACE_THRESHOLDS.quality.overexposure,
      sharpness: FACE_THRESHOLDS.quality.sharpness,
      color: FACE_THRESHOLDS.quality.color,
      rotation: FACE_THRESHOLDS.quality.rotation,
      liveness: FACE_THRESHOLDS.quality.liveness,
    });
  });

  it('enrollment refusals follow the exposure thresholds', () => {
    const f = passingFace();
    expect(seed001ExposureRefusal(f)).toBeNull();
    f.metrics!.underexposure = FACE_THRESHOLDS.quality.underexposure + 0.01;
    expect(seed001ExposureRefusal(f)).toBe('image_underexposed');
  });

  it('seed 003 mouth_open is 1 closed, 0.5 at the threshold, 0 at twice it', () => {
    const f = passingFace();
    expect(seed003Face(f).mouth_open).toBe(1);
    f.mouth!.gapRatio = FACE_THRESHOLDS.quality.mouthOpenGap;
    expect(seed003Face(f).mouth_open).toBeCloseTo(0.5, 6);
    f.mouth!.gapRatio = 2 * FACE_THRESHOLDS.quality.mouthOpenGap;
    expect(seed003Face(f).mouth_open).toBe(0);
  });
});
