/**
 * The quality stage plugged into analyzeImage after landmarks: runs only the models the options ask for
 * (`quality`: pose, eyes, occlusion, metrics, verdict; `expression`; `liveness`; `attributes`: age, gender).
 */
import type { FaceResult } from '@biogate/contracts';
import type { FaceStage, FaceStageContext } from '../analyze.ts';
import { FACE_THRESHOLDS } from '../thresholds.ts';
import { estimateAgeGender } from './age-gender.ts';
import { classifyExpression } from './expression.ts';
import { eyeAspectRatio, eyeOpenProbability, mouthGapRatio, type EyeSide } from './eyes-mouth.ts';
import { contextCrop, faceGeometry } from './geometry.ts';
import { faceMetrics, wholeImageMetrics } from './image-metrics.ts';
import { LIVENESS_CONTEXT, livenessProbability } from './liveness.ts';
import { occlusionStats, scoreOcclusion } from './occlusion.ts';
import { eyeLineRoll, modelPose, noseAsymmetry, totalRotation } from './pose.ts';
import { faceChecks, qualityVerdict } from './verdict.ts';

const T = FACE_THRESHOLDS.quality;
const round = (v: number, d = 4) => Math.round(v * 10 ** d) / 10 ** d;

async function measureQuality(ctx: FaceStageContext, face: FaceResult): Promise<void> {
  const { image, models } = ctx;
  const l68 = face.landmarks68;
  const model = await modelPose(await models.session('fr_pose'), image, face.box);
  // Roll from the eye line: exact for in-plane rotation and steadier than the model's roll head (which agrees
  // within ~3 degrees on clean photos but drifts on dark ones); the model's value stays in crossCheck.
  const lineRoll = eyeLineRoll(face.points5);
  face.pose = { yaw: round(model.yaw, 2), pitch: round(model.pitch, 2), roll: round(lineRoll, 2) };
  const eyeSession = await models.session('fr_eye');
  const eye = async (side: EyeSide) => {
    const openProbability = round(await eyeOpenProbability(eyeSession, image, l68, side));
    const aspectRatio = round(eyeAspectRatio(l68, side));
    return { open: !(openProbability < T.eyeOpenProbability && aspectRatio < T.eyeClosedAspect), openProbability, aspectRatio };
  };
  face.eyes = { left: await eye('left'), right: await eye('right') };
  const gapRatio = round(mouthGapRatio(l68));
  face.mouth = { open: gapRatio > T.mouthOpenGap, gapRatio };
  // An eye the model calls closed while its lids are wide apart is covered (glasses glare, frames, lenses).
  const conflict = (e: { openProbability: number; aspectRatio: number }) => e.openProbability < T.eyeOpenProbability && e.aspectRatio >= T.eyeClosedAspect + 0.05;
  const fm = faceMetrics(image, face.box);
  const usable = fm.underexposure <= T.underexposure && fm.overexposure <= T.overexposure && Math.abs(fm.brightness) <= T.brightness && fm.sharpness >= T.sharpness;
  const occ = scoreOcclusion(occlusionStats(image, face.box, l68), [conflict(face.eyes.left), conflict(face.eyes.right)], usable);
  const { stats: _stats, regions, ...flags } = occ;
  face.occlusion = { ...flags, score: round(flags.score), regions: mapValues(regions, round) };
  const g = faceGeometry(face.box, l68, face.points5, image.width, image.height);
  face.metrics = {
    brightness: round(fm.brightness),
    sharpness: round(fm.sharpness),
    underexposure: round(fm.underexposure),
    overexposure: round(fm.overexposure),
    colorDegradation: round(fm.colorDegradation),
    faceSizeRatio: round(g.sizeRatio),
    centerDistance: round(g.centerDistance),
    distance2center: round(g.distance2center),
    integrity: round(g.integrity),
    pointsInside: g.pointsInside,
    borderMargin: round(g.borderMargin),
    interPupillary: round(g.interPupillary, 1),
    rotation: round(totalRotation(face.pose), 2),
  };
  face.quality = {
    reasons: faceChecks(face),
    crossCheck: { modelRoll: round(model.roll, 2), noseAsymmetry: round(noseAsymmetry(l68), 3) },
  };
}

function mapValues<K extends string>(o: Record<K, number>, fn: (v: number) => number): Record<K, number> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, fn(v as number)])) as Record<K, number>;
}

async function measureLiveness(ctx: FaceStageContext, face: FaceResult): Promise<void> {
  const crop = contextCrop(face.box, ctx.image.width, ctx.image.height, LIVENESS_CONTEXT);
  if (crop.scale < T.livenessMinContext) {
    face.liveness = { score: null, live: null, reliable: false, reason: 'context_out_of_frame', contextScale: round(crop.scale, 2) };
    return;
  }
  const score = round(await livenessProbability(await ctx.models.session('fr_liveness'), ctx.image, crop));
  face.liveness = { score, live: score >= T.liveness, reliable: true, contextScale: round(crop.scale, 2) };
}

async function measureAttributes(ctx: FaceStageContext, face: FaceResult): Promise<void> {
  const { age, maleScore } = await estimateAgeGender(await ctx.models.session('fr_age'), await ctx.models.session('fr_gender'), ctx.image, face.box);
  const male = maleScore >= 0.5;
  face.attributes = {
    age: round(Math.max(0, age), 1),
    gender: male ? 'male' : 'female',
    genderProbability: round(Math.min(1, Math.max(0, male ? maleScore : 1 - maleScore))),
  };
}

export const qualityStage: FaceStage = async (ctx) => {
  const { options, faces } = ctx;
  for (const face of faces) {
    if (options.quality) await measureQuality(ctx, face);
    if (options.expression) face.expression = await classifyExpression(await ctx.models.session('fr_expression'), ctx.image, face.box);
    if (options.liveness) await measureLiveness(ctx, face);
    if (options.attributes) await measureAttributes(ctx, face);
  }
  if (options.quality) {
    const im = wholeImageMetrics(ctx.image);
    ctx.extras.imageMetrics = {
      brightness: round(im.brightness),
      sharpness: round(im.sharpness),
      underexposure: round(im.underexposure),
      overexposure: round(im.overexposure),
      colorDegradation: round(im.colorDegradation),
    };
    // Expression may arrive after the per-face reasons were computed: recompute them with it.
    for (const face of faces) if (face.quality) face.quality.reasons = faceChecks(face);
    ctx.extras.verdict = qualityVerdict({ faces });
  }
};

/** Stages the face handler runs after landmarks. */
export const QUALITY_STAGES: FaceStage[] = [qualityStage];
