import type { FastifyReply, FastifyRequest } from 'fastify';
import { BiogateError, isErrorCode, jobView, type StoredResult } from '@biogate/contracts';
import type { Database, Repositories } from '@biogate/db';
import type { BlobStore } from '@biogate/storage';
import type { Queues } from '@biogate/queue';
import type { JobService, SubmitOutcome } from './jobs.service.ts';
import type { MediaLimits } from './media.ts';
import { flag } from './form.ts';

/** What every route module receives. */
export interface RouteDeps {
  db: Database;
  repos: Repositories;
  blobs: BlobStore;
  jobs: JobService;
  queues: Queues;
  limits: MediaLimits & { maxAudioBytes: number };
}

/** Common request options: `?async=true`, `callback_url` (query or body field), `Idempotency-Key`. */
export function requestMode(request: FastifyRequest, fields: Record<string, string> = {}) {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const callbackUrl = (typeof query.callback_url === 'string' ? query.callback_url : undefined) ?? fields.callback_url;
  if (callbackUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(callbackUrl);
    } catch {
      throw new BiogateError('invalid_request', 'callback_url must be an absolute http(s) URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new BiogateError('invalid_request', 'callback_url must be an absolute http(s) URL');
    }
  }
  const idem = request.headers['idempotency-key'];
  const idempotencyKey = typeof idem === 'string' && idem.length > 0 ? idem.slice(0, 200) : undefined;
  // A callback alone makes the request asynchronous: the result goes to the webhook.
  const isAsync = flag(query.async) || flag(fields.async) || callbackUrl !== undefined;
  return { async: isAsync, callbackUrl, idempotencyKey };
}

/** Sends a job outcome: 202 with the job view, the stored result as is, or the job's error. */
export function sendOutcome(reply: FastifyReply, outcome: SubmitOutcome): FastifyReply {
  if (outcome.kind === 'accepted') {
    return reply.code(202).header('location', `/v1/jobs/${outcome.job.id}`).send(jobView(outcome.job));
  }
  const { job } = outcome;
  if (job.status === 'completed' && job.result) {
    const result = job.result as unknown as StoredResult;
    return reply.code(result.status).send(result.body);
  }
  const error = (job.error ?? {}) as { code?: string; message?: string };
  const code = error.code && isErrorCode(error.code) ? error.code : 'job_failed';
  throw new BiogateError(code, error.message ?? 'the job failed', { job_id: job.id });
}
