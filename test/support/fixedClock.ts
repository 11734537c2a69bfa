import type { Clock } from '../../electron/core/clock';

/** A clock the test moves by hand, for lockouts, idle locks and business dates. */
export class FixedClock implements Clock {
  private instant: number;
  constructor(iso: string) {
    this.instant = Date.parse(iso);
  }
  now(): Date {
    return new Date(this.instant);
  }
  advanceMinutes(minutes: number): void {
    this.instant += minutes * 60_000;
  }
  set(iso: string): void {
    this.instant = Date.parse(iso);
  }
}
