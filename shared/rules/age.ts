import { isValidCalendarDate } from './calendarDate';

/** A POS merchant must be an adult (DOMAIN.md: applicants under 18 are refused). */
export const ADULT_AGE = 18;

/**
 * Age in whole years (周岁) on `today`. Someone born on 29 February turns a year older on
 * 1 March in a common year, i.e. only once the birthday has fully passed.
 */
export function ageOn(birthDate: string, today: string): number {
  if (!isValidCalendarDate(birthDate)) throw new RangeError(`not a calendar date: ${birthDate}`);
  if (!isValidCalendarDate(today)) throw new RangeError(`not a calendar date: ${today}`);
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  // 'MM-DD' strings compare in calendar order.
  return today.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** Validity of a resident ID card issued on `issueDate`, in years, or 'long_term' (长期). */
export type DocumentValidity = 5 | 10 | 20 | 'long_term';

// 居民身份证法 (Law on Resident Identity Cards) art. 5: under 16 → 5 years, 16–25 → 10,
// 26–45 → 20, 46 and over → long-term; the age is the holder's age on the day of issue.
export function documentValidity(birthDate: string, issueDate: string): DocumentValidity {
  const age = ageOn(birthDate, issueDate);
  if (age < 16) return 5;
  if (age <= 25) return 10;
  if (age <= 45) return 20;
  return 'long_term';
}

/** The youngest age at which a resident ID card can be long-term (长期). */
export const LONG_TERM_DOCUMENT_MIN_AGE = 46;
