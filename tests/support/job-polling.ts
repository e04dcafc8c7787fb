/** A job as GET /v1/jobs/:id shows it (the fields fault tests read). */
export interface JobView {
  job_id: string;
  status: string;
  attempts: number;
  http_status?: number;
  result?: Record<string, unknown>;
  error?: { code: string };
  webhook_deliveries?: Array<{ status: string; attempts: number; last_status_code: number | null; last_error: string | null; next_attempt_at: string | null }>;
}

type Request = (path: string, init?: RequestInit) => Promise<Response>;

/**
 * Polls GET /v1/jobs/:id until `done(job)` for each id, as a client of the public API would; network
 * errors and 5xx (an engine being down) are retried until the deadline.
 */
export async function waitForJobs(
  request: Request,
  ids: string[],
  options: { timeoutMs: number; done?: (job: JobView) => boolean },
): Promise<JobView[]> {
  const done = options.done ?? ((j: JobView) => j.status === 'completed' || j.status === 'failed');
  const deadline = Date.now() + options.timeoutMs;
  const finished = new Map<string, JobView>();
  const last = new Map<string, string>();
  while (finished.size < ids.length) {
    for (const id of ids) {
      if (finished.has(id)) continue;
      try {
        const res = await request(`/v1/jobs/${id}`);
        if (res.ok) {
          const job = (await res.json()) as JobView;
          last.set(id, job.status);
          if (done(job)) finished.set(id, job);
        } else last.set(id, `http ${res.status}`);
      } catch (err) {
        last.set(id, (err as Error).message);
      }
    }
    if (finished.size === ids.length) break;
    if (Date.now() > deadline) {
      throw new Error(`jobs not finished in ${options.timeoutMs} ms: ${JSON.stringify(Object.fromEntries(last))}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return ids.map((id) => finished.get(id) as JobView);
}
