import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const PG_BIN = '/usr/lib/postgresql/15/bin';

/**
 * A private PostgreSQL cluster for the tests: `initdb` into a temp folder, `pg_ctl` on a loopback port,
 * trust authentication for 127.0.0.1 only and no Unix socket. initdb refuses to run as root (CI runs as
 * root), so the folder is handed to the `postgres` account and the binaries run as it. Async throughout:
 * a test's own servers keep answering while the cluster starts and stops.
 */
export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  /** A fresh, empty database on this cluster; its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function postgresIds(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (!uid || !gid) throw new Error('PostgreSQL tests need the postgres account (Debian package postgresql; .ci/run installs it)');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Runs a PostgreSQL binary, as the postgres account when this process is root. */
async function pg(binary: string, args: string[]): Promise<string> {
  const asRoot = process.getuid?.() === 0;
  const [command, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(PG_BIN, binary), ...args]] : [join(PG_BIN, binary), args];
  try {
    const { stdout } = await run(command, argv, { env: { ...process.env, LC_ALL: 'C' }, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const failed = error as { stderr?: string; message: string };
    throw new Error(`${binary} failed: ${failed.stderr || failed.message}`, { cause: error });
  }
}

export interface PostgresOptions {
  /** fsync and synchronous_commit on (the benchmark), off by default (tests: speed, nothing to keep). */
  durable?: boolean;
  /** shared_buffers (default 128MB, PostgreSQL's own default). */
  sharedBuffers?: string;
  /** max_wal_size (default 1GB, PostgreSQL's own default): how much WAL between checkpoints. */
  maxWalSize?: string;
}

/** Starts a cluster in `root` (a folder of its own, removed by stop()). */
export async function startPostgres(root: string, options: PostgresOptions = {}): Promise<PrivatePostgres> {
  if (!existsSync(join(PG_BIN, 'initdb'))) throw new Error(`PostgreSQL tests need ${PG_BIN}/initdb (Debian package postgresql; .ci/run installs it)`);
  const data = join(root, 'data');
  mkdirSync(data, { mode: 0o700 });
  if (process.getuid?.() === 0) {
    const { uid, gid } = postgresIds();
    chownSync(root, uid, gid);
    chownSync(data, uid, gid);
  }
  await pg('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  // Loopback only, trust only there; no local socket at all.
  writeFileSync(join(data, 'pg_hba.conf'), 'host all postgres 127.0.0.1/32 trust\n');
  const port = await freePort();
  const settings = [
    `listen_addresses = '127.0.0.1'`,
    `port = ${port}`,
    `unix_socket_directories = ''`,
    `fsync = ${options.durable ? 'on' : 'off'}`,
    `synchronous_commit = ${options.durable ? 'on' : 'off'}`,
    `full_page_writes = ${options.durable ? 'on' : 'off'}`,
    `shared_buffers = ${options.sharedBuffers ?? '128MB'}`,
    `max_wal_size = ${options.maxWalSize ?? '1GB'}`,
    'max_connections = 20',
    `log_destination = 'stderr'`,
    '',
  ];
  writeFileSync(join(data, 'postgresql.auto.conf'), settings.join('\n'));
  if (process.getuid?.() === 0) {
    const { uid, gid } = postgresIds();
    chownSync(join(data, 'pg_hba.conf'), uid, gid);
    chownSync(join(data, 'postgresql.auto.conf'), uid, gid);
  }
  await pg('pg_ctl', ['start', '-D', data, '-l', join(root, 'server.log'), '-w', '-t', '60']);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    url,
    port,
    async createDatabase(name) {
      if (!/^[a-z][a-z0-9_]{0,40}$/.test(name)) throw new Error(`bad database name ${name}`);
      await pg('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', name]);
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await pg('pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w']);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
