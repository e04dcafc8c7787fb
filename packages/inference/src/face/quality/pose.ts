/**
 * Head pose. fr_pose is a Hopenet-style network: 224x224 RGB, ImageNet-normalised, three 66-bin heads
 * (yaw, pitch, roll) decoded as the softmax expectation `sum(p_i * i) * 3 - 99` degrees.
 * Landmark geometry gives two cross-checks: the eye line (roll, exact for in-plane rotation) and the nose
 * position between the face contour's sides (yaw sign and rough size).
 */
import * as ort from 'onnxruntime-node';
import type { FaceBox, FacePose, Point } from '@biogate/contracts';
import { cropResize, type RgbImage } from '../image.ts';
import { rgbPlanar, softmax } from './tensors.ts';

export const POSE_SIZE = 224;

/**
 * Margin added on each side of the detector box before cropping, as a fraction of its size (the package's
 * width/4 rule). Re-measured with this repo's detector: the mirror-image yaw error is 3-4 degrees at 0.25 and
 * up to 30 at 0.1 (docs/quality.md), so MODELS.md's tighter crop is not used.
 */
export const POSE_MARGIN = 0.25;

function decodeBins(logits: ArrayLike<number>): number {
  const p = softmax(logits);
  let e = 0;
  for (let i = 0; i < p.length; i++) e += p[i]! * i;
  return e * 3 - 99;
}

/** Runs fr_pose on the box (with `margin`); degrees as the model defines them. */
export async function modelPose(session: ort.InferenceSession, img: RgbImage, box: FaceBox, margin = POSE_MARGIN): Promise<FacePose> {
  const x = box.x - margin * box.width;
  const y = box.y - margin * box.height;
  const crop = cropResize(img, x, y, box.width * (1 + 2 * margin), box.height * (1 + 2 * margin), POSE_SIZE, POSE_SIZE);
  const input = new ort.Tensor('float32', rgbPlanar(crop, 'imagenet'), [1, 3, POSE_SIZE, POSE_SIZE]);
  const out = await session.run({ input });
  const yaw = decodeBins(out.output!.data as Float32Array);
  const pitch = decodeBins(out['617']!.data as Float32Array);
  const roll = decodeBins(out['618']!.data as Float32Array);
  return { yaw, pitch, roll };
}

/** In-plane angle of the line from the image-left eye to the image-right eye, degrees (+ = clockwise on screen). */
export function eyeLineRoll(points5: readonly Point[]): number {
  const [l, r] = points5;
  if (!l || !r) return 0;
  return (Math.atan2(r.y - l.y, r.x - l.x) * 180) / Math.PI;
}

/**
 * Yaw cue from landmark asymmetry: where the nose tip (30) sits between the jaw-line sides (points 2 and 14),
 * measured along the eye line. -1..1: 0 = centred, the sign follows the image side the nose moved to.
 */
export function noseAsymmetry(l68: readonly Point[]): number {
  const left = l68[2];
  const right = l68[14];
  const nose = l68[30];
  if (!left || !right || !nose) return 0;
  const dx = right.x - left.x;
  const dy = right.y - left.y;
  const len2 = dx * dx + dy * dy;
  if (len2 === 0) return 0;
  const t = ((nose.x - left.x) * dx + (nose.y - left.y) * dy) / len2;
  return Math.max(-1, Math.min(1, 2 * t - 1));
}

/**
 * Total head rotation away from frontal, degrees (0..180): the angle of the rotation composed from yaw, pitch
 * and roll (axis-angle magnitude), so it does not depend on the Euler convention's order for small angles.
 */
export function totalRotation(pose: FacePose): number {
  const r = (d: number) => (d * Math.PI) / 180;
  const [cy, sy] = [Math.cos(r(pose.yaw)), Math.sin(r(pose.yaw))];
  const [cp, sp] = [Math.cos(r(pose.pitch)), Math.sin(r(pose.pitch))];
  const [cr, sr] = [Math.cos(r(pose.roll)), Math.sin(r(pose.roll))];
  // trace(Rz(roll) * Ry(yaw) * Rx(pitch)) = 1 + 2 cos(theta)
  const trace = cr * cy + (sr * sp * sy + cr * cp) + cy * cp;
  const c = Math.max(-1, Math.min(1, (trace - 1) / 2));
  return (Math.acos(c) * 180) / Math.PI;
}
