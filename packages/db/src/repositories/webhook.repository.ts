import type { WebhookAttempt, WebhookDelivery, WebhookDeliveryStatus } from '../generated/client.ts';
import type { DbClient } from '../client.ts';

export type WebhookDeliveryRecord = WebhookDelivery;
export type WebhookAttemptRecord = WebhookAttempt;
export type { WebhookDeliveryStatus };

export interface CreateDeliveryInput {
  /** @defaultValue a random UUID */
  id?: string;
  jobId: string;
  url: string;
  /** e.g. `job.completed`, `job.failed` */
  eventType: string;
}

export interface AttemptInput {
  /** 1-based attempt number. */
  attempt: number;
  statusCode?: number | null;
  /** Short reason (timeout, status text); never the request or response body. */
  error?: string | null;
  durationMs: number;
}

export function createWebhookRepository(db: DbClient) {
  return {
    create(tenantId: string, input: CreateDeliveryInput): Promise<WebhookDeliveryRecord> {
      return db.webhookDelivery.create({ data: { ...input, tenantId } });
    },

    get(tenantId: string, id: string): Promise<WebhookDeliveryRecord | null> {
      return db.webhookDelivery.findFirst({ where: { id, tenantId } });
    },

    listForJob(tenantId: string, jobId: string): Promise<WebhookDeliveryRecord[]> {
      return db.webhookDelivery.findMany({ where: { tenantId, jobId }, orderBy: { createdAt: 'asc' } });
    },

    /** The attempts of a delivery of `tenantId`, in order; empty for another tenant's delivery. */
    listAttempts(tenantId: string, deliveryId: string): Promise<WebhookAttemptRecord[]> {
      return db.webhookAttempt.findMany({ where: { deliveryId, delivery: { tenantId } }, orderBy: { attempt: 'asc' } });
    },

    /**
     * Records one attempt and mirrors it on the delivery (attempts, last status, last error) in one statement;
     * null (nothing written) when the delivery is not one of this tenant's.
     */
    async recordAttempt(tenantId: string, deliveryId: string, input: AttemptInput): Promise<WebhookAttemptRecord | null> {
      const statusCode = input.statusCode ?? null;
      const error = input.error ?? null;
      const owned = await db.webhookDelivery.count({ where: { id: deliveryId, tenantId } });
      if (owned === 0) return null;
      const delivery = await db.webhookDelivery.update({
        where: { id: deliveryId, tenantId },
        data: {
          attempts: input.attempt,
          lastStatusCode: statusCode,
          lastError: error,
          attemptsLog: { create: { attempt: input.attempt, statusCode, error, durationMs: Math.round(input.durationMs) } },
        },
        include: { attemptsLog: { where: { attempt: input.attempt }, orderBy: { createdAt: 'desc' }, take: 1 } },
      });
      return delivery.attemptsLog[0]!;
    },

    async markDelivered(tenantId: string, deliveryId: string): Promise<boolean> {
      const res = await db.webhookDelivery.updateMany({
        where: { id: deliveryId, tenantId, status: 'pending' },
        data: { status: 'delivered', deliveredAt: new Date(), nextAttemptAt: null },
      });
      return res.count > 0;
    },

    async markFailed(tenantId: string, deliveryId: string, error: string): Promise<boolean> {
      const res = await db.webhookDelivery.updateMany({
        where: { id: deliveryId, tenantId, status: 'pending' },
        data: { status: 'failed', lastError: error, nextAttemptAt: null },
      });
      return res.count > 0;
    },

    /** Puts a finished (failed or delivered) delivery of this tenant back to pending, for a manual redelivery. */
    async reopen(tenantId: string, deliveryId: string): Promise<boolean> {
      const res = await db.webhookDelivery.updateMany({
        where: { id: deliveryId, tenantId, status: { in: ['failed', 'delivered'] } },
        data: { status: 'pending', nextAttemptAt: new Date(), deliveredAt: null },
      });
      return res.count > 0;
    },

    /** Keeps the delivery pending with the time of its next attempt. */
    async scheduleRetry(tenantId: string, deliveryId: string, nextAttemptAt: Date, error: string): Promise<boolean> {
      const res = await db.webhookDelivery.updateMany({
        where: { id: deliveryId, tenantId, status: 'pending' },
        data: { nextAttemptAt, lastError: error },
      });
      return res.count > 0;
    },
  };
}

export type WebhookRepository = ReturnType<typeof createWebhookRepository>;
