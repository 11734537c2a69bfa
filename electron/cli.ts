/**
 * Command-line tool for branch IT: `npm run cli -- <command> [options]`.
 * Runs the core under plain Node; never needs Electron.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DATABASE_FILE, openCore } from './core';
import { readAppVersion } from './core/appVersion';
import { silentEventLog } from './core/eventLog';
import { openDatabase } from './core/db/connection';
import { schemaVersion } from './core/db/migrations';
import { auditReport, type KnownHead } from './core/audit/auditReconciliation';
import { signedHeadsOfStoredSlips } from './core/receipts/slipAuditHeads';
import { readBranchProfile } from './core/system/branchProfile';
import { currentBusinessDate } from './core/businessDays';
import { DEFAULT_TIME_ZONE } from './core/clock';
import { DEMO_ACCOUNTS, closeSeededDay, seedDemo } from './core/demo/seedDemo';
import { readInstallationKeys } from './core/crypto/installationKeys';
import { InstallationKeyError } from './core/crypto/keyBinding';
import { keyFileStore } from './core/crypto/keyFileStore';
import { publicKeyPem } from './core/crypto/signing';
import { readReceipt, verifyReceipt, verifySlipFile } from './core/receipts/receiptVerification';
import { readStoredReceipt } from './core/receipts/receiptService';
import { verifyDayBundle } from './core/dayclose/bundleVerification';
import { signedHeadsOfBundles } from './core/dayclose/bundleAuditHeads';
import { purgeExpired } from './core/retention/retentionPurge';

const USAGE = `UnbindDesk command-line tool

Usage: npm run cli -- <command> [options]

Commands:
  info --data-dir DIR                 version, schema, branch and business date of a data folder
  verify-audit --data-dir DIR [--head SLIP.pdf|BUNDLE-DIR|EXPORT-DIR ...]
                                      check the keyed audit chain (needs the key file), the heads signed into
                                      stored slips and the given slips and bundles, and each request's status and
                                      authorizer against its audit rows; lists every difference; exit 0 only when none
  backup --data-dir DIR --out FILE    online backup of the database, then integrity_check on the copy
  seed-demo --data-dir DIR --count N  demo branch, accounts and N requests across every status, with slips
            [--seed S] [--password-cost 17] [--close --export DIR]
                                      --close carries open requests over and closes the day; --export writes its bundle
  public-key --data-dir DIR           the installation's Ed25519 public key (PEM), for head office
  verify-receipt FILE.pdf --public-key FILE
                                      verify a slip offline: the QR code read off every page, its signature, the
                                      metadata, and every signed field printed on the page; a file with an
                                      incremental update or a second information dictionary is refused
  export-receipt --data-dir DIR --number APP-NO [--print N] --out FILE.pdf
                                      decrypt a stored slip (they are kept sealed in the data folder)
  verify-bundle DIR [--public-key FILE]
                                      verify a day-close bundle: every hash, the counts, the signature
  purge --data-dir DIR [--dry-run]    purge the personal data of requests past the retention years (closing
                                      a day does this too); --dry-run only counts
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

async function verifyAudit(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' }, head: { type: 'string', multiple: true } } });
  const dir = dataDirOf(values['data-dir']);
  // The chain is keyed: checking it needs the installation key, read here and never made.
  const store = keyFileStore(dir);
  const keys = await readInstallationKeys(store);
  if (!keys) {
    process.stderr.write(`error: the audit chain is keyed and the installation key is not at ${store.location}; on a desk whose key the OS keystore holds, run 系统设置 → 审计校验 instead\n`);
    return 1;
  }
  const db = openDatabase(join(dir, DATABASE_FILE), { readonly: true });
  try {
    const heads = [...signedHeadsOfStoredSlips({ db, dataDir: dir, keys })];
    for (const source of values.head ?? []) {
      const found = readSignedHeads(resolve(source), keys.publicKey);
      if (found.length === 0) {
        out(`FAILED: ${source} holds no audit head signed by this installation`);
        return 1;
      }
      heads.push(...found);
    }
    const { chain, differences } = auditReport(db, keys.auditKey, heads);
    out(`rows  ${chain.rows}`);
    if (chain.ok) out(`head  ${chain.head.seq} ${chain.head.hash}`);
    out(`signed heads checked  ${heads.length}`);
    for (const d of differences) out(`DIFFERENCE ${d.code}${d.seq === null ? '' : ` row ${d.seq}`}${d.subject === null ? '' : ` ${d.subject}`}: audit says ${d.expected ?? '—'}, found ${d.found ?? '—'}`);
    if (differences.length > 0) {
      out(`FAILED: ${differences.length} difference(s)`);
      return 1;
    }
    out('OK');
    return 0;
  } finally {
    db.close();
  }
}

/** Audit heads signed by this installation: a slip PDF, a day bundle (its folder or manifest.json) or a folder of bundles. */
function readSignedHeads(path: string, key: KeyObject): KnownHead[] {
  if (statSync(path).isDirectory() || path.endsWith('.json')) return signedHeadsOfBundles(path, key);
  const verified = verifyReceipt(readFileSync(path), key);
  return verified.ok ? [{ seq: verified.fields.auditHead.seq, hashPrefix: verified.fields.auditHead.hashPrefix, source: `slip ${path}` }] : [];
}

