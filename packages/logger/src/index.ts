import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths never written to logs. Biometric payloads and secrets are redacted by key wherever they appear,
 * one or two levels deep, so a careless `log.info({ body })` cannot leak them.
 */
export const REDACT_KEYS = [
  'image',
  'images',
  'image_file',
  'image_file1',
  'image_file2',
  'faceImageBase',
  'encrypted_image',
  'audio',
  'audio_file1',
  'audio_file2',
  'embedding',
  'embeddings',
  'authorization',
  'apiKey',
  'api_key',
  'secret',
  'webhookSecret',
  'password',
];

const redactPaths = REDACT_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `req.headers.${k}`]);

export interface CreateLoggerOptions {
  /** Service name written on every line (`api`, `worker`). */
  name: string;
  /** @defaultValue info */
  level?: LoggerOptions['level'];
  /** Destination stream; stdout when omitted. */
  destination?: pino.DestinationStream;
}

export function createLogger(options: CreateLoggerOptions): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? 'info',
      redact: { paths: redactPaths, censor: '[redacted]' },
      base: { service: options.name },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}
