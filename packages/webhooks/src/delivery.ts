/**
 * One delivery attempt and the retry schedule. 2xx = delivered; 4xx = permanent failure (the receiver
 * rejected it; retrying cannot help), except 408/429 which are transient; 5xx, timeouts and network
 * errors are retried on RETRY_SCHEDULE_MS.
 */

/** Delay before attempt n+1 after attempt n failed (published in docs/webhooks.md). */
export const RETRY_SCHEDULE_MS = [5_000, 30_000, 2 * 60_000, 10 * 60_000, 30 * 60_000, 2 * 3600_000];

/** Total attempts including the first. */
export const MAX_ATTEMPTS = RETRY_SCHEDULE_MS.length + 1;

export type AttemptOutcome =
  | { kind: 'delivered'; statusCode: number; durationMs: number }
  | { kind: 'permanent'; statusCode: number; durationMs: number; error: string }
  | { kind: 'transient'; statusCode?: number; durationMs: number; error: string };

export interface DeliveryRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

export async function attemptDelivery(req: DeliveryRequest): Promise<AttemptOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const res = await fetch(req.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'biogate-webhooks/1', ...req.headers },
      body: req.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(req.timeoutMs),
    });
    // Drain the body so the socket is reused; its content is not kept.
    await res.arrayBuffer().catch(() => undefined);
    const statusCode = res.status;
    if (statusCode >= 200 && statusCode < 300) return { kind: 'delivered', statusCode, durationMs: elapsed() };
    if (statusCode >= 400 && statusCode < 500 && statusCode !== 408 && statusCode !== 429) {
      return { kind: 'permanent', statusCode, durationMs: elapsed(), error: `receiver answered ${statusCode}` };
    }
    return { kind: 'transient', statusCode, durationMs: elapsed(), error: `receiver answered ${statusCode}` };
  } catch (err) {
    const name = (err as Error).name;
    const error = name === 'TimeoutError' ? `timed out after ${req.timeoutMs} ms` : `network error: ${(err as Error).message}`;
    return { kind: 'transient', durationMs: elapsed(), error };
  }
}

/** Delay before the next attempt after `attemptsMade` attempts, or null when the schedule is exhausted. */
export function nextDelayMs(attemptsMade: number, schedule: readonly number[] = RETRY_SCHEDULE_MS): number | null {
  return attemptsMade <= schedule.length ? (schedule[attemptsMade - 1] ?? null) : null;
}