async function backup(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' }, out: { type: 'string' } } });
  if (!values.out) throw new UsageError('--out FILE is required');
  const target = resolve(values.out);
  if (existsSync(target)) throw new UsageError(`${target} exists; a backup never overwrites`);
  if (!existsSync(dirname(target))) throw new UsageError(`the folder ${dirname(target)} does not exist`);
  const db = openDatabase(join(dataDirOf(values['data-dir']), DATABASE_FILE));
  try {
    // SQLite's online backup API: a consistent copy while the counter keeps working.
    await db.backup(target);
  } finally {
    db.close();
  }
  // The copy holds the same records as the database: only the account that made it may read it.
  if (process.platform !== 'win32') chmodSync(target, 0o600);
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
    options: {
      'data-dir': { type: 'string' },
      count: { type: 'string', default: '50' },
      seed: { type: 'string' },
      'password-cost': { type: 'string' },
      close: { type: 'boolean', default: false },
      export: { type: 'string' },
    },
  });
  if (values.export && !values.close) throw new UsageError('--export needs --close: only a closed day is exported');
  if (!values['data-dir']) throw new UsageError('--data-dir DIR is required');
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 0 || count > 1_000_000) throw new UsageError('--count must be a whole number up to 1,000,000');
  const core = await openCore({
    dataDir: resolve(values['data-dir']),
    appVersion: readAppVersion(),
    log: silentEventLog,
    ...(values['password-cost'] ? { passwordCost: Number(values['password-cost']) } : {}),
    ...(values.export ? { ports: { chooseExportDirectory: () => Promise.resolve(resolve(values.export ?? '.')) } } : {}),
  });
  try {
    const started = performance.now();
    const summary = await seedDemo(core, { count, ...(values.seed ? { seed: Number(values.seed) } : {}) });
    out(`created ${summary.created} requests in ${Math.round(performance.now() - started)} ms`);
    for (const [status, n] of Object.entries(summary.byStatus).sort()) out(`  ${status.padEnd(22)} ${n}`);
    if (values.close) {
      const closed = await closeSeededDay(core, values.export !== undefined);
      out(`closed ${closed.businessDate} (${closed.carriedOver} carried over)`);
      if (closed.bundle) out(`bundle ${closed.bundle}`);
    }
    out('demo accounts (demo data only):');
    for (const account of DEMO_ACCOUNTS) out(`  ${account.employeeNo}  ${account.role.padEnd(10)} ${account.password}`);
    return 0;
  } finally {
    core.close();
  }
}

function readPublicKey(file: string | undefined): KeyObject | undefined {
  return file ? createPublicKey(readFileSync(resolve(file))) : undefined;
}

async function publicKey(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' } } });
  const store = keyFileStore(dataDirOf(values['data-dir']));
  // Only reads: a missing key is reported, never made here.
  const keys = await readInstallationKeys(store);
  if (!keys) {
    process.stderr.write(`error: no installation key at ${store.location}\n`);
    return 1;
  }
  process.stdout.write(publicKeyPem(keys.publicKey));
  return 0;
}

async function verifyReceiptCommand(args: string[]): Promise<number> {
  // --qr is kept for scripts written before the page's QR code became the default check.
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'public-key': { type: 'string' }, qr: { type: 'boolean', default: true } } });
  const file = positionals[0];
  if (!file) throw new UsageError('verify-receipt FILE.pdf --public-key FILE');
  const pdf = readFileSync(resolve(file));
  if (!readReceipt(pdf)) {
    out('FAILED: receipt.not_a_slip');
    return 1;
  }
  // Without --public-key the slip can only be checked against itself: say so.
  const key = readPublicKey(values['public-key']);
  if (!key) out('note: no --public-key given; checking the signature against the key printed in the QR payload is impossible, so give the branch key');
  if (!key) return 2;
  let result: Awaited<ReturnType<typeof verifySlipFile>>;
  try {
    result = await verifySlipFile(resolve(file), key);
  } catch (error) {
    // The page is read with poppler's pdftoppm: say what is missing rather than a spawn error.
    const { code, syscall } = error as NodeJS.ErrnoException;
    if (code !== 'ENOENT' || !syscall?.startsWith('spawn')) throw error;
    out('FAILED: receipt.qr_unreadable: pdftoppm (poppler-utils) is needed to read the QR code off the page');
    return 1;
  }
  if (!result.ok) {
    const where = result.field ? `: ${result.field}${result.page ? ` (page ${result.page})` : ''}` : result.page ? ` (page ${result.page})` : '';
    out(`FAILED: ${result.reason}${where}`);
    return 1;
  }
  for (const [label, value] of Object.entries(result.fields)) {
    const text = value === null ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value);
    out(`${label.padEnd(22)} ${text}`);
  }
  out('qr                     read off every page; matches the metadata and the signature');
  out('printed fields         every signed field on every page says what the payload says');
  out('OK');
  return 0;
}

