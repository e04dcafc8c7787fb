export * from './signing.ts';
export * from './delivery.ts';
