import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, signWebhook, verifyWebhook, webhookHeaders } from './signing.ts';

describe('Standard Webhooks signing', () => {
  it('matches the published Standard Webhooks example vector', () => {
    const sig = signWebhook(
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      1614265330,
      '{"test": 2432232314}',
    );
    expect(sig).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('verifies its own headers and rejects tampering, other secrets and stale timestamps', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    const body = '{"type":"job.completed"}';
    const now = new Date('2026-01-01T00:00:00Z');
    const headers = webhookHeaders(secret, 'd-1', body, now);
    expect(verifyWebhook(secret, { ...headers }, body, 300, now)).toBe(true);
    expect(verifyWebhook(secret, { ...headers }, body + ' ', 300, now)).toBe(false);
    expect(verifyWebhook(generateWebhookSecret(), { ...headers }, body, 300, now)).toBe(false);
    expect(verifyWebhook(secret, { ...headers }, body, 300, new Date(now.getTime() + 301_000))).toBe(false);
    expect(verifyWebhook(secret, { ...headers, 'webhook-id': 'd-2' }, body, 300, now)).toBe(false);
  });
});
