/**
 * Brazilian CPF: 11 digits, the last two are check digits (mod 11 over weights 10..2 and 11..2).
 * Accepted formatted (`123.456.789-09`) or bare; returns the 11 digits or null when invalid.
 */
export function normalizeCpf(input: unknown): string | null {
  if (typeof input !== 'string' && typeof input !== 'number') return null;
  const raw = String(input).trim();
  if (!/^(\d{11}|\d{3}\.\d{3}\.\d{3}-\d{2})$/.test(raw)) return null;
  const digits = raw.replace(/\D/g, '');
  // Eleven equal digits pass the arithmetic but are not issued.
  if (/^(\d)\1{10}$/.test(digits)) return null;
  const check = (len: number) => {
    let sum = 0;
    for (let i = 0; i < len; i++) sum += Number(digits[i]) * (len + 1 - i);
    const rest = (sum * 10) % 11;
    return rest === 10 ? 0 : rest;
  };
  return check(9) === Number(digits[9]) && check(10) === Number(digits[10]) ? digits : null;
}
