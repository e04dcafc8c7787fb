export * from './media.ts';
export * from './postgres.ts';
