/** The fields of a stored job that the public view reads (structural, so contracts stays a leaf). */
export interface JobLike {
  id: string;
  name: string;
  status: string;
  createdAt: Date;
  finishedAt: Date | null;
  attempts: number;
  result: unknown;
  error: unknown;
  /** Set once the retention purge scrubbed the job's input and result. */
  purgedAt?: Date | null;
}

/** A finished job's stored result: the HTTP status and body the client gets. */
export interface StoredResult {
  status: number;
  body: unknown;
}

/**
 * The job as GET /v1/jobs/:id, 202 answers and webhooks show it: ids, status, and once finished the
 * result the synchronous call would have returned. Never input bytes.
 */
export function jobView(job: JobLike) {
  const result = job.result as StoredResult | null;
  return {
    job_id: job.id,
    name: job.name,
    status: job.status,
    status_url: `/v1/jobs/${job.id}`,
    created_at: job.createdAt.toISOString(),
    finished_at: job.finishedAt?.toISOString() ?? null,
    attempts: job.attempts,
    ...(result ? { http_status: result.status, result: result.body } : {}),
    ...(job.error ? { error: job.error } : {}),
    ...(job.purgedAt ? { purged_at: job.purgedAt.toISOString() } : {}),
  };
}
