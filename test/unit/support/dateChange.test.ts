import { describe, expect, it } from 'vitest';
import { awayFromDateChange, msToNextDate } from '../../support/dateChange';

describe('the browser tests keep away from the branch\'s midnight', () => {
  it('counts the time to the next Beijing midnight (16:00 UTC)', () => {
    expect(msToNextDate(new Date('2026-12-03T15:59:00.000Z'))).toBe(60_000);
    expect(msToNextDate(new Date('2026-12-03T15:58:30.250Z'))).toBe(89_750);
    expect(msToNextDate(new Date('2026-12-03T16:00:00.000Z'))).toBe(86_400_000);
    expect(msToNextDate(new Date('2026-12-03T02:00:00.000Z'))).toBe(14 * 3_600_000);
  });

  it('waits past midnight when a test could still be running then, and says so; otherwise not at all', async () => {
    const slept: number[] = [];
    const said: string[] = [];
    const options = { now: () => new Date('2026-12-03T15:59:00.000Z'), sleep: async (ms: number) => void slept.push(ms), say: (line: string) => void said.push(line) };
    expect(await awayFromDateChange(180_000, options)).toBe(62_000);
    expect(slept).toEqual([62_000]);
    expect(said[0]).toContain('60 s');
    expect(await awayFromDateChange(59_000, options)).toBe(0);
    expect(slept).toEqual([62_000]);
  });
});
