import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from './connection';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const FILE_PATTERN = /^(\d{3})_([a-z0-9_]+)\.sql$/;

export const DEFAULT_MIGRATIONS_DIR = join(import.meta.dirname, 'migrations');

/** Reads `NNN_name.sql` files; numbers must run 1, 2, 3… without gaps so a missing file is noticed. */
export function loadMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .map((file) => ({ file, match: FILE_PATTERN.exec(file) }))
    .filter((entry): entry is { file: string; match: RegExpExecArray } => entry.match !== null)
    .map(({ file, match }) => ({
      version: Number(match[1]),
      name: match[2] ?? file,
      sql: readFileSync(join(dir, file), 'utf8'),
    }))
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`Migration numbering has a gap or duplicate at ${migration.version}_${migration.name}`);
    }
  });
  return migrations;
}

export class DatabaseTooNewError extends Error {
  constructor(
    readonly databaseVersion: number,
    readonly codeVersion: number,
  ) {
    super(`The database is at schema version ${databaseVersion}, newer than this program (${codeVersion}). Install the newer UnbindDesk.`);
    this.name = 'DatabaseTooNewError';
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * A migration that widens a constraint SQLite cannot ALTER (a CHECK on a column) says so on a line of its own;
 * its statements then edit the table's definition in `sqlite_schema` (SQLite's documented procedure for
 * removing or relaxing a constraint, https://sqlite.org/lang_altertable.html section 8: no row changes, so
 * no table rebuild, and columns other migrations added stay as they are). The runner turns defensive mode off
 * for that transaction only, bumps `schema_version` so every connection re-reads the schema, and checks the
 * database before the commit.
 */
export const EDITS_SCHEMA_MARKER = '-- migrate: edits sqlite_schema';

/**
 * Applies every migration above the database's `user_version`, each in its own transaction together
 * with the version bump, so a crash leaves the database at a whole version.
 */
export function migrate(db: Db, migrations: Migration[]): { from: number; to: number } {
  const from = schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (from > latest) throw new DatabaseTooNewError(from, latest);
  for (const migration of migrations) {
    if (migration.version <= from) continue;
    const editsSchema = migration.sql.split('\n').some((line) => line.trim() === EDITS_SCHEMA_MARKER);
    if (editsSchema) db.unsafeMode(true);
    try {
      db.transaction(() => {
        if (editsSchema) {
          const version = db.pragma('schema_version', { simple: true }) as number;
          db.pragma('writable_schema = ON');
          db.exec(migration.sql);
          db.pragma(`schema_version = ${Math.trunc(version) + 1}`);
          db.pragma('writable_schema = OFF');
          const check = db.pragma('quick_check', { simple: true }) as string;
          if (check !== 'ok') throw new Error(`Migration ${migration.version}_${migration.name} left the database failing quick_check: ${check}`);
        } else {
          db.exec(migration.sql);
        }
      // PRAGMA takes no bound parameters; the version is an integer we parsed from the file name.
        db.pragma(`user_version = ${Math.trunc(migration.version)}`);
      })();
    } finally {
      if (editsSchema) db.unsafeMode(false);
    }
  }
  return { from, to: schemaVersion(db) };
}
