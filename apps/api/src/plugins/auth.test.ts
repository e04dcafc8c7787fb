import { describe, expect, it } from 'vitest';
import { apiKeyFrom, hashApiKey } from './auth.ts';

describe('apiKeyFrom', () => {
  it('reads raw, Bearer and Basic (key as password) credentials', () => {
    expect(apiKeyFrom('bg_abc')).toBe('bg_abc');
    expect(apiKeyFrom('Bearer bg_abc')).toBe('bg_abc');
    expect(apiKeyFrom('bearer   bg_abc')).toBe('bg_abc');
    expect(apiKeyFrom(`Basic ${Buffer.from('user:bg_abc').toString('base64')}`)).toBe('bg_abc');
    expect(apiKeyFrom(`Basic ${Buffer.from(':bg:abc').toString('base64')}`)).toBe('bg:abc');
  });
  it('returns nothing for a missing header or an unknown scheme with a credential', () => {
    expect(apiKeyFrom(undefined)).toBeUndefined();
    expect(apiKeyFrom('')).toBeUndefined();
    expect(apiKeyFrom('Digest foo')).toBeUndefined();
  });
  it('hashes keys with sha256 so only digests are stored', () => {
    expect(hashApiKey('bg_abc')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey('bg_abc')).not.toBe(hashApiKey('bg_abd'));
  });
});
