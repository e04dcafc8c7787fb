import { describe, expect, it } from 'vitest';
import { formatCpf } from '@biogate/contracts';
import { normalizeCpf } from './cpf.ts';

describe('normalizeCpf', () => {
  it('accepts valid CPFs formatted or bare', () => {
    expect(normalizeCpf('529.982.247-25')).toBe('52998224725');
    expect(normalizeCpf('52998224725')).toBe('52998224725');
    expect(normalizeCpf('111.444.777-35')).toBe('11144477735');
    expect(formatCpf('52998224725')).toBe('529.982.247-25');
  });
  it('rejects wrong check digits, repeated digits, odd formats and non-strings', () => {
    expect(normalizeCpf('529.982.247-26')).toBeNull();
    expect(normalizeCpf('52998224715')).toBeNull();
    expect(normalizeCpf('111.111.111-11')).toBeNull();
    expect(normalizeCpf('123.456.789-00')).toBeNull();
    expect(normalizeCpf('529982247-25')).toBeNull();
    expect(normalizeCpf('5299822472')).toBeNull();
    expect(normalizeCpf("52998224725' OR 1=1")).toBeNull();
    expect(normalizeCpf(null)).toBeNull();
    expect(normalizeCpf({})).toBeNull();
  });
});
