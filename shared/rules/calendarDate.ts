// Calendar dates as 'YYYY-MM-DD' strings. Proleptic Gregorian arithmetic done by hand so that no
// time zone, Date object or clock can shift a birth date by a day.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;

// Gregorian rule: 1900 was not a leap year, 2000 was.
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isRealDate(year: number, month: number, day: number): boolean {
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** A real date written 'YYYY-MM-DD' (2000-02-29 yes, 1900-02-29 and 2023-04-31 no). */
export function isValidCalendarDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** 'YYYYMMDD' as printed inside ID numbers → 'YYYY-MM-DD', or undefined when it is no real date. */
export function isoDateFromCompact(compact: string): string | undefined {
  const m = COMPACT_DATE.exec(compact);
  if (m === null) return undefined;
  const [, y = '', mo = '', d = ''] = m;
  return isRealDate(Number(y), Number(mo), Number(d)) ? `${y}-${mo}-${d}` : undefined;
}

/** Same date `years` later; 29 February falls back to 28 February in a common year. */
export function addYears(date: string, years: number): string {
  const m = ISO_DATE.exec(date);
  if (m === null || !isValidCalendarDate(date)) throw new RangeError(`not a calendar date: ${date}`);
  const year = Number(m[1]) + years;
  const month = Number(m[2]);
  const day = Math.min(Number(m[3]), daysInMonth(year, month));
  return `${String(year).padStart(4, '0')}-${m[2]}-${String(day).padStart(2, '0')}`;
}
