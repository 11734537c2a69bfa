// Head office's PostgreSQL: the connection, and the schema created and migrated by the commands themselves.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

export const SCHEMA = 'headoffice';
export const MIGRATIONS_DIR = join(import.meta.dirname, 'migrations');
const FILE_PATTERN = /^(\d{3})_([a-z0-9_]+)\.sql$/;

/** One advisory lock for every writer of the schema: two consolidations never interleave. */
const LOCK_KEY = 0x55_44_48_4f; // 'UDHO'

export interface HeadOfficeMigration {
  version: number;
  name: string;
  sql: string;
}

export function loadHeadOfficeMigrations(dir = MIGRATIONS_DIR): HeadOfficeMigration[] {
  const migrations = readdirSync(dir)
    .map((file) => ({ file, match: FILE_PATTERN.exec(file) }))
    .filter((entry): entry is { file: string; match: RegExpExecArray } => entry.match !== null)
    .map(({ file, match }) => ({ version: Number(match[1]), name: match[2] ?? file, sql: readFileSync(join(dir, file), 'utf8') }))
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) throw new Error(`head-office migration numbering has a gap or duplicate at ${migration.version}_${migration.name}`);
  });
  return migrations;
}

/** A server not on this machine reached without TLS asked for: refused before any connection attempt. */
export class TlsRequiredError extends Error {
  constructor(host: string) {
    super(`refused: PostgreSQL at ${host} is not on this machine and no TLS is asked for (the bundles hold masked personal data): set PGSSLMODE=verify-full (or sslmode=verify-full in the --database URL)`);
    this.name = 'TlsRequiredError';
  }
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * The host the connection would go to and whether an sslmode was given, as pg reads them: the URL's `host`
 * parameter, else its host, else PGHOST, else localhost; `sslmode`/`ssl` in the URL, else PGSSLMODE.
 * A host starting with '/' (or a `socket:` URL) is a Unix socket.
 */
function connectionTarget(database: string | undefined, env: NodeJS.ProcessEnv): { host: string; sslGiven: boolean } {
  const envSsl = Boolean(env.PGSSLMODE);
  const envHost = env.PGHOST || 'localhost';
  if (database === undefined) return { host: envHost, sslGiven: envSsl };
  if (database.startsWith('/')) return { host: database, sslGiven: envSsl };
  let url: URL;
  try {
    url = new URL(database);
  } catch {
    // Never echoed: it may carry a password.
    throw new TlsRequiredError('an address that is not a postgres:// URL');
  }
  if (url.protocol === 'socket:') return { host: '/', sslGiven: true };
  const named = url.searchParams.get('host') || decodeURIComponent(url.hostname).replace(/^\[(.*)\]$/, '$1');
  return { host: named || envHost, sslGiven: Boolean(url.searchParams.get('sslmode') || url.searchParams.get('ssl')) || envSsl };
}

/** Refuses a server that is neither loopback nor a Unix socket when no sslmode is given (PGSSLMODE or sslmode=). */
export function requireTlsOffMachine(database: string | undefined, env: NodeJS.ProcessEnv = process.env): void {
  const { host, sslGiven } = connectionTarget(database, env);
  if (sslGiven || host.startsWith('/') || LOOPBACK.has(host.toLowerCase())) return;
  throw new TlsRequiredError(host);
}

/** `--database postgres://…`, else the standard PG* variables (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, PGSSLMODE). */
export async function connect(database: string | undefined): Promise<pg.Client> {
  requireTlsOffMachine(database);
  const client = new pg.Client(database ? { connectionString: database } : {});
  await client.connect();
  return client;
}

export class SchemaTooNewError extends Error {
  constructor(readonly databaseVersion: number, readonly codeVersion: number) {
    super(`the head-office schema is at version ${databaseVersion}, newer than this program's ${codeVersion}: use the newer UnbindDesk tools`);
    this.name = 'SchemaTooNewError';
  }
}

/** Creates the schema or brings it up to date, each migration in its own transaction; returns the version. */
export async function migrate(client: pg.Client, migrations = loadHeadOfficeMigrations()): Promise<number> {
  await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${SCHEMA}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${SCHEMA}.schema_migrations`);
    const current = rows[0]?.version ?? 0;
    const latest = migrations.at(-1)?.version ?? 0;
    if (current > latest) throw new SchemaTooNewError(current, latest);
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query(`INSERT INTO ${SCHEMA}.schema_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
    return Math.max(current, latest);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
  }
}

/** Holds the writers' lock for the session (consolidate, register-desk). */
export async function lockWriters(client: pg.Client): Promise<void> {
  await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
}
