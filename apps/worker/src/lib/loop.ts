import type { ProcessorContext } from './context.ts';

/**
 * Runs `round` now and every `intervalMs` in this process (not through Redis, whose state may be what is in
 * doubt); a failed round is logged and the next one tries again. The returned stop waits for a running round.
 */
export function startLoop(ctx: ProcessorContext, what: string, intervalMs: number, round: () => Promise<unknown>): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    running = round().catch((err: unknown) => ctx.log.warn({ err: (err as Error).message }, `${what} failed; retrying next round`));
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
