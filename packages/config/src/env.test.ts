import { describe, expect, it } from 'vitest';
import { ConfigError, EmbeddedEnvSchema, parseEnv, WorkerEnvSchema } from './env.ts';

describe('BIOGATE_AUDIT_RETENTION_DAYS', () => {
  it('defaults to 0 (keep audit events forever), independent of BIOGATE_RETENTION_DAYS', () => {
    expect(parseEnv(WorkerEnvSchema, {})).toMatchObject({ BIOGATE_AUDIT_RETENTION_DAYS: 0, BIOGATE_RETENTION_DAYS: 0 });
    expect(parseEnv(WorkerEnvSchema, { BIOGATE_RETENTION_DAYS: '30' }).BIOGATE_AUDIT_RETENTION_DAYS).toBe(0);
    // Longer than the biometric retention is allowed: audit events are compliance records.
    expect(parseEnv(EmbeddedEnvSchema, { BIOGATE_RETENTION_DAYS: '30', BIOGATE_AUDIT_RETENTION_DAYS: '2555' })).toMatchObject({
      BIOGATE_RETENTION_DAYS: 30,
      BIOGATE_AUDIT_RETENTION_DAYS: 2555,
    });
  });

  it.each(['-1', '1.5', 'forever', '36501'])('refuses %s with an error naming the variable', (value) => {
    const parse = () => parseEnv(WorkerEnvSchema, { BIOGATE_AUDIT_RETENTION_DAYS: value });
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(/BIOGATE_AUDIT_RETENTION_DAYS: /);
  });
});
