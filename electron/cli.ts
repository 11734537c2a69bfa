/**
 * Command-line tool for branch IT: `npm run cli -- <command> [options]`.
 * Runs the core under plain Node; never needs Electron.
 */
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DATABASE_FILE, openCore } from './core';
import { readAppVersion } from './core/appVersion';
import { silentEventLog } from './core/eventLog';
import { openDatabase } from './core/db/connection';
import { schemaVersion } from './core/db/migrations';
import { verifyAuditChain } from './core/audit/auditLog';
import { readBranchProfile } from './core/system/branchProfile';
import { currentBusinessDate } from './core/businessDays';
import { DEFAULT_TIME_ZONE } from './core/clock';
import { DEMO_ACCOUNTS, seedDemo } from './core/demo/seedDemo';

const USAGE = `UnbindDesk command-line tool

Usage: npm run cli -- <command> [options]

Commands:
  info --data-dir DIR                 version, schema, branch and business date of a data folder
  verify-audit --data-dir DIR         check the audit log's hash chain; exit 0 only when intact
  backup --data-dir DIR --out FILE    online backup of the database, then integrity_check on the copy
  seed-demo --data-dir DIR --count N  demo branch, accounts and N requests across every status
            [--seed S] [--password-cost 17]
  help                                this text
`;

class UsageError extends Error {}

function dataDirOf(value: string | undefined): string {
  if (!value) throw new UsageError('--data-dir DIR is required');
  const dir = resolve(value);
  if (!existsSync(join(dir, DATABASE_FILE))) throw new UsageError(`no UnbindDesk database in ${dir}`);
  return dir;
}

const out = (line: string) => process.stdout.write(`${line}\n`);

/** Read-only commands open the file directly: they need no keys and change nothing. */
function info(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' } } });
  const dir = dataDirOf(values['data-dir']);
  const db = openDatabase(join(dir, DATABASE_FILE), { readonly: true });
  try {
    const branch = readBranchProfile(db);
    const timeZone = branch?.timeZone ?? DEFAULT_TIME_ZONE;
    const rows: [string, string | number][] = [
      ['version', readAppVersion()],
      ['schema', schemaVersion(db)],
      ['data folder', dir],
      ['branch', branch ? `${branch.code} ${branch.name}` : '(not set up)'],
      ['business date', currentBusinessDate(db, new Date(), timeZone)],
      ['time zone', timeZone],
    ];
    for (const [label, text] of rows) out(`${label.padEnd(14)} ${String(text)}`);
    return Promise.resolve(0);
  } finally {
    db.close();
  }
}

function verifyAudit(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' } } });
  const db = openDatabase(join(dataDirOf(values['data-dir']), DATABASE_FILE), { readonly: true });
  try {
    const result = verifyAuditChain(db);
    if (result.ok) {
      out(`rows  ${result.rows}`);
      out(`head  ${result.head.seq} ${result.head.hash}`);
      out('OK');
      return Promise.resolve(0);
    }
    out(`FAILED: row ${result.firstBadSeq}: ${result.reason}`);
    return Promise.resolve(1);
  } finally {
    db.close();
  }
}

async function backup(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' }, out: { type: 'string' } } });
  if (!values.out) throw new UsageError('--out FILE is required');
  const target = resolve(values.out);
  if (existsSync(target)) throw new UsageError(`${target} exists; a backup never overwrites`);
  const db = openDatabase(join(dataDirOf(values['data-dir']), DATABASE_FILE));
  try {
    // SQLite's online backup API: a consistent copy while the counter keeps working.
    await db.backup(target);
  } finally {
    db.close();
  }
  const copy = openDatabase(target, { readonly: true });
  try {
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') {
      out(`FAILED: integrity_check of the copy says ${String(check)}`);
      return 1;
    }
    out(`backup  ${target}`);
    out(`schema  ${schemaVersion(copy)}`);
    out('integrity_check ok');
    out('Note: personal data in the backup is encrypted; keep the installation key separately (see README).');
    return 0;
  } finally {
    copy.close();
    rmSync(`${target}-wal`, { force: true });
    rmSync(`${target}-shm`, { force: true });
  }
}

async function seed(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { 'data-dir': { type: 'string' }, count: { type: 'string', default: '50' }, seed: { type: 'string' }, 'password-cost': { type: 'string' } },
  });
  if (!values['data-dir']) throw new UsageError('--data-dir DIR is required');
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 0 || count > 1_000_000) throw new UsageError('--count must be a whole number up to 1,000,000');
  const core = await openCore({
    dataDir: resolve(values['data-dir']),
    appVersion: readAppVersion(),
    log: silentEventLog,
    ...(values['password-cost'] ? { passwordCost: Number(values['password-cost']) } : {}),
  });
  try {
    const started = performance.now();
    const summary = await seedDemo(core, { count, ...(values.seed ? { seed: Number(values.seed) } : {}) });
    out(`created ${summary.created} requests in ${Math.round(performance.now() - started)} ms`);
    for (const [status, n] of Object.entries(summary.byStatus).sort()) out(`  ${status.padEnd(22)} ${n}`);
    out('demo accounts (demo data only):');
    for (const account of DEMO_ACCOUNTS) out(`  ${account.employeeNo}  ${account.role.padEnd(10)} ${account.password}`);
    return 0;
  } finally {
    core.close();
  }
}

const commands: Record<string, (args: string[]) => Promise<number>> = {
  info,
  'verify-audit': verifyAudit,
  backup,
  'seed-demo': seed,
  help: () => Promise.resolve((process.stdout.write(USAGE), 0)),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(name ? `unknown command: ${name}\n\n${USAGE}` : USAGE);
    return 2;
  }
  try {
    return await command(rest);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
      process.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