async function exportReceipt(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' }, number: { type: 'string' }, print: { type: 'string', default: '1' }, out: { type: 'string' } } });
  if (!values.number || !values.out) throw new UsageError('export-receipt --data-dir DIR --number APP-NO [--print N] --out FILE.pdf');
  const target = resolve(values.out);
  if (existsSync(target)) throw new UsageError(`${target} exists; nothing is overwritten`);
  const core = await openCore({ dataDir: dataDirOf(values['data-dir']), appVersion: readAppVersion(), log: silentEventLog });
  try {
    const row = core.db
      .prepare('SELECT r.file_name AS fileName, r.sha256, r.purged_at AS purgedAt FROM receipts r JOIN applications a ON a.id = r.application_id WHERE a.number = ? AND r.print_no = ?')
      .get(values.number, Number(values.print)) as { fileName: string; sha256: string; purgedAt: string | null } | undefined;
    if (!row) throw new UsageError(`no slip ${values.print} for ${values.number}`);
    if (row.purgedAt) throw new UsageError(`slip ${values.print} for ${values.number} was purged at the end of the retention period (${row.purgedAt})`);
    let pdf: Buffer;
    try {
      pdf = readStoredReceipt(core.context, row.fileName);
    } catch (error) {
      const file = join(core.context.dataDir, 'receipts', row.fileName);
      out((error as NodeJS.ErrnoException).code === 'ENOENT'
        ? `FAILED: the stored slip is missing: ${file} (restore it with the backup of receipts/)`
        : `FAILED: the stored slip cannot be opened: ${file} is damaged or was sealed with another installation key`);
      return 1;
    }
    if (createHash('sha256').update(pdf).digest('hex') !== row.sha256) {
      out('FAILED: the stored slip does not match the SHA-256 recorded when it was issued');
      return 1;
    }
    writeFileSync(target, pdf, { flag: 'wx', mode: 0o600 });
    out(`slip ${values.number} #${values.print} → ${target}`);
    return 0;
  } finally {
    core.close();
  }
}

async function purge(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' }, 'dry-run': { type: 'boolean', default: false } } });
  const core = await openCore({ dataDir: dataDirOf(values['data-dir']), appVersion: readAppVersion(), log: silentEventLog });
  try {
    const report = purgeExpired(core.context, { actorId: null, dryRun: values['dry-run'] });
    const line = (label: string, text: string) => out(`${label.padEnd(14)} ${text}`);
    line('retention', `${report.retentionYears} years: business dates before ${report.cutoff}`);
    line(report.dryRun ? 'would purge' : 'purged', `${report.applications} requests, ${report.receipts} slips`);
    if (!report.dryRun) line('slip files', `${report.filesRemoved} removed`);
    return 0;
  } finally {
    core.close();
  }
}

async function verifyBundle(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'public-key': { type: 'string' } } });
  const dir = positionals[0];
  if (!dir) throw new UsageError('verify-bundle DIR [--public-key FILE]');
  const result = await verifyDayBundle(resolve(dir), readPublicKey(values['public-key']));
  if (!result.ok) {
    out(`FAILED: ${result.reason}`);
    return 1;
  }
  out(`branch   ${result.manifest.branch.code}`);
  out(`date     ${result.manifest.businessDate}  batch ${result.manifest.batch}`);
  out(`rows     ${result.manifest.counts.total}`);
  for (const file of result.manifest.files) out(`file     ${file.name.padEnd(20)} ${file.bytes} bytes  sha256 ${file.sha256}`);
  out(`key      ${result.key === 'installation' ? 'the installation key given' : 'the key inside the manifest (give --public-key to check against the branch key)'}`);
  out('OK');
  return 0;
}

const commands: Record<string, (args: string[]) => Promise<number>> = {
  info,
  'verify-audit': verifyAudit,
  backup,
  'seed-demo': seed,
  'public-key': publicKey,
  'verify-receipt': verifyReceiptCommand,
  'export-receipt': exportReceipt,
  'verify-bundle': verifyBundle,
  purge,
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
    // A file the command was given could not be read or written (Node's message names it and says why), or
    // the installation key is missing or foreign: branch IT's to mend, so the message without a stack trace.
    if (error instanceof InstallationKeyError || (error instanceof Error && 'syscall' in error)) {
      process.stderr.write(`error: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
