import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../electron/core/db/connection';
import { DatabaseTooNewError, loadMigrations, migrate, schemaVersion } from '../../electron/core/db/migrations';
import { useTempDirs } from '../support/tempDir';

const tempDir = useTempDirs();

function migrationsDir(files: Record<string, string>): string {
  const dir = join(tempDir(), 'migrations');
  mkdirSync(dir);
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

describe('migration runner', () => {
  it('applies every shipped migration to a new database and opens it durably', () => {
    const db = openDatabase(join(tempDir(), 'a.sqlite'));
    const migrations = loadMigrations();
    const { from, to } = migrate(db, migrations);
    expect(from).toBe(0);
    expect(to).toBe(migrations.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    db.close();
  });

  it('is idempotent: a second run changes nothing', () => {
    const file = join(tempDir(), 'a.sqlite');
    const db = openDatabase(file);
    migrate(db, loadMigrations());
    const tables = db.prepare("SELECT name FROM sqlite_master ORDER BY name").all();
    expect(migrate(db, loadMigrations())).toEqual({ from: loadMigrations().length, to: loadMigrations().length });
    expect(db.prepare("SELECT name FROM sqlite_master ORDER BY name").all()).toEqual(tables);
    db.close();
  });

  it('refuses a database newer than the program and leaves it untouched', () => {
    const db = openDatabase(join(tempDir(), 'a.sqlite'));
    db.pragma('user_version = 999');
    expect(() => migrate(db, loadMigrations())).toThrow(DatabaseTooNewError);
    expect(schemaVersion(db)).toBe(999);
    db.close();
  });

  it('rolls a failing migration back whole, version included', () => {
    const dir = migrationsDir({
      '001_a.sql': 'CREATE TABLE a (x INTEGER);',
      '002_b.sql': 'CREATE TABLE b (x INTEGER); INSERT INTO no_such_table VALUES (1);',
    });
    const db = openDatabase(join(tempDir(), 'a.sqlite'));
    expect(() => migrate(db, loadMigrations(dir))).toThrow(/no such table/);
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'b'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuses a gap in the numbering, so a lost file is noticed', () => {
    const dir = migrationsDir({ '001_a.sql': 'SELECT 1;', '003_c.sql': 'SELECT 1;' });
    expect(() => loadMigrations(dir)).toThrow(/gap/);
  });

  it('widens a CHECK in place for a migration that says it edits sqlite_schema, keeps the rows, and leaves defensive mode on', () => {
    const dir = migrationsDir({
      '001_a.sql': "CREATE TABLE a (id INTEGER PRIMARY KEY, status TEXT NOT NULL CHECK (status IN ('x', 'y'))) STRICT; INSERT INTO a VALUES (1, 'x');",
      '002_b.sql': "-- migrate: edits sqlite_schema\nUPDATE sqlite_schema SET sql = replace(sql, '''x'', ''y'')', '''x'', ''y'', ''z'')') WHERE type = 'table' AND name = 'a';",
    });
    const file = join(tempDir(), 'a.sqlite');
    const db = openDatabase(file);
    expect(migrate(db, loadMigrations(dir))).toEqual({ from: 0, to: 2 });
    db.prepare("INSERT INTO a VALUES (2, 'z')").run();
    expect(() => db.prepare("INSERT INTO a VALUES (3, 'w')").run()).toThrow(/CHECK constraint failed/);
    expect(db.prepare('SELECT id, status FROM a ORDER BY id').all()).toEqual([{ id: 1, status: 'x' }, { id: 2, status: 'z' }]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    // Defensive mode is back on: the schema cannot be edited outside such a migration.
    db.pragma('writable_schema = ON');
    expect(() => db.prepare("UPDATE sqlite_schema SET sql = sql WHERE name = 'a'").run()).toThrow();
    db.close();
    // Another connection reads the widened table.
    const again = openDatabase(file);
    again.prepare("INSERT INTO a VALUES (4, 'z')").run();
    again.close();
  });

  it('widens applications.status for the acquirer\'s statuses (migration 010)', () => {
    const db = openDatabase(join(tempDir(), 'a.sqlite'));
    migrate(db, loadMigrations());
    const sql = (db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'applications'").get() as { sql: string }).sql;
    expect(sql).toContain("'completed', 'rejected', 'cancelled', 'forwarded', 'unbound', 'unbind_failed')");
    db.close();
  });

  it('moves each hand-off\'s sealed request out of its outbox entry, byte for byte, makes a claim left in flight waiting again, and keeps only waiting entries in the due index (migration 014)', () => {
    const file = join(tempDir(), 'a.sqlite');
    const db = openDatabase(file);
    const migrations = loadMigrations();
    migrate(db, migrations.filter((migration) => migration.version <= 13));
    // Entries as version 13 wrote them (the requests they point at are not needed here).
    db.pragma('foreign_keys = OFF');
    const sealed = [Buffer.from('01aa', 'hex'), null, Buffer.alloc(900, 7)];
    const insert = db.prepare("INSERT INTO acquirer_outbox (application_id, number, payload_enc, state, next_attempt_at, created_at) VALUES (?, ?, ?, ?, 't', 't')");
    // The second as a version that claimed durably left a send in flight.
    sealed.forEach((payload, index) => insert.run(index + 1, `N-${index + 1}`, payload, ['waiting', 'sending', 'done'][index]));
    db.pragma('foreign_keys = ON');
    expect(migrate(db, migrations)).toEqual({ from: 13, to: migrations.length });
    expect(db.prepare('SELECT application_id, payload_enc FROM acquirer_outbox_payload ORDER BY application_id').all()).toEqual([
      { application_id: 1, payload_enc: sealed[0] },
      { application_id: 3, payload_enc: sealed[2] },
    ]);
    expect((db.prepare('SELECT * FROM acquirer_outbox WHERE application_id = 1').get() as Record<string, unknown>).payload_enc).toBeUndefined();
    expect(db.prepare('SELECT application_id, number, state FROM acquirer_outbox ORDER BY application_id').all()).toEqual([
      { application_id: 1, number: 'N-1', state: 'waiting' },
      { application_id: 2, number: 'N-2', state: 'waiting' },
      { application_id: 3, number: 'N-3', state: 'done' },
    ]);
    // The claim left in flight is waiting again; the due index holds the two waiting entries, not the done one.
    expect(db.prepare("SELECT count(*) AS n FROM acquirer_outbox INDEXED BY acquirer_outbox_due WHERE state = 'waiting' AND next_attempt_at <= 'u'").get()).toEqual({ n: 2 });
    // Every moved request belongs to its entry (the entries' own requests are left out of this fixture).
    expect(db.pragma('foreign_key_check(acquirer_outbox_payload)')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});
