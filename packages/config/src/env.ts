import { z } from 'zod';

const optionalUrl = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .pipe(z.url().optional());

/** Variables every process reads. */
const CommonEnvSchema = z.object({
  /** Where embedded mode keeps PGlite, Redis data and blobs. @defaultValue ./.data */
  BIOGATE_DATA_DIR: z.string().default('./.data'),
  /** PostgreSQL URL; unset means embedded PGlite under the data dir. */
  DATABASE_URL: optionalUrl.optional(),
  /** Redis URL; unset means a redis-server child process on a private port. */
  REDIS_URL: optionalUrl.optional(),
  /** Blob directory (shared filesystem in cluster mode). @defaultValue <data dir>/blobs */
  BIOGATE_BLOB_DIR: z.string().optional(),
  /**
   * Keyring for blobs at rest (AES-256-GCM): comma-separated `<id>:<base64 of 32 bytes>`, newest first
   * (`k2:...,k1:...`); the first encrypts, all decrypt. Unset: a key generated once into
   * `<data dir>/encryption-keys` (0600). Every process sharing the blob dir needs the same keyring.
   */
  BIOGATE_ENCRYPTION_KEYS: z.string().optional(),
  /** pino level. @defaultValue info */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Directory holding the ONNX models and manifest.json. @defaultValue ./models */
  BIOGATE_MODELS_DIR: z.string().default('./models'),
});

export const ApiEnvSchema = CommonEnvSchema.extend({
  /** HTTP port. @defaultValue 8080 */
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Listen address. @defaultValue 0.0.0.0 */
  HOST: z.string().default('0.0.0.0'),
  /** Key of the default tenant in embedded mode; generated and printed when unset. */
  BIOGATE_API_KEY: z.string().min(16).optional(),
  /** Default tenant's Standard Webhooks secret (`whsec_<base64>`); generated when unset. */
  BIOGATE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/=]{16,}$/, 'must be whsec_ followed by base64')
    .optional(),
  /** How long a synchronous request waits for its job before answering 504. @defaultValue 30000 */
  SYNC_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  /** Largest accepted image, bytes. @defaultValue 3 MiB (seed 000) */
  MAX_IMAGE_BYTES: z.coerce.number().int().positive().default(3 * 1024 * 1024),
  /** Largest accepted audio, bytes. @defaultValue 10 MiB */
  MAX_AUDIO_BYTES: z.coerce.number().int().positive().default(10 * 1024 * 1024),
  /** Largest decoded image, pixels (width x height). @defaultValue 40 megapixels */
  MAX_IMAGE_PIXELS: z.coerce.number().int().positive().default(40_000_000),
  /** Waiting inference jobs past which new work gets 503 + Retry-After. @defaultValue 1000 */
  QUEUE_MAX_WAITING: z.coerce.number().int().positive().default(1000),
  /** Requests per API key per minute, counted across all API processes. @defaultValue 600 */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  /** Key of the admin API (/admin/*); the admin API is disabled when unset. */
  BIOGATE_ADMIN_KEY: z.string().min(16).optional(),
});
export type ApiEnv = z.infer<typeof ApiEnvSchema>;

export const WorkerEnvSchema = CommonEnvSchema.extend({
  /** Inference threads in the piscina pool (= inference job concurrency). @defaultValue cores - 0, min 1 */
  INFERENCE_THREADS: z.coerce.number().int().min(1).max(64).optional(),
  /** `cpu` or `cuda`; cuda falls back to CPU with one warning when unavailable. @defaultValue cpu */
  INFERENCE_DEVICE: z.enum(['cpu', 'cuda']).default('cpu'),
  /** Concurrent webhook deliveries per worker. @defaultValue 16 */
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  /** Per-attempt webhook timeout. @defaultValue 10000 */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /**
   * Delays in ms between webhook attempts, comma-separated (tests shorten it).
   * @defaultValue 5000,30000,120000,600000,1800000,7200000 (docs/webhooks.md)
   */
  WEBHOOK_RETRY_SCHEDULE_MS: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'comma-separated milliseconds')
    .transform((v) => v.split(',').map(Number))
    .optional(),
  /**
   * Days biometric data is kept: older images, audio, crops, enrollments (by last update), registrations and
   * validations are erased, and older jobs' inputs and results scrubbed, by the `maintenance.retention` job
   * the workers schedule (docs/reliability.md). 0 keeps everything forever and removes the schedule; set the
   * same value on every worker. @defaultValue 0 (off)
   */
  BIOGATE_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(0),
  /**
   * Days audit log entries are kept: older ones are deleted by the same `maintenance.retention` job. Audit
   * entries are compliance records, so BIOGATE_RETENTION_DAYS never purges them and this one may be longer
   * (docs/api/audit.md). 0 keeps them forever; set the same value on every worker. @defaultValue 0 (off)
   */
  BIOGATE_AUDIT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(0),
  /** How often the retention purge runs when BIOGATE_RETENTION_DAYS or BIOGATE_AUDIT_RETENTION_DAYS > 0. @defaultValue 3600000 (hourly) */
  BIOGATE_RETENTION_INTERVAL_MS: z.coerce.number().int().min(1_000).default(3_600_000),
  /**
   * How often each worker checks that every unfinished job row still has its BullMQ job, and enqueues
   * again the ones Redis lost (docs/reliability.md). @defaultValue 30000
   */
  BIOGATE_REQUEUE_INTERVAL_MS: z.coerce.number().int().min(100).default(30_000),
  /** Only job rows older than this are checked (a younger one may be between its insert and its enqueue). @defaultValue 15000 */
  BIOGATE_REQUEUE_AFTER_MS: z.coerce.number().int().min(0).default(15_000),
  /** How often each worker deletes stored files that no Blob row vouches for (crash leftovers). @defaultValue 3600000 */
  BIOGATE_ORPHAN_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).default(3_600_000),
  /** Only files older than this are swept (a younger one may be a write whose row is about to commit). @defaultValue 3600000 */
  BIOGATE_ORPHAN_SWEEP_AFTER_MS: z.coerce.number().int().min(0).default(3_600_000),
});
export type WorkerEnv = z.infer<typeof WorkerEnvSchema>;

export const EmbeddedEnvSchema = ApiEnvSchema.extend(WorkerEnvSchema.shape);
export type EmbeddedEnv = z.infer<typeof EmbeddedEnvSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses env with a schema; a bad value stops startup with every problem listed. */
export function parseEnv<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}
