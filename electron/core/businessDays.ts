import type { Db } from './db/connection';
import { calendarDateIn } from './clock';
import { DomainError } from './rpc/domainError';
import { statement } from './db/statements';

/** The next calendar date after a YYYY-MM-DD date. */
export function nextDate(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

/**
 * The business date new work belongs to: today in the branch's zone, or — once today has been closed
 * early — the day after the last closed day. The date moves on only through a day close.
 */
export function currentBusinessDate(db: Db, now: Date, timeZone: string): string {
  const today = calendarDateIn(now, timeZone);
  const lastClosed = (statement(db, "SELECT max(business_date) AS d FROM business_days WHERE status = 'closed'").get() as { d: string | null }).d;
  if (lastClosed !== null && lastClosed >= today) return nextDate(lastClosed);
  return today;
}

export function isDayClosed(db: Db, businessDate: string): boolean {
  const row = statement(db, 'SELECT status FROM business_days WHERE business_date = ?').get(businessDate) as { status: string } | undefined;
  return row?.status === 'closed';
}

/** Every change to a request of a closed day is refused (DESIGN.md "Day close"). */
export function assertDayOpen(db: Db, businessDate: string): void {
  if (isDayClosed(db, businessDate)) throw new DomainError('DAY_CLOSED', 'error.day_closed', undefined, { businessDate });
}

export function ensureDayOpen(db: Db, businessDate: string, at: Date): void {
  statement(db, `INSERT INTO business_days (business_date, status, opened_at) VALUES (?, 'open', ?) ON CONFLICT DO NOTHING`).run(
    businessDate,
    at.toISOString(),
  );
}
