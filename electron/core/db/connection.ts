import Database from 'better-sqlite3';

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
