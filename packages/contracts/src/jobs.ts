import { z } from 'zod';

/**
 * Queues are named by resource profile and never renamed once shipped: a rename strands jobs in Redis.
 * `inference` is CPU-bound (concurrency = pool size); `webhooks` is IO-bound; `maintenance` is IO-bound
 * housekeeping run by job schedulers (one job at a time per worker).
 */
export const QUEUES = {
  inference: 'biogate-inference',
  webhooks: 'biogate-webhooks',
  maintenance: 'biogate-maintenance',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** A stored blob referenced by a job; jobs carry references, never bytes. */
export const BlobRefSchema = z.object({ blobId: z.uuid() });
export type BlobRef = z.infer<typeof BlobRefSchema>;

const base = { requestId: z.uuid(), tenantId: z.uuid() };

/**
 * How a face.detect result is shaped: the native/seed-001 detect object, seed 000's quality gate, seed 003's
 * stateless quality list or seed 004's detect-with-liveness. One measurement pipeline, several views.
 */
export const DetectFormatSchema = z.enum(['v1', 'image-gate', 'quality-stateless', 'liveness-detect']);
export type DetectFormat = z.infer<typeof DetectFormatSchema>;

export const FaceDetectPayloadSchema = z.object({
  ...base,
  image: BlobRefSchema,
  format: DetectFormatSchema.default('v1'),
  /** Seed 004 `returnFaceImage`, seed 003 `sessionId`-like echo fields travel here (ids only). */
  echo: z.record(z.string(), z.string()).optional(),
  /** Which optional analyses to run; unknown flags are ignored so older workers survive newer APIs. */
  options: z
    .object({
      quality: z.boolean().default(true),
      liveness: z.boolean().default(true),
      attributes: z.boolean().default(false),
      crop: z.boolean().default(false),
    })
    .default({ quality: true, liveness: true, attributes: false, crop: false }),
});
export type FaceDetectPayload = z.infer<typeof FaceDetectPayloadSchema>;

export const FaceComparePayloadSchema = z.object({
  ...base,
  image1: BlobRefSchema,
  image2: BlobRefSchema.optional(),
  userToken: z.string().optional(),
});
export type FaceComparePayload = z.infer<typeof FaceComparePayloadSchema>;

export const FaceEnrollPayloadSchema = z.object({
  ...base,
  image: BlobRefSchema,
  /** Present on update: the enrollment to replace. */
  userToken: z.string().optional(),
});
export type FaceEnrollPayload = z.infer<typeof FaceEnrollPayloadSchema>;

/** Seed 002: register a face under a CPF, or validate a face against the CPF's registrations. */
export const FaceRegisterPayloadSchema = z.object({
  ...base,
  image: BlobRefSchema,
  documentNumber: z.string().regex(/^\d{11}$/),
});
export type FaceRegisterPayload = z.infer<typeof FaceRegisterPayloadSchema>;

export const FaceValidatePayloadSchema = FaceRegisterPayloadSchema;
export type FaceValidatePayload = z.infer<typeof FaceValidatePayloadSchema>;

export const VoiceComparePayloadSchema = z.object({
  ...base,
  audio1: BlobRefSchema,
  audio2: BlobRefSchema,
});
export type VoiceComparePayload = z.infer<typeof VoiceComparePayloadSchema>;

export const WebhookDeliverPayloadSchema = z.object({
  tenantId: z.uuid(),
  deliveryId: z.uuid(),
});
export type WebhookDeliverPayload = z.infer<typeof WebhookDeliverPayloadSchema>;

/**
 * maintenance.retention: erase biometric data older than `retentionDays` and audit events older than
 * `auditRetentionDays` (every tenant, in batches; 0 or absent = that part is off). Produced by the
 * `retention-purge` job scheduler the workers upsert from BIOGATE_RETENTION_DAYS and BIOGATE_AUDIT_RETENTION_DAYS.
 */
export const MaintenanceRetentionPayloadSchema = z.object({
  retentionDays: z.number().int().min(0),
  /** Optional, so jobs written before it existed still parse (and purge no audit events). */
  auditRetentionDays: z.number().int().min(0).optional(),
  /** Rows per batch (one transaction each). */
  batchSize: z.number().int().min(1).max(10_000).default(500),
});
export type MaintenanceRetentionPayload = z.infer<typeof MaintenanceRetentionPayloadSchema>;

/**
 * The job catalog: job name -> queue + payload schema. Workers check at startup that every name has a
 * processor (see apps/worker), so adding a name here without a handler fails fast.
 */
export const JOB_CATALOG = {
  'face.detect': { queue: QUEUES.inference, payload: FaceDetectPayloadSchema },
  'face.compare': { queue: QUEUES.inference, payload: FaceComparePayloadSchema },
  'face.enroll': { queue: QUEUES.inference, payload: FaceEnrollPayloadSchema },
  'face.register': { queue: QUEUES.inference, payload: FaceRegisterPayloadSchema },
  'face.validate': { queue: QUEUES.inference, payload: FaceValidatePayloadSchema },
  'voice.compare': { queue: QUEUES.inference, payload: VoiceComparePayloadSchema },
  'webhook.deliver': { queue: QUEUES.webhooks, payload: WebhookDeliverPayloadSchema },
  'maintenance.retention': { queue: QUEUES.maintenance, payload: MaintenanceRetentionPayloadSchema },
} as const;

export type JobName = keyof typeof JOB_CATALOG;
export type JobPayload<N extends JobName> = z.infer<(typeof JOB_CATALOG)[N]['payload']>;
export const JOB_NAMES = Object.keys(JOB_CATALOG) as JobName[];

export function jobsOfQueue(queue: QueueName): JobName[] {
  return JOB_NAMES.filter((name) => JOB_CATALOG[name].queue === queue);
}

/**
 * Key under which the job row's `input` keeps the queue payload (ids and options, never bytes), so a worker
 * can enqueue again a job that Redis lost (a crash inside its AOF fsync window, a flushed instance).
 */
export const QUEUE_PAYLOAD_KEY = 'queuePayload';

/** Job status as seen by clients. */
export const JobStatusSchema = z.enum(['queued', 'active', 'completed', 'failed']);
export type JobStatus = z.infer<typeof JobStatusSchema>;

/** Shape of a failed job's stored error: a catalog code and a human message (never biometric data). */
export const JobErrorSchema = z.object({ code: z.string(), message: z.string() });
export type JobError = z.infer<typeof JobErrorSchema>;
