import { ApiEnvSchema, EmbeddedEnvSchema, parseEnv } from '@biogate/config';

// The only place the API reads process.env.
export const loadApiEnv = () => parseEnv(ApiEnvSchema, process.env);
export const loadEmbeddedEnv = () => parseEnv(EmbeddedEnvSchema, process.env);
