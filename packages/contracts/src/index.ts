export * from './errors.ts';
export * from './jobs.ts';
export * from './job-view.ts';
export * from './views.ts';
export * from './face.ts';
