import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Db } from './db/connection';
import { loadMigrations, migrate } from './db/migrations';
import { DEFAULT_TIME_ZONE, systemClock, type Clock } from './clock';
import { consoleEventLog, type EventLog } from './eventLog';
import { SessionStore } from './auth/sessions';
import { accountState } from './auth/tellerRepository';
import { createRouter, type Handlers, type Router } from './rpc/router';
import { systemHandlers } from './system/handlers';
import { readBranchProfile } from './system/branchProfile';
import type { InstallationKeys, KeyStore } from './crypto/installationKeys';
import { openInstallationKeys } from './crypto/keyBinding';
import { keyFileStore } from './crypto/keyFileStore';
import { DEFAULT_PASSWORD_COST } from './auth/passwords';
import { authHandlers } from './auth/handlers';
import { tellerHandlers } from './auth/tellerHandlers';
import { settingsHandlers } from './settingsHandlers';
import { applicationHandlers } from './applications/handlers';
import { readSettings } from './settings';
import { currentBusinessDate } from './businessDays';
import { DEFAULT_RESOURCES_DIR } from './receipts/fonts';
import type { CoreContext } from './context';
import type { CorePorts } from './ports';
import { receiptHandlers } from './receipts/handlers';
import { dayCloseHandlers } from './dayclose/handlers';
import { notificationHandlers } from './notifications/handlers';
import { NotificationWorker, type WorkerOptions } from './notifications/notificationService';
import { printingHandlers } from './printing/handlers';
import { AcquirerService } from './acquirer/service';
import { acquirerHandlers } from './acquirer/handlers';
import { cardReaderHandlers } from './cardReader/handlers';
import { openConfiguredReader } from './cardReader/openReader';
import { CardReaderService, type ReaderOpener } from './cardReader/readerService';
import type { CardReaderSettings } from './cardReader/readerSettings';

export interface CoreOptions {
  dataDir: string;
  appVersion: string;
  clock?: Clock;
  log?: EventLog;
  /** Where the numbered `.sql` files are; the Electron shell passes the copy inside the app. */
  migrationsDir?: string;
  /** Fonts and images; the Electron shell passes the packaged copy. */
  resourcesDir?: string;
  /** Protects the installation keys at rest; a 0600 key file in the data folder unless the shell gives safeStorage. */
  keyStore?: KeyStore;
  /** log2 of scrypt's N; tests lower it for speed, production keeps the default (2^17). */
  passwordCost?: number;
  /** What only the Electron shell can do (printing, native folder dialog). */
  ports?: CorePorts;
  /** The notification worker's adapters and timing; tests and the preview pass their own. */
  notifications?: Partial<Omit<WorkerOptions, 'businessDate'>>;
  /** Run the hand-off to the acquirer (the app and the preview do; tests and the CLI start their own). */
  acquirer?: boolean | DispatcherOptionsWithChannel;
  /** Opens the ID card reader; the preview's `--reader-sim` passes its in-process simulator. */
  openCardReader?: ReaderOpener;
  /** The reader's poll interval (ms); tests shorten it. */
  cardReaderPollMs?: number;
  /** The reader settings to use instead of the stored ones (the preview's simulated reader). */
  cardReaderSettings?: () => CardReaderSettings;
}

type DispatcherOptionsWithChannel = ConstructorParameters<typeof AcquirerService>[1];

export interface Core {
  router: Router;
  context: CoreContext;
  db: Db;
  /** Delivers the outcome messages; the Electron shell and the preview start it, tests run it by hand. */
  notifications: NotificationWorker;
  /** The hand-off to the acquirer, when started. */
  acquirer: AcquirerService | null;
  cardReader: CardReaderService;
  /** Closes at once: what is in flight is sent again at the next start (as after a crash). */
  close(): void;
  /**
   * The ordinary quit: lets the message being sent and the acquirer's answer being recorded finish (their
   * database writes included), lets go of the card reader, then closes the database.
   */
  shutdown(): Promise<void>;
}

export const DATABASE_FILE = 'unbinddesk.sqlite';

export async function openCore(options: CoreOptions): Promise<Core> {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const databaseFile = join(options.dataDir, DATABASE_FILE);
  const db = openDatabase(databaseFile);
  // Only the account that runs the counter may read the file (the folder is 0700 too).
  if (process.platform !== 'win32') chmodSync(databaseFile, 0o600);
  const clock = options.clock ?? systemClock;
  const keyStore = options.keyStore ?? keyFileStore(options.dataDir);
  let keys: InstallationKeys;
  let schema: { from: number; to: number };
  try {
    schema = migrate(db, loadMigrations(options.migrationsDir));
    // After the migrations: the database says which key it belongs to.
    keys = await openInstallationKeys(db, keyStore, clock.now());
  } catch (error) {
    db.close();
    throw error;
  }
  const log = options.log ?? consoleEventLog();
  log.info('core.opened', { appVersion: options.appVersion, schemaFrom: schema.from, schemaTo: schema.to, keyProtection: keyStore.protection });
  const timeZone = () => readBranchProfile(db)?.timeZone ?? DEFAULT_TIME_ZONE;
  const sessions = new SessionStore(clock, () => readSettings(db).idleLockMinutes, (tellerId) => accountState(db, tellerId));
  const cardReader = new CardReaderService({
    settings: options.cardReaderSettings ?? (() => readSettings(db).cardReader),
    open: options.openCardReader ?? openConfiguredReader,
    clock,
    log,
    today: () => currentBusinessDate(db, clock.now(), timeZone()),
    sessionState: (key) => (sessions.actorOf(key) === null ? 'gone' : sessions.isLocked(key) ? 'locked' : 'active'),
    tellerOf: (key) => sessions.actorOf(key)?.tellerId ?? null,
    pollMs: options.cardReaderPollMs,
  });
  const context: CoreContext = {
    db,
    clock,
    log,
    keys,
    keyProtection: keyStore.protection,
    dataDir: options.dataDir,
    resourcesDir: options.resourcesDir ?? DEFAULT_RESOURCES_DIR,
    appVersion: options.appVersion,
    sessions,
    passwordCost: options.passwordCost ?? DEFAULT_PASSWORD_COST,
    timeZone,
    businessDate: () => currentBusinessDate(db, clock.now(), timeZone()),
    cardReader,
  };
  const handlers: Handlers = {
    ...systemHandlers(context),
    ...authHandlers(context),
    ...tellerHandlers(context),
    ...settingsHandlers(context, options.ports ?? {}),
    ...applicationHandlers(context),
    ...receiptHandlers(context, options.ports ?? {}),
    ...dayCloseHandlers(context, options.ports ?? {}),
    ...notificationHandlers(context),
    ...printingHandlers(context, options.ports ?? {}),
    ...acquirerHandlers(context),
    ...cardReaderHandlers(cardReader),
  };
  const router = createRouter({ handlers, gate: sessions, log });
  const notifications = new NotificationWorker(context, { log, ...options.notifications, businessDate: context.businessDate });
  const acquirer = options.acquirer ? new AcquirerService(context, options.acquirer === true ? {} : options.acquirer) : null;
  acquirer?.start();
  return {
    router,
    context,
    db,
    notifications,
    acquirer,
    cardReader,
    close: () => {
      notifications.halt();
      // Paused while the app is closed: a send in flight is sent again at the next start (same bytes, same key).
      void acquirer?.stop();
      void cardReader.close();
      if (db.open) db.close();
    },
    shutdown: async () => {
      await Promise.allSettled([notifications.stop(), acquirer?.stop(), cardReader.close()]);
      if (db.open) db.close();
    },
  };
}
