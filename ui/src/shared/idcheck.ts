// 居民身份证号码 checked as the person types (the same rules as mz-core: GB 11643 check digit,
// a real birth date, a province that exists). The hub checks again.
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63,
  64, 65, 71, 81, 82, 83,
]);

export type IdProblem = null | 'length' | 'chars' | 'area' | 'date' | 'check';

export function idProblem(raw: string): IdProblem {
  const s = raw.trim().toUpperCase();
  if (!/^[0-9]{0,17}[0-9X]?$/.test(s)) return 'chars';
  if (s.length !== 18) return 'length';
  if (!PROVINCES.has(Number(s.slice(0, 2)))) return 'area';
  const y = Number(s.slice(6, 10)),
    m = Number(s.slice(10, 12)),
    d = Number(s.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return 'date';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(s[i]) * (2 ** (17 - i) % 11);
  const c = (12 - (sum % 11)) % 11;
  return (c === 10 ? 'X' : String(c)) === s[17] ? null : 'check';
}
