import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeCpf } from './cpf.ts';

/** Independent reference: check digits as the Receita Federal defines them (sum mod 11, <2 -> 0). */
function referenceValid(digits: string): boolean {
  if (!/^\d{11}$/.test(digits) || new Set(digits).size === 1) return false;
  const d = [...digits].map(Number);
  const digit = (n: number) => {
    const sum = d.slice(0, n).reduce((acc, v, i) => acc + v * (n + 1 - i), 0);
    const r = sum % 11;
    return r < 2 ? 0 : 11 - r;
  };
  return digit(9) === d[9] && digit(10) === d[10];
}

function withCheckDigits(nine: number[]): string {
  const d = [...nine];
  for (const n of [9, 10]) {
    const r = d.reduce((acc, v, i) => acc + v * (n + 1 - i), 0) % 11;
    d.push(r < 2 ? 0 : 11 - r);
  }
  return d.join('');
}

const format = (s: string) => `${s.slice(0, 3)}.${s.slice(3, 6)}.${s.slice(6, 9)}-${s.slice(9)}`;
const digitString = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 11, maxLength: 11 }).map((a) => a.join(''));
const nineDigits = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }).filter((a) => new Set(a).size > 1);

describe('normalizeCpf (property-based)', () => {
  it('agrees with an independent reference on every 11-digit string, bare and formatted', () => {
    fc.assert(
      fc.property(digitString, (s) => {
        const expected = referenceValid(s) ? s : null;
        expect(normalizeCpf(s)).toBe(expected);
        expect(normalizeCpf(format(s))).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('accepts every CPF built with correct check digits and refuses a changed check digit', () => {
    fc.assert(
      fc.property(nineDigits, fc.integer({ min: 9, max: 10 }), fc.integer({ min: 1, max: 9 }), (nine, pos, delta) => {
        const cpf = withCheckDigits(nine);
        expect(normalizeCpf(cpf)).toBe(cpf);
        expect(normalizeCpf(`  ${format(cpf)} `)).toBe(cpf);
        const changed = cpf.slice(0, pos) + String((Number(cpf[pos]) + delta) % 10) + cpf.slice(pos + 1);
        expect(normalizeCpf(changed)).toBeNull();
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws and returns null or 11 digits for any value', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.string(), fc.stringMatching(/^[\d.\- /]{0,20}$/)), (value) => {
        const result = normalizeCpf(value);
        if (result !== null) expect(result).toMatch(/^\d{11}$/);
      }),
      { numRuns: 2000 },
    );
  });
});
