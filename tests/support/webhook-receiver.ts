import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A real HTTP receiver on loopback. `answer` picks the status per call (1-based), so tests can make it
 * fail a few times before accepting. `next()` resolves with the next request received.
 */
export async function startWebhookReceiver(answer: (call: number) => number = () => 200) {
  const received: ReceivedWebhook[] = [];
  const waiters: Array<(r: ReceivedWebhook) => void> = [];
  let calls = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      calls += 1;
      const hit = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(hit);
      res.statusCode = answer(calls);
      res.end();
      waiters.shift()?.(hit);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    received,
    next(timeoutMs = 30_000): Promise<ReceivedWebhook> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no webhook received in time')), timeoutMs);
        waiters.push((r) => {
          clearTimeout(timer);
          resolve(r);
        });
      });
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
