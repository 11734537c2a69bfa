/** 20300101, 2030.01.01, 2030/1/1 or 2030年1月1日 as a teller may type it → 2030-01-01; anything else as typed. */
export function normalizeDateInput(raw: string): string {
  const value = raw.normalize('NFKC').trim();
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (compact) return `${compact[1]}-${compact[2]}-${compact[3]}`;
  const separated = /^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$/.exec(value);
  if (separated) return `${separated[1]}-${separated[2]?.padStart(2, '0')}-${separated[3]?.padStart(2, '0')}`;
  return value;
}
