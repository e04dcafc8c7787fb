import type { Prisma } from './generated/client.ts';

/** A Prisma client or the client of an open transaction: repositories work on either. */
export type DbClient = Prisma.TransactionClient;

/** Prisma's error code for a unique constraint violation. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'P2002';
}
