export * from './connection.ts';
export * from './queues.ts';
export * from './redis-server.ts';
