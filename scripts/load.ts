/**
 * npm run load: N concurrent clients for D seconds against the HTTP API (loopback only, bounded in time
 * and count). Prints throughput, p50/p99 latency, answers by status, Retry-After seen, and the serving
 * process's RSS before, at peak and after.
 *
 *   npm run load -- [--clients 8] [--duration 60] [--max-requests 20000] [--async]
 *                   [--url http://127.0.0.1:8080 --key <api key>] [--database-url postgres://...]
 *                   [--backpressure] [--queue-max 20]
 *
 * Without --url it starts the product itself: `apps/api/src/embedded.ts` as a child process (API + worker,
 * PGlite), or with --database-url a cluster (API process + one worker process) whose API RSS is measured.
 * --backpressure: async submissions with QUEUE_MAX_WAITING=--queue-max and no worker draining faster than
 * clients submit; expect 503 queue_full + Retry-After and a flat RSS instead of growth.
 */
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { freePort, startRedisServer } from '@biogate/queue';
import { sampleMedia } from '@biogate/testing';
import { startProcess } from '../tests/support/processes.ts';
import { startCluster } from '../tests/support/cluster.ts';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '8' },
    duration: { type: 'string', default: '60' },
    'max-requests': { type: 'string', default: '20000' },
    async: { type: 'boolean', default: false },
    url: { type: 'string' },
    key: { type: 'string' },
    'database-url': { type: 'string' },
    backpressure: { type: 'boolean', default: false },
    'queue-max': { type: 'string', default: '20' },
  },
});
const clients = Math.min(256, Math.max(1, Number(values.clients)));
const durationS = Math.min(600, Math.max(1, Number(values.duration)));
const maxRequests = Math.min(1_000_000, Math.max(1, Number(values['max-requests'])));
const asyncMode = values.async || values.backpressure;

interface Target {
  url: string;
  key: string;
  /** pid whose RSS is reported, when this script started it. */
  pid?: number;
  /** Redis the script started, to report queue depth and memory. */
  redisUrl?: string;
  label: string;
  close(): Promise<void>;
}

