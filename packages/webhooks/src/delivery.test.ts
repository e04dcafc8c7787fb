import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptDelivery, MAX_ATTEMPTS, nextDelayMs, RETRY_SCHEDULE_MS } from './delivery.ts';

let server: Server;
let base: string;

beforeAll(async () => {
  // A real receiver whose answer is chosen by path: /status/<code> or /slow.
  server = createServer((req, res) => {
    req.resume();
    if (req.url === '/slow') {
      setTimeout(() => res.end('late'), 2_000);
      return;
    }
    const code = Number(req.url?.split('/')[2] ?? 200);
    res.statusCode = code;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const send = (path: string, timeoutMs = 1_000) =>
  attemptDelivery({ url: base + path, body: '{}', headers: {}, timeoutMs });

describe('attemptDelivery', () => {
  it('classifies 2xx as delivered, 4xx as permanent, 5xx/408/429 as transient', async () => {
    expect((await send('/status/204')).kind).toBe('delivered');
    expect((await send('/status/410')).kind).toBe('permanent');
    expect((await send('/status/400')).kind).toBe('permanent');
    expect((await send('/status/500')).kind).toBe('transient');
    expect((await send('/status/503')).kind).toBe('transient');
    expect((await send('/status/429')).kind).toBe('transient');
    expect((await send('/status/408')).kind).toBe('transient');
  });

  it('treats a timeout and a refused connection as transient', async () => {
    const slow = await send('/slow', 200);
    expect(slow).toMatchObject({ kind: 'transient' });
    expect(slow.kind === 'transient' && slow.error).toMatch(/timed out/);
    const refused = await attemptDelivery({ url: 'http://127.0.0.1:1/x', body: '{}', headers: {}, timeoutMs: 500 });
    expect(refused.kind).toBe('transient');
  });

  it('follows the published schedule, then stops', () => {
    expect(nextDelayMs(1)).toBe(RETRY_SCHEDULE_MS[0]);
    expect(nextDelayMs(MAX_ATTEMPTS - 1)).toBe(RETRY_SCHEDULE_MS.at(-1));
    expect(nextDelayMs(MAX_ATTEMPTS)).toBeNull();
  });
});
