import { describe, expect, it } from 'vitest';
import { formatApplicationNumber, isDeskNumber, parseApplicationNumber, ticketLabel } from '../../../shared';
import { classifySearch } from '../../../electron/core/applications/handlers';

describe('application numbers with and without the desk', () => {
  it('writes <branch>-<desk>-<YYYYMMDD>-<seq> and reads it back', () => {
    expect(formatApplicationNumber('310101', '02', '2026-12-02', 7)).toBe('310101-02-20261202-0007');
    expect(parseApplicationNumber('310101-02-20261202-0007')).toEqual({ branch: '310101', desk: '02', businessDate: '2026-12-02', seq: 7 });
    expect(formatApplicationNumber('310101000001', '99', '2026-12-31', 12345)).toBe('310101000001-99-20261231-12345');
  });

  it('still reads the old form, with no desk', () => {
    expect(parseApplicationNumber('310101-20261202-0007')).toEqual({ branch: '310101', desk: null, businessDate: '2026-12-02', seq: 7 });
  });

  it('refuses desks outside 01–99 and what is neither form', () => {
    for (const desk of ['00', '1', '100', 'A1', '']) {
      expect(isDeskNumber(desk)).toBe(false);
      expect(() => formatApplicationNumber('310101', desk, '2026-12-02', 1)).toThrow('application_number.desk');
    }
    expect(isDeskNumber('01')).toBe(true);
    for (const text of ['310101-00-20261202-0007', '310101-2-20261202-0007', '310101-02-2026120-0007', '310101_02_20261202_1', 'x10101-02-20261202-0007', '310101-02-20261202-007']) {
      expect(parseApplicationNumber(text)).toBeNull();
    }
  });

  it('calls the ticket with the desk, or bare before a desk is set', () => {
    expect(ticketLabel('03', 4)).toBe('03-4');
    expect(ticketLabel(null, 4)).toBe('4');
  });

  it('is found by number in the search box in either form', () => {
    expect(classifySearch(' 310101-02-20261202-0007 ')).toEqual({ kind: 'number', value: '310101-02-20261202-0007' });
    expect(classifySearch('310101-20261202-0007')).toEqual({ kind: 'number', value: '310101-20261202-0007' });
  });
});
