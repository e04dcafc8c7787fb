import type { Prisma } from './generated/client.ts';

/** A Prisma client or the client of an open transaction: repositories work on either. */
export type DbClient = Prisma.TransactionClient;

/**
 * Whether `err` is a unique-constraint violation: Prisma reports P2002 through @prisma/adapter-pg, while the
 * PGlite adapter passes PostgreSQL's SQLSTATE 23505 through.
 */
export function isUniqueViolation(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return code === 'P2002' || code === '23505';
}
