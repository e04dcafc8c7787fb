/**
 * Every case of the hostile-input corpus through the real HTTP API of a whole stack (PGlite, private
 * redis-server, worker with the inference pool): each gets its documented status and code, and the
 * process keeps answering /health.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileCorpus, toRequestInit, type HostileCase } from '@biogate/testing/hostile/index';
import { startStack, type Stack } from './support/stack.ts';

const cases = await hostileCorpus();
const outcomes = new Map<string, number>();
let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
}, 120_000);

afterAll(async () => {
  const byCategory = new Map<string, number>();
  for (const c of cases) byCategory.set(c.category, (byCategory.get(c.category) ?? 0) + 1);
  // eslint-disable-next-line no-console
  console.log(`hostile corpus: ${cases.length} cases`, Object.fromEntries(byCategory), 'statuses', Object.fromEntries(outcomes));
  await stack?.close();
}, 120_000);

async function send(c: HostileCase): Promise<{ status: number; body: Record<string, unknown> }> {
  const { body, headers } = toRequestInit(c);
  if (c.apiKey !== undefined && c.apiKey !== null) headers.set('authorization', `Bearer ${c.apiKey}`);
  const res = await stack.request(c.path, {
    method: c.method,
    headers,
    ...(body !== undefined ? { body } : {}),
    ...(c.apiKey === null ? { key: null } : {}),
  });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = { unparsable: text.slice(0, 200) };
  }
  return { status: res.status, body: parsed };
}

describe(`hostile input (${cases.length} cases)`, () => {
  it('has at least 50 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
  });

  cases.forEach((c, index) => {
    it(`${c.category}: ${c.name}`, async () => {
      const { status, body } = await send(c);
      outcomes.set(String(status), (outcomes.get(String(status)) ?? 0) + 1);
      if ('accepted' in c.expect) {
        expect([200, 202], JSON.stringify(body)).toContain(status);
      } else {
        expect({ status, code: body.code }).toEqual({ status: c.expect.status, code: c.expect.code });
        // Refusals never echo input bytes back.
        expect(JSON.stringify(body).length).toBeLessThan(2_000);
      }
      if (index % 10 === 9) expect((await stack.request('/health')).status).toBe(200);
    }, 60_000);
  });

  it('still answers /health after the whole corpus', async () => {
    const res = await stack.request('/health');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: string }).status).toBe('ok');
  });
});
