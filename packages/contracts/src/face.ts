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
  /** False when the image was too dark, bright or blurred to judge occlusion (scores are then 1, flags false). */
  reliable: z.boolean().optional(),
  /** Per-region share not occluded, 0..1 (1 = clear), as seed 003 reports it. */
  regions: z
    .object({ leftEye: z.number(), rightEye: z.number(), nose: z.number(), mouth: z.number(), total: z.number() })
    .optional(),
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
  /** Seed 003 distance2center: max(1 - centerDistance, 0), 1 = centred. */
  distance2center: z.number().min(0).max(1).optional(),
  /** How many of the 5 points are inside the image. */
  pointsInside: z.number().int().min(0).max(5).optional(),
  /** Smallest face-to-border gap / face width (negative when the face is cut). */
  borderMargin: z.number().optional(),
  /** Distance between the eye centres in pixels. */
  interPupillary: z.number().nonnegative().optional(),
});

/** Whole-image metrics (seed 001 image_metrics). */
export const ImageMetricsSchema = z.object({
  brightness: z.number().min(-1).max(1),
  sharpness: z.number().min(0).max(1),
  underexposure: z.number().min(0).max(1),
  overexposure: z.number().min(0).max(1),
  colorDegradation: z.number().min(0).max(1),
});
export type ImageMetrics = z.infer<typeof ImageMetricsSchema>;

/** Seed 000's image_status reasons (spelling `wearing_acessories` as the seed has it), in check order. */
export const IMAGE_STATUSES = [
  'no_faces',
  'multiple_faces',
  'close_face',
  'distant_face',
  'not_centered',
  'inclined_face',
  'wearing_acessories',
  'facial_expression',
  'brightness_problem',
  'sharpness_problem',
] as const;
export const ImageStatusSchema = z.enum(IMAGE_STATUSES);
export type ImageStatus = z.infer<typeof ImageStatusSchema>;

/** The quality verdict of one image: every failed check, the first one as the seed's single image_status. */
export const QualityVerdictSchema = z.object({
  passed: z.boolean(),
  imageStatus: ImageStatusSchema.nullable(),
  description: z.string().nullable(),
  reasons: z.array(ImageStatusSchema),
  /** Checks that could not run (for example facial_expression's smile test without the expression model). */
  skipped: z.array(z.string()),
});
export type QualityVerdict = z.infer<typeof QualityVerdictSchema>;

export const FaceLivenessSchema = z.object({
  /** Probability that a live person is in front of the camera, 0..1; null when it cannot be measured reliably. */
  score: z.number().min(0).max(1).nullable(),
  live: z.boolean().nullable(),
  /** Why the score is missing or weak, for example `context_out_of_frame`. */
  reason: z.string().optional(),
  /** False when the model's context crop did not fit in the image (score then null). */
  reliable: z.boolean().optional(),
  /** Context scale achieved around the box (the model wants 2.7). */
  contextScale: z.number().optional(),
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
  /** Whole-image metrics, filled by the quality stage. */
  imageMetrics: ImageMetricsSchema.optional(),
  /** Quality verdict over the image (seed 000 image_status), filled by the quality stage. */
  verdict: QualityVerdictSchema.optional(),
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
  /** Run the expression model (the slowest, ~45 ms a face); the verdict's smile check needs it. */
  expression: z.boolean().default(false),
  crop: z.boolean().default(false),
  /** Embed every detected face instead of only the largest. */
  allFaces: z.boolean().default(false),
});
export type FaceAnalyzeOptions = z.input<typeof FaceAnalyzeOptionsSchema>;
export type ResolvedFaceAnalyzeOptions = z.output<typeof FaceAnalyzeOptionsSchema>;
