import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT } from '@biogate/testing';

/** A biogate process (API or worker) started with `node --import tsx`, with its log lines kept. */
export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  /** Every stdout/stderr line so far (pino JSON lines, or anything else the process printed). */
  lines: string[];
  /** Resolves with the first log record whose `msg` matches, rejects on exit or timeout. */
  waitForLog(msg: RegExp, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Sends the signal and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  exited: Promise<number | null>;
}

/** Starts `entry` (a path from the repo root) with env added to the current one. */
export function startProcess(name: string, entry: string, env: Record<string, string>): ManagedProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  const onData = (() => {
    let rest = '';
    return (chunk: Buffer) => {
      const parts = (rest + chunk.toString('utf8')).split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        for (const l of listeners) l(line);
      }
    };
  })();
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  return {
    name,
    child,
    lines,
    exited,
    waitForLog(msg, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const match = (line: string): Record<string, unknown> | undefined => {
          try {
            const record = JSON.parse(line) as Record<string, unknown>;
            return typeof record.msg === 'string' && msg.test(record.msg) ? record : undefined;
          } catch {
            return undefined;
          }
        };
        for (const line of lines) {
          const hit = match(line);
          if (hit) return resolve(hit);
        }
        const timer = setTimeout(() => finish(new Error(`${name}: no log ${msg} within ${timeoutMs} ms; last lines:\n${lines.slice(-15).join('\n')}`)), timeoutMs);
        const listener = (line: string) => {
          const hit = match(line);
          if (hit) finish(undefined, hit);
        };
        const finish = (err?: Error, hit?: Record<string, unknown>) => {
          clearTimeout(timer);
          listeners.delete(listener);
          if (err) reject(err);
          else if (hit) resolve(hit);
        };
        listeners.add(listener);
        void exited.then((code) => finish(new Error(`${name} exited (${code}) before logging ${msg}:\n${lines.slice(-15).join('\n')}`)));
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
