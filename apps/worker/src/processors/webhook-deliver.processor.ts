import type { Job } from 'bullmq';
import { enqueue, type JobHandler } from '@biogate/queue';
import { attemptDelivery, nextDelayMs, webhookHeaders } from '@biogate/webhooks';
import { jobView } from '@biogate/contracts';
import { jobFields, type ProcessorContext } from '../lib/context.ts';

/**
 * webhook.deliver: one attempt per job. 2xx delivered; 4xx (but 408/429) permanent; otherwise the next
 * attempt is enqueued with the published delay, until the schedule is exhausted and the delivery is failed.
 * Every attempt is recorded.
 */
export function webhookDeliverProcessor(ctx: ProcessorContext): JobHandler<'webhook.deliver'> {
  return async (payload, job: Job) => {
    const delivery = await ctx.repos.webhooks.get(payload.tenantId, payload.deliveryId);
    if (!delivery || delivery.status !== 'pending') return { skipped: true };
    const [tenant, jobRow] = await Promise.all([
      ctx.repos.tenants.get(payload.tenantId),
      ctx.repos.jobs.get(payload.tenantId, delivery.jobId),
    ]);
    if (!tenant || !jobRow) {
      await ctx.repos.webhooks.markFailed(payload.tenantId, delivery.id, 'tenant or job no longer exists');
      return { skipped: true };
    }
    const body = JSON.stringify({
      type: delivery.eventType,
      timestamp: new Date().toISOString(),
      data: jobView(jobRow),
    });
    const attempt = delivery.attempts + 1;
    const outcome = await attemptDelivery({
      url: delivery.url,
      body,
      headers: { ...webhookHeaders(tenant.webhookSecret, delivery.id, body) },
      timeoutMs: ctx.webhookTimeoutMs,
    });
    await ctx.repos.webhooks.recordAttempt(payload.tenantId, delivery.id, {
      attempt,
      statusCode: 'statusCode' in outcome ? (outcome.statusCode ?? null) : null,
      error: 'error' in outcome ? outcome.error : null,
      durationMs: outcome.durationMs,
    });
    const log = ctx.log.child({ ...jobFields(job), deliveryId: delivery.id });
    if (outcome.kind === 'delivered') {
      await ctx.repos.webhooks.markDelivered(payload.tenantId, delivery.id);
      log.info({ statusCode: outcome.statusCode, durationMs: outcome.durationMs }, 'webhook delivered');
      return { delivered: true };
    }
    const delay = outcome.kind === 'permanent' ? null : nextDelayMs(attempt, ctx.webhookRetryScheduleMs);
    if (delay === null) {
      await ctx.repos.webhooks.markFailed(payload.tenantId, delivery.id, outcome.error);
      log.warn({ deliveryAttempt: attempt, error: outcome.error }, 'webhook delivery failed permanently');
      return { delivered: false };
    }
    const nextAttemptAt = new Date(Date.now() + delay);
    await ctx.repos.webhooks.scheduleRetry(payload.tenantId, delivery.id, nextAttemptAt, outcome.error);
    await enqueue(
      ctx.queues,
      'webhook.deliver',
      { tenantId: payload.tenantId, deliveryId: delivery.id },
      { jobId: `wh-${delivery.id}-${attempt + 1}`, delay, attempts: 1 },
    );
    log.info({ deliveryAttempt: attempt, error: outcome.error, delayMs: delay }, 'webhook attempt failed, retry scheduled');
    return { delivered: false, retryInMs: delay };
  };
}
