import type { PrismaClient } from './generated/client.ts';
import type { DbClient } from './client.ts';

export interface TransactionOptions {
  /**
   * Longest time the transaction may stay open.
   * @defaultValue 10000
   */
  timeoutMs?: number;
}

/**
 * Runs `fn` in one interactive transaction: everything it writes through `tx` commits together or not at
 * all. Build repositories on `tx` (`createRepositories(tx)`) inside it.
 *
 * Inside `fn`, use only `tx`: on PGlite (one connection) a query through the outer client waits for the
 * transaction while the transaction waits for `fn`, a deadlock that no timeout breaks. Other callers'
 * queries simply wait for the commit.
 */
export function withTransaction<T>(prisma: PrismaClient, fn: (tx: DbClient) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  return prisma.$transaction(fn, { timeout: options.timeoutMs ?? 10_000, maxWait: 10_000 });
}
