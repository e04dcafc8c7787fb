/**
 * What the face pipeline returns, serialisable to JSON and the database. Coordinates are pixels of the image
 * after EXIF orientation, origin top-left. Embeddings are deliberately absent: they travel separately as
 * Float32Array and never enter logs, job payloads or webhook bodies.
 */
import { z } from 'zod';

export const PointSchema = z.object({ x: z.number(), y: z.number() });
export type Point = z.infer<typeof PointSchema>;

/** Axis-aligned face box in pixels; may extend past the image border (integrity measures how much). */
export const FaceBoxSchema = z.object({
  x: z.number(),
  y: z.number(),
  width: z.number().nonnegative(),
  height: z.number().nonnegative(),
});
export type FaceBox = z.infer<typeof FaceBoxSchema>;

/** Head pose in degrees: yaw (+ = subject turns to the image's left), pitch (+ = up), roll (+ = clockwise). */
export const FacePoseSchema = z.object({ yaw: z.number(), pitch: z.number(), roll: z.number() });
export type FacePose = z.infer<typeof FacePoseSchema>;

export const EyeStateSchema = z.object({
  open: z.boolean(),
  /** Eye model probability that the eye is open, 0..1. */
  openProbability: z.number().min(0).max(1),
  /** Eye aspect ratio from the 6 landmarks of the eye. */
  aspectRatio: z.number(),
});
export type EyeState = z.infer<typeof EyeStateSchema>;

export const FaceEyesSchema = z.object({ left: EyeStateSchema, right: EyeStateSchema });
export const FaceMouthSchema = z.object({ open: z.boolean(), gapRatio: z.number() });

export const EXPRESSIONS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'] as const;
export const ExpressionSchema = z.enum(EXPRESSIONS);
export const FaceExpressionSchema = z.object({
  label: ExpressionSchema,
  scores: z.record(ExpressionSchema, z.number()),
});

export const FaceOcclusionSchema = z.object({
  glasses: z.boolean(),
  sunglasses: z.boolean(),
  mask: z.boolean(),
  hat: z.boolean(),
  hand: z.boolean(),
  /** 0..1, how occluded the face looks overall. */
  score: z.number().min(0).max(1),
});

/** Face and image metrics (see the quality module for definitions). */
export const FaceMetricsSchema = z.object({
  brightness: z.number().min(-1).max(1),
  sharpness: z.number().min(0).max(1),
  underexposure: z.number().min(0).max(1),
  overexposure: z.number().min(0).max(1),
  colorDegradation: z.number().min(0).max(1),
  faceSizeRatio: z.number().nonnegative(),
  centerDistance: z.number().nonnegative(),
  integrity: z.number().min(0).max(1),
  rotation: z.number(),
});

export const FaceLivenessSchema = z.object({
  /** Probability that a live person is in front of the camera, 0..1; null when it cannot be measured reliably. */
  score: z.number().min(0).max(1).nullable(),
  live: z.boolean().nullable(),
  /** Why the score is missing or weak, for example `context_outside_image`. */
  reason: z.string().optional(),
});

export const FaceAttributesSchema = z.object({
  age: z.number().nonnegative().optional(),
  gender: z.enum(['female', 'male']).optional(),
  genderProbability: z.number().min(0).max(1).optional(),
});

export const FaceResultSchema = z.object({
  box: FaceBoxSchema,
  /** Detector confidence, 0..1. */
  score: z.number().min(0).max(1),
  /** 68 iBUG points. */
  landmarks68: z.array(PointSchema).length(68),
  /** Left eye, right eye (image left to right), nose tip, mouth left, mouth right. */
  points5: z.array(PointSchema).length(5),
  pose: FacePoseSchema.optional(),
  eyes: FaceEyesSchema.optional(),
  mouth: FaceMouthSchema.optional(),
  expression: FaceExpressionSchema.optional(),
  occlusion: FaceOcclusionSchema.optional(),
  metrics: FaceMetricsSchema.optional(),
  liveness: FaceLivenessSchema.optional(),
  attributes: FaceAttributesSchema.optional(),
  /** Quality verdict and reasons, filled by the quality module when asked. */
  quality: z.record(z.string(), z.unknown()).optional(),
});
export type FaceResult = z.infer<typeof FaceResultSchema>;

export const FaceAnalysisSchema = z.object({
  /** Oriented image size. */
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** Faces sorted by box area, largest first. */
  faces: z.array(FaceResultSchema),
  /** Index into `faces` of the face used for the embedding and the crop, when one was computed. */
  primaryFace: z.number().int().nonnegative().optional(),
  /** Per-stage wall time in ms (no biometric content). */
  timings: z.record(z.string(), z.number()).optional(),
});
export type FaceAnalysis = z.infer<typeof FaceAnalysisSchema>;

/** What a face request asks the engine to compute; anything off is skipped, not computed and hidden. */
export const FaceAnalyzeOptionsSchema = z.object({
  quality: z.boolean().default(false),
  liveness: z.boolean().default(false),
  embedding: z.boolean().default(false),
  attributes: z.boolean().default(false),
  crop: z.boolean().default(false),
  /** Embed every detected face instead of only the largest. */
  allFaces: z.boolean().default(false),
});
export type FaceAnalyzeOptions = z.input<typeof FaceAnalyzeOptionsSchema>;
export type ResolvedFaceAnalyzeOptions = z.output<typeof FaceAnalyzeOptionsSchema>;
