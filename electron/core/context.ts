import type { Clock } from './clock';
import type { Db } from './db/connection';
import type { EventLog } from './eventLog';
import type { SessionStore } from './auth/sessions';
import type { InstallationKeys } from './crypto/installationKeys';
import type { CardReaderService } from './cardReader/readerService';

/** What every service of the core is given: the database, the clock, the keys and the facts of this installation. */
export interface CoreContext {
  db: Db;
  clock: Clock;
  log: EventLog;
  keys: InstallationKeys;
  keyProtection: string;
  dataDir: string;
  resourcesDir: string;
  appVersion: string;
  sessions: SessionStore;
  /** log2 of scrypt's N for new password hashes. */
  passwordCost: number;
  timeZone(): string;
  /** The open business date (YYYY-MM-DD) in the branch's time zone. */
  businessDate(): string;
  /** The ID card reader at this desk, and the reads it made per window (issue 14). */
  cardReader: CardReaderService;
}
