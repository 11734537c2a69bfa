import Database from 'better-sqlite3';
import { statement } from './statements';

export type Db = Database.Database;

/**
 * Opens the counter's database with the pragmas a record-keeping system needs.
 * `synchronous=FULL`: better-sqlite3 defaults to NORMAL under WAL, which may lose the last committed
 * transactions on power loss — a completed application must survive a power cut.
 */
export function openDatabase(file: string, options: { readonly?: boolean } = {}): Db {
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  db.pragma('busy_timeout = 5000');
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
  }
  db.pragma('foreign_keys = ON');
  // An UPDATE leaves the row's old bytes in the page's free space; FAST zeroes them when that costs no
  // extra I/O, so a purged request's ciphertext does not linger in earlier copies of its row.
  db.pragma('secure_delete = FAST');
  return db;
}

/**
 * Runs `write` (one transaction) without forcing it to disk on its own: under WAL with synchronous=NORMAL the
 * commit is in the log file but not fsynced; it becomes durable with the next commit that is (every other write
 * of the core is FULL, and one fsync of the log covers every frame before it) or the next checkpoint. A crash of
 * the process loses nothing (the operating system holds the written log); a power cut may lose this write and
 * any other deferred one after the last forced commit, never one before it and never a part of one.
 *
 * Only for writes that repair themselves when lost: a record of an answer that is asked for again, under the
 * same idempotency key, when it is missing (the acquirer dispatcher's answers). Never for a record a person made.
 */
export function withDeferredSync<T>(db: Db, write: () => T): T {
  // Prepared once per connection (db.pragma() would parse and plan the statement again at every call: about
  // 0.1 ms each, twice per group of answers).
  statement(db, 'PRAGMA synchronous = NORMAL').run();
  try {
    return write();
  } finally {
    statement(db, 'PRAGMA synchronous = FULL').run();
  }
}
