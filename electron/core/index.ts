import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Db } from './db/connection';
import { loadMigrations, migrate } from './db/migrations';
import { calendarDateIn, DEFAULT_TIME_ZONE, systemClock, type Clock } from './clock';
import { consoleEventLog, type EventLog } from './eventLog';
import { SessionStore } from './auth/sessions';
import { createRouter, type Handlers, type Router } from './rpc/router';
import { systemHandlers } from './system/handlers';
import { readBranchProfile } from './system/branchProfile';
import type { CoreContext } from './context';

export interface CoreOptions {
  dataDir: string;
  appVersion: string;
  clock?: Clock;
  log?: EventLog;
  /** Where the numbered `.sql` files are; the Electron shell passes the copy inside the app. */
  migrationsDir?: string;
}

export interface Core {
  router: Router;
  context: CoreContext;
  db: Db;
  close(): void;
}

export const DATABASE_FILE = 'unbinddesk.sqlite';

export function openCore(options: CoreOptions): Core {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const db = openDatabase(join(options.dataDir, DATABASE_FILE));
  try {
    migrate(db, loadMigrations(options.migrationsDir));
  } catch (error) {
    db.close();
    throw error;
  }
  const clock = options.clock ?? systemClock;
  const log = options.log ?? consoleEventLog();
  const timeZone = () => readBranchProfile(db)?.timeZone ?? DEFAULT_TIME_ZONE;
  const sessions = new SessionStore(clock, () => 15);
  const context: CoreContext = {
    db,
    clock,
    log,
    dataDir: options.dataDir,
    appVersion: options.appVersion,
    sessions,
    timeZone,
    businessDate: () => calendarDateIn(clock.now(), timeZone()),
  };
  const handlers: Handlers = {
    ...systemHandlers(context),
  };
  const router = createRouter({ handlers, gate: sessions, log });
  return {
    router,
    context,
    db,
    close: () => db.close(),
  };
}