async function startTarget(): Promise<Target> {
  if (values.url) {
    const host = new URL(values.url).hostname;
    if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) throw new Error('load runs against loopback only');
    if (!values.key) throw new Error('--key is required with --url');
    return { url: values.url.replace(/\/$/, ''), key: values.key, label: 'given URL', close: async () => {} };
  }
  const extra: Record<string, string> = {
    RATE_LIMIT_PER_MINUTE: '10000000',
    ...(values.backpressure ? { QUEUE_MAX_WAITING: String(Number(values['queue-max'])) } : {}),
  };
  if (values['database-url']) {
    const cluster = await startCluster({ databaseUrl: values['database-url'], workers: 1, env: extra });
    return { url: cluster.apiUrl, key: cluster.apiKey, pid: cluster.api.child.pid, redisUrl: cluster.redis.url, label: 'API process (cluster mode, 1 worker process)', close: () => cluster.close() };
  }
  const dir = await mkdtemp(join(tmpdir(), 'biogate-load-'));
  const redis = await startRedisServer({ dataDir: join(dir, 'redis') });
  const port = await freePort();
  const key = `bg_${randomBytes(32).toString('base64url')}`;
  const proc = startProcess('embedded', 'apps/api/src/embedded.ts', {
    ...extra,
    LOG_LEVEL: 'warn',
    BIOGATE_DATA_DIR: join(dir, 'data'),
    REDIS_URL: redis.url,
    PORT: String(port),
    HOST: '127.0.0.1',
    BIOGATE_API_KEY: key,
    INFERENCE_THREADS: '1',
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if ((await fetch(`${url}/health`).catch(() => undefined))?.status === 200) break;
    if (proc.child.exitCode !== null) throw new Error(`embedded process exited:\n${proc.lines.slice(-20).join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    key,
    pid: proc.child.pid,
    redisUrl: redis.url,
    label: 'embedded process (API + worker + PGlite, 1 inference thread)',
    async close() {
      await proc.stop('SIGTERM');
      await redis.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function rssMiB(pid: number | undefined): Promise<number | undefined> {
  if (!pid) return undefined;
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
  return kb ? Math.round(Number(kb) / 1024) : undefined;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

const target = await startTarget();
const photos = await Promise.all(sampleMedia().franck.slice(0, 4).map((p) => readFile(p)));
const path = `/v1/face/detect${asyncMode ? '?async=true' : ''}`;
const byStatus = new Map<string, number>();
const latencies: number[] = [];
let sent = 0;
let retryAfterSeen = 0;
const rssBefore = await rssMiB(target.pid);
let rssPeak = rssBefore ?? 0;
const rssTimeline: number[] = [];
let ticks = 0;
const sampler = setInterval(() => {
  const tick = ticks++;
  void rssMiB(target.pid).then((v) => {
    if (v === undefined) return;
    rssPeak = Math.max(rssPeak, v);
    if (tick % 10 === 0) rssTimeline.push(v);
  });
}, 500);

async function queueState(): Promise<{ waiting: number; redisUsedMiB: number } | undefined> {
  if (!target.redisUrl) return undefined;
  const redis = new Redis(target.redisUrl);
  try {
    const waiting = await redis.llen('bull:biogate-inference:wait');
    const used = /used_memory:(\d+)/.exec(await redis.info('memory'))?.[1];
    return { waiting, redisUsedMiB: Number((Number(used) / 1048576).toFixed(1)) };
  } finally {
    redis.disconnect();
  }
}
const queueBefore = await queueState();

const started = performance.now();
const end = started + durationS * 1000;
async function client(n: number): Promise<void> {
  while (performance.now() < end && sent < maxRequests) {
    sent++;
    const form = new FormData();
    form.append('client_declaration_enduser_consent', 'true');
    form.append('image_file', new Blob([photos[(sent + n) % photos.length] ?? Buffer.alloc(0)]), 'face.jpg');
    const t = performance.now();
    let status: string;
    try {
      const res = await fetch(target.url + path, { method: 'POST', body: form, headers: { authorization: `Bearer ${target.key}` } });
      await res.arrayBuffer();
      status = String(res.status);
      if (res.headers.get('retry-after')) retryAfterSeen++;
    } catch (err) {
      status = `network:${(err as Error).name}`;
    }
    latencies.push(performance.now() - t);
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    // A refused client backs off briefly instead of spinning (the CPU is shared with the server).
    if (status === '503' || status === '429' || status.startsWith('network')) await new Promise((r) => setTimeout(r, 50));
  }
}
await Promise.all(Array.from({ length: clients }, (_, i) => client(i)));
const elapsedS = (performance.now() - started) / 1000;
clearInterval(sampler);
const rssAfter = await rssMiB(target.pid);
const queueAfter = await queueState();
latencies.sort((a, b) => a - b);
const ok = [...byStatus].filter(([s]) => s.startsWith('2')).reduce((acc, [, n]) => acc + n, 0);

const report = {
  target: target.label,
  mode: values.backpressure ? `backpressure (async, QUEUE_MAX_WAITING=${values['queue-max']})` : asyncMode ? 'async submit' : 'sync detect',
  clients,
  durationS: Number(elapsedS.toFixed(1)),
  requests: latencies.length,
  throughputPerS: Number((latencies.length / elapsedS).toFixed(2)),
  okPerS: Number((ok / elapsedS).toFixed(2)),
  p50Ms: Math.round(percentile(latencies, 50)),
  p99Ms: Math.round(percentile(latencies, 99)),
  byStatus: Object.fromEntries([...byStatus].sort()),
  retryAfterSeen,
  rssMiB: { before: rssBefore, peak: rssPeak || undefined, after: rssAfter, every5s: rssTimeline },
  queue: { before: queueBefore, after: queueAfter },
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
await target.close();
process.exit(0);
