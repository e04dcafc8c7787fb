import { parseEnv, WorkerEnvSchema } from '@biogate/config';

// The only place the worker reads process.env.
export const loadWorkerEnv = () => parseEnv(WorkerEnvSchema, process.env);
