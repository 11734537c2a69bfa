import type { Clock } from './clock';
import type { Db } from './db/connection';
import type { EventLog } from './eventLog';
import type { SessionStore } from './auth/sessions';

/** What every service of the core is given: the database, the clock, and the facts of this installation. */
export interface CoreContext {
  db: Db;
  clock: Clock;
  log: EventLog;
  dataDir: string;
  appVersion: string;
  sessions: SessionStore;
  timeZone(): string;
  /** The open business date (YYYY-MM-DD) in the branch's time zone. */
  businessDate(): string;
}
