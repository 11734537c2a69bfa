import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addYears, ageOn, documentValidity, isLeapYear, isValidCalendarDate } from '../../../shared/rules';
import { birthDateArb } from './arbitraries';

describe('calendar dates', () => {
  it('follows the Gregorian leap-year rule: 1900 no, 2000 yes, 2024 yes, 2100 no', () => {
    expect([1900, 2000, 2023, 2024, 2100].map(isLeapYear)).toEqual([false, true, false, true, false]);
  });

  it('accepts only real dates written YYYY-MM-DD', () => {
    expect(isValidCalendarDate('2000-02-29')).toBe(true);
    expect(isValidCalendarDate('1900-02-29')).toBe(false);
    expect(isValidCalendarDate('2023-04-31')).toBe(false);
    expect(isValidCalendarDate('2023-12-31')).toBe(true);
    for (const s of ['2023-1-01', '20230101', '2023-13-01', '2023-00-10', '2023-01-00', ' 2023-01-01', '2023-01-01T00:00', '']) {
      expect(isValidCalendarDate(s), s).toBe(false);
    }
  });

  it('adds years, falling back to 28 February from a leap day', () => {
    expect(addYears('2025-06-01', 20)).toBe('2045-06-01');
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
  });
});

describe('age on a business date', () => {
  it('counts whole years, turning older on the birthday itself', () => {
    expect(ageOn('2007-06-01', '2025-05-31')).toBe(17);
    expect(ageOn('2007-06-01', '2025-06-01')).toBe(18);
    expect(ageOn('1949-12-31', '2025-06-01')).toBe(75);
  });

  it('lets someone born on 29 February turn older on 1 March in a common year', () => {
    expect(ageOn('2004-02-29', '2022-02-28')).toBe(17);
    expect(ageOn('2004-02-29', '2022-03-01')).toBe(18);
    expect(ageOn('2004-02-29', '2024-02-29')).toBe(20);
  });

  it('refuses dates that are not real', () => {
    expect(() => ageOn('2023-02-29', '2025-01-01')).toThrow(RangeError);
  });

  it('makes someone born on 29 February a year older on 1 March of a common year', () => {
    expect(ageOn('1904-02-29', '1917-02-28')).toBe(12);
    expect(ageOn('1904-02-29', '1917-03-01')).toBe(13);
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
  });

  it('is never negative and grows by one exactly on each birthday', () => {
    fc.assert(
      fc.property(birthDateArb, fc.integer({ min: 0, max: 120 }), (birthDate, years) => {
        // Born on 29 February: in a common year the birthday has passed only on 1 March (see ageOn).
        const clamped = addYears(birthDate, years);
        const birthday = birthDate.endsWith('-02-29') && clamped.endsWith('-02-28') ? `${clamped.slice(0, 4)}-03-01` : clamped;
        expect(ageOn(birthDate, birthday)).toBe(years);
        if (birthday !== clamped) expect(ageOn(birthDate, clamped)).toBe(years - 1);
        expect(ageOn(birthDate, birthDate)).toBe(0);
      }),
    );
  });
});

describe('resident ID card validity (Law on Resident Identity Cards art. 5)', () => {
  it('is 5 years under 16, 10 years from 16 to 25, 20 years from 26 to 45, long-term from 46', () => {
    expect(documentValidity('2010-01-01', '2025-12-31')).toBe(5);
    expect(documentValidity('2010-01-01', '2026-01-01')).toBe(10);
    expect(documentValidity('2000-01-01', '2025-12-31')).toBe(10);
    expect(documentValidity('2000-01-01', '2026-01-01')).toBe(20);
    expect(documentValidity('1980-01-01', '2025-12-31')).toBe(20);
    expect(documentValidity('1980-01-01', '2026-01-01')).toBe('long_term');
  });
});
