/**
 * Command-line tool for branch IT: `npm run cli -- <command> [options]`.
 * Runs the core under plain Node; never needs Electron.
 */
import { createHash, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { accessSync, chmodSync, closeSync, constants, existsSync, linkSync, lstatSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { listPrinters, printOutcomeText, printPdf, reasonText } from './core/printing/cupsPrinter';
import { renderTestPage } from './core/printing/testPage';
import { DATABASE_FILE, openCore } from './core';
import { readAppVersion } from './core/appVersion';
import { silentEventLog } from './core/eventLog';
import { openDatabase } from './core/db/connection';
import { schemaVersion } from './core/db/migrations';
import { auditReport, type KnownHead } from './core/audit/auditReconciliation';
import { signedHeadsOfStoredSlips } from './core/receipts/slipAuditHeads';
import { readBranchProfileOfAnyVersion } from './core/system/branchProfile';
import { isDeskNumber } from '../shared';
import { signingKeyOf } from './core/dayclose/manifest';
import { currentBusinessDate } from './core/businessDays';
import { DEFAULT_TIME_ZONE } from './core/clock';
import { SamReaderSimulator } from './core/cardReader/samReaderSimulator';
import { openInProcessReader } from './core/cardReader/inProcessReader';
import { DEMO_ACCOUNTS, closeSeededDay, SeededDayExportError, seedDemo } from './core/demo/seedDemo';
import { readInstallationKeys } from './core/crypto/installationKeys';
import { InstallationKeyError } from './core/crypto/keyBinding';
import { keyFileStore } from './core/crypto/keyFileStore';
import { publicKeyPem } from './core/crypto/signing';
import { readReceipt, verifyReceipt, verifySlipFile } from './core/receipts/receiptVerification';
import { readStoredReceipt } from './core/receipts/receiptService';
import { describeBundleFailure, verifyDayBundle } from './core/dayclose/bundleVerification';
import { signedHeadsOfBundles } from './core/dayclose/bundleAuditHeads';
import { purgeExpired } from './core/retention/retentionPurge';
import { exportDay } from './core/dayclose/dayCloseService';
import { checkExportDestination, ExportDestinationError } from './core/dayclose/bundleWriter';
import { DomainError } from './core/rpc/domainError';
import type { Actor } from './core/rpc/router';
import { HEAD_OFFICE_USAGE, HeadOfficeUsageError, headOfficeCommands, isHeadOfficeError } from './headoffice/commands';

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
            [--branch CODE] [--desk NN] [--date YYYY-MM-DD]
            [--seed S] [--password-cost 17] [--close --export DIR]
                                      --branch/--desk: the demo desk (default 310101, 01; used when the folder is
                                      new); --date: the business day to fill (default today; days after one
                                      closed make a history); --close carries open requests over and closes the
                                      day; --export writes its bundle
  export-day --data-dir DIR --date YYYY-MM-DD --out DIR
                                      (re)write a closed day's signed bundle into the folder DIR (the next batch)
  public-key --data-dir DIR           the installation's Ed25519 public key for head office: lines naming the
                                      branch, the desk and the key's fingerprint, then the PEM (readers of PEM
                                      skip the lines before it)
  verify-receipt FILE.pdf --public-key FILE
                                      verify a slip offline: the QR code read off every page, its signature, the
                                      metadata, and every signed field printed on the page; a file with an
                                      incremental update or a second information dictionary is refused
  export-receipt --data-dir DIR --number APP-NO [--print N] --out FILE.pdf
                                      decrypt a stored slip (they are kept sealed in the data folder)
  verify-bundle DIR --public-key FILE
                                      verify a day-close bundle against the branch's key: the signature, the folder
                                      name, every file's size and hash, the counts
  printers                            the spooler's printers (CUPS): state, whether they accept jobs, the default
  print-test --printer NAME [--layout a5|roll80] [--timeout S]
                                      print a test page marked 测试 (not a slip) and wait for the spooler's verdict;
                                      exit 0 only when the job printed
  purge --data-dir DIR [--dry-run]    purge the personal data of requests past the retention years (closing
                                      a day does this too); --dry-run only counts
  help                                this text
${HEAD_OFFICE_USAGE}

Exit codes: 0 done / verified; 1 a check failed, or the data folder, its key or a file could not be used;
2 refused before anything was done (a wrong or missing option, a folder that does not exist, a day not closed,
no --public-key). Errors are one line on stderr.
`;

class UsageError extends Error {}

function dataDirOf(value: string | undefined): string {
  if (!value) throw new UsageError('--data-dir DIR is required');
  const dir = resolve(value);
  if (!existsSync(join(dir, DATABASE_FILE))) throw new UsageError(`no UnbindDesk database in ${dir}`);
  return dir;
}

const out = (line: string) => process.stdout.write(`${line}\n`);

/** A whole number option within bounds, or a usage error naming it. */
function wholeNumber(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max.toLocaleString('en')}`);
  return n;
}

/** Why a folder cannot take a bundle, in words (the export's refusal codes). */
function destinationProblem(code: string, folder: string): string {
  const why: Record<string, string> = {
    'export.destination_missing': `the folder ${folder} does not exist; create it first`,
    'export.destination_not_directory': `${folder} is not a folder`,
    'export.destination_link': `${folder} is, or lies inside, a link; give the real folder`,
    'export.destination_device': `${folder} is a device path; give a local folder`,
    'export.destination_unc': `${folder} is a network share; personal data stays on the branch's own disks`,
    'export.destination_relative': `${folder} is not an absolute path`,
    'export.destination_parent_segment': `${folder} contains '..'`,
  };
  return why[code] ?? `the bundle cannot be written into ${folder} (${code})`;
}

/** A folder a bundle may be written into, checked before anything is done (the export checks it again). */
function exportFolder(value: string): string {
  const folder = resolve(value);
  let checked: string;
  try {
    checked = checkExportDestination(folder);
  } catch (error) {
    if (error instanceof ExportDestinationError) throw new UsageError(destinationProblem(error.code, folder));
    throw error;
  }
  try {
    accessSync(checked, constants.W_OK);
  } catch {
    throw new UsageError(`this account cannot write into ${folder}`);
  }
  return checked;
}

/** A business date as typed: YYYY-MM-DD and a real calendar day. */
function businessDateOf(value: string | undefined): string {
  const time = value === undefined ? Number.NaN : Date.parse(`${value}T00:00:00Z`);
  const valid = value !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
  if (!valid) throw new UsageError(value === undefined ? '--date YYYY-MM-DD is required' : `--date ${value} is not a calendar date in the form YYYY-MM-DD`);
  return value;
}

/** Read-only commands open the file directly: they need no keys and change nothing. */
function info(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' } } });
  const dir = dataDirOf(values['data-dir']);
  const db = openDatabase(join(dir, DATABASE_FILE), { readonly: true });
  try {
    const branch = readBranchProfileOfAnyVersion(db);
    const timeZone = branch?.timeZone ?? DEFAULT_TIME_ZONE;
    const rows: [string, string | number][] = [
      ['version', readAppVersion()],
      ['schema', schemaVersion(db)],
      ['data folder', dir],
      ['branch', branch ? `${branch.code} ${branch.name}` : '(not set up)'],
      ['desk', branch ? branch.desk ?? '(not set: an admin sets it at the next start; no new request until then)' : '(not set up)'],
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

/** What is at `path` itself, not at the end of a symbolic link; null when nothing is. */
function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return null;
    throw error;
  }
}

/** Audit heads signed by this installation: a slip PDF, a day bundle (its folder or manifest.json) or a folder of bundles. */
function readSignedHeads(path: string, key: KeyObject): KnownHead[] {
  if (!existsSync(path)) throw new UsageError(`--head ${path}: no such file or folder`);
  if (statSync(path).isDirectory() || path.endsWith('.json')) return signedHeadsOfBundles(path, key);
  const verified = verifyReceipt(readFileSync(path), key);
  return verified.ok ? [{ seq: verified.fields.auditHead.seq, hashPrefix: verified.fields.auditHead.hashPrefix, source: `slip ${path}` }] : [];
}

async function backup(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' }, out: { type: 'string' } } });
  if (!values.out) throw new UsageError('--out FILE is required');
  const target = resolve(values.out);
  // lstat, not exists: a link (even one pointing nowhere) would send the copy of every record wherever it points.
  const existing = lstatOrNull(target);
  if (existing?.isSymbolicLink()) throw new UsageError(`${target} is a symbolic link; a backup is written only as a new plain file`);
  if (existing) throw new UsageError(`${target} exists; a backup never overwrites`);
  if (!existsSync(dirname(target))) throw new UsageError(`the folder ${dirname(target)} does not exist`);
  // The copy is made as a private file of our own (created exclusively, owner-only from the start) beside the
  // target, checked, and only then given the target's name; a failure leaves no partial backup under it.
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(8).toString('hex')}.partial`);
  closeSync(openSync(temporary, 'wx', 0o600));
  const removeTemporary = () => {
    for (const file of [temporary, `${temporary}-wal`, `${temporary}-shm`, `${temporary}-journal`]) rmSync(file, { force: true });
  };
  try {
    const db = openDatabase(join(dataDirOf(values['data-dir']), DATABASE_FILE));
    try {
      // SQLite's online backup API: a consistent copy while the counter keeps working.
      await db.backup(temporary);
    } finally {
      db.close();
    }
    // The copy holds the same records as the database: only the account that made it may read it.
    if (process.platform !== 'win32') chmodSync(temporary, 0o600);
    const copy = openDatabase(temporary, { readonly: true });
    let check: unknown;
    let schema: number;
    try {
      check = copy.pragma('integrity_check', { simple: true });
      schema = schemaVersion(copy);
    } finally {
      copy.close();
    }
    if (check !== 'ok') {
      out(`FAILED: integrity_check of the copy says ${String(check)}`);
      return 1;
    }
    rmSync(`${temporary}-wal`, { force: true });
    rmSync(`${temporary}-shm`, { force: true });
    // A hard link, unlike rename, refuses a name that appeared meanwhile (a file or a link): nothing is overwritten.
    // A drive without hard links (FAT) gets a rename after one more look at the name.
    try {
      linkSync(temporary, target);
    } catch (error) {
      const code = error instanceof Error && 'code' in error ? error.code : '';
      if (code === 'EEXIST') throw new UsageError(`${target} exists; a backup never overwrites`);
      if (!['EPERM', 'ENOTSUP', 'ENOSYS', 'EOPNOTSUPP'].includes(String(code)) || lstatOrNull(target) !== null) throw error;
      renameSync(temporary, target);
    }
    out(`backup  ${target}`);
    out(`schema  ${schema}`);
    out('integrity_check ok');
    out('Note: personal data in the backup is encrypted; keep the installation key separately (see README).');
    return 0;
  } finally {
    removeTemporary();
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
      branch: { type: 'string' },
      desk: { type: 'string' },
      date: { type: 'string' },
    },
  });
  // Everything is checked before the first change: a wrong option must not leave a half-made branch or a
  // closed day without its bundle.
  if (values.export !== undefined && !values.close) throw new UsageError('--export needs --close: only a closed day is exported');
  if (!values['data-dir']) throw new UsageError('--data-dir DIR is required');
  const count = wholeNumber('count', values.count, 0, 1_000_000) ?? 50;
  const seedNumber = wholeNumber('seed', values.seed, 0, 2 ** 32 - 1);
  const passwordCost = wholeNumber('password-cost', values['password-cost'], 10, 20);
  const destination = values.export === undefined ? undefined : exportFolder(values.export);
  const branchCode = values.branch?.trim().toUpperCase();
  if (branchCode !== undefined && !/^[0-9A-Z]{3,12}$/.test(branchCode)) throw new UsageError('--branch CODE: 3 to 12 digits or capital letters');
  const desk = values.desk?.trim();
  if (desk !== undefined && !isDeskNumber(desk)) throw new UsageError('--desk NN: two digits, 01 to 99');
  const date = values.date === undefined ? undefined : businessDateOf(values.date);
  const dataDir = resolve(values['data-dir']);
  if (existsSync(dataDir) && !statSync(dataDir).isDirectory()) throw new UsageError(`${dataDir} is not a folder`);
  // --date: the core's clock reads that day from 09:00 Beijing time on, running at the real pace.
  const started = Date.now();
  const clock = date === undefined ? undefined : { now: () => new Date(Date.parse(`${date}T01:00:00Z`) + (Date.now() - started)) };
  // Demo requests read from the chip are read on a simulated reader, in process, as the preview's is.
  const readerSim = new SamReaderSimulator();
  const core = await openCore({
    dataDir,
    appVersion: readAppVersion(),
    log: silentEventLog,
    ...(clock ? { clock } : {}),
    ...(passwordCost !== undefined ? { passwordCost } : {}),
    ...(destination ? { ports: { chooseExportDirectory: () => Promise.resolve(destination) } } : {}),
    openCardReader: () => Promise.resolve(openInProcessReader(readerSim, 0)),
    cardReaderSettings: () => ({ kind: 'serial', path: '/dev/seed-demo-simulated-reader', baudRate: 115200 }),
  });
  try {
    // A folder already set up is the desk it is: refused, not renamed, before anything is added to it.
    const profile = readBranchProfileOfAnyVersion(core.db);
    if (profile && ((branchCode !== undefined && branchCode !== profile.code) || (desk !== undefined && desk !== profile.desk))) {
      throw new UsageError(`${dataDir} is already desk ${profile.desk ?? '(not set)'} of branch ${profile.code}; give a new --data-dir for another desk`);
    }
    if (date !== undefined && core.context.businessDate() !== date) {
      throw new UsageError(`--date ${date}: the business day of this folder is ${core.context.businessDate()} (the days before it are closed); give that day or a later one`);
    }
    const started = performance.now();
    const summary = await seedDemo(core, {
      count,
      readerSim,
      // Without --seed, each desk and day gets requests of its own (the same --branch/--desk/--date give the same ones).
      ...(seedNumber !== undefined ? { seed: seedNumber } : branchCode !== undefined || desk !== undefined || date !== undefined ? { seed: seedOf(`${branchCode ?? ''}/${desk ?? ''}/${date ?? ''}`) } : {}),
      ...(branchCode !== undefined ? { branchCode, branchName: branchCode === '310101' ? '上海分行营业部' : `演示网点${branchCode}` } : {}),
      ...(desk !== undefined ? { desk } : {}),
    });
    const seeded = readBranchProfileOfAnyVersion(core.db);
    out(`branch ${seeded?.code ?? '?'} desk ${seeded?.desk ?? '(not set)'} business date ${core.context.businessDate()}`);
    out(`created ${summary.created} requests in ${Math.round(performance.now() - started)} ms`);
    for (const [status, n] of Object.entries(summary.byStatus).sort()) out(`  ${status.padEnd(22)} ${n}`);
    out(`outcome told by: sms ${summary.byNotification.sms}, phone call ${summary.byNotification.phone}, e-mail ${summary.byNotification.email}`);
    if (values.close) {
      let closed: Awaited<ReturnType<typeof closeSeededDay>>;
      try {
        closed = await closeSeededDay(core, destination !== undefined);
      } catch (error) {
        if (!(error instanceof SeededDayExportError) || !destination) throw error;
        // Checked above, so rare (the folder went away meanwhile): say what was done and how to finish.
        process.stderr.write(`error: ${error.businessDate} was closed, but its bundle was not written (${destinationProblem(error.reason, destination)}); write it with export-day --data-dir ${dataDir} --date ${error.businessDate} --out DIR\n`);
        return 1;
      }
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

/** FNV-1a (32 bits) of a text: a demo seed per desk and day. */
function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

function readPublicKey(file: string | undefined): KeyObject | undefined {
  if (!file) return undefined;
  const pem = readFileSync(resolve(file));
  try {
    return createPublicKey(pem);
  } catch {
    throw new UsageError(`${resolve(file)} is not a public key (give the PEM that \`public-key\` prints)`);
  }
}

async function publicKey(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' } } });
  const dataDir = dataDirOf(values['data-dir']);
  const store = keyFileStore(dataDir);
  // Only reads: a missing key is reported, never made here.
  const keys = await readInstallationKeys(store);
  if (!keys) {
    process.stderr.write(`error: no installation key at ${store.location}\n`);
    return 1;
  }
  // Who the key is: head office registers it under this branch and desk (register-desk). Read-only, and
  // from a folder of any schema version (a desk not set yet is said so).
  let branch: ReturnType<typeof readBranchProfileOfAnyVersion> = null;
  const databaseFile = join(dataDir, DATABASE_FILE);
  if (existsSync(databaseFile)) {
    const db = openDatabase(databaseFile, { readonly: true });
    try {
      branch = readBranchProfileOfAnyVersion(db);
    } finally {
      db.close();
    }
  }
  out(`branch       ${branch ? `${branch.code} ${branch.name}` : '(not set up)'}`);
  out(`desk         ${branch?.desk ?? '(not set)'}`);
  out(`fingerprint  ${signingKeyOf(keys.publicKey).fingerprint}`);
  process.stdout.write(publicKeyPem(keys.publicKey));
  return 0;
}

async function verifyReceiptCommand(args: string[]): Promise<number> {
  // --qr is kept for scripts written before the page's QR code became the default check.
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'public-key': { type: 'string' }, qr: { type: 'boolean', default: true } } });
  const file = positionals[0];
  if (!file) throw new UsageError('verify-receipt FILE.pdf --public-key FILE');
  // Without --public-key the slip could only be checked against itself: refused before the file is read.
  const key = readPublicKey(values['public-key']);
  if (!key) out('note: no --public-key given; checking the signature against the key printed in the QR payload is impossible, so give the branch key');
  if (!key) return 2;
  if (!readReceipt(readFileSync(resolve(file)))) {
    out('FAILED: receipt.not_a_slip');
    return 1;
  }
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
  wholeNumber('print', values.print, 1, 1_000_000);
  const target = resolve(values.out);
  if (existsSync(target)) throw new UsageError(`${target} exists; nothing is overwritten`);
  if (!existsSync(dirname(target))) throw new UsageError(`the folder ${dirname(target)} does not exist`);
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

/**
 * Who `export-day` acts as: branch IT at the machine, not a teller account. The audit row has no actor and the
 * manifest's operator says `cli`, so the bundle never claims a supervisor made it.
 */
const CLI_ACTOR = { tellerId: null, employeeNo: 'cli', name: 'export-day (cli)', role: 'admin' } as unknown as Actor;

/** (Re)writes a closed day's bundle: after a failed export, or for a second copy. Each run is the next batch. */
async function exportDayCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' }, date: { type: 'string' }, out: { type: 'string' } } });
  const dir = dataDirOf(values['data-dir']);
  const businessDate = businessDateOf(values.date);
  if (!values.out) throw new UsageError('--out DIR is required: the folder the bundle is written into');
  const destination = exportFolder(values.out);
  // Read-only first: an open or unknown day is refused before the core opens (and before it signs anything).
  const db = openDatabase(join(dir, DATABASE_FILE), { readonly: true });
  let status: string | undefined;
  try {
    status = (db.prepare('SELECT status FROM business_days WHERE business_date = ?').get(businessDate) as { status: string } | undefined)?.status;
  } finally {
    db.close();
  }
  if (status === undefined) throw new UsageError(`${businessDate} is not a business day of this data folder: nothing was done on it`);
  if (status !== 'closed') throw new UsageError(`${businessDate} is still open: only a closed day is exported (a supervisor closes it at the counter)`);
  const core = await openCore({ dataDir: dir, appVersion: readAppVersion(), log: silentEventLog });
  try {
    const written = await exportDay(core.context, { chooseExportDirectory: () => Promise.resolve(destination) }, CLI_ACTOR, 'cli', businessDate, undefined);
    out(`bundle  ${written.dir}`);
    out(`batch   ${written.batch}`);
    for (const file of written.files) out(`file    ${file.name.padEnd(20)} ${file.bytes} bytes  sha256 ${file.sha256}`);
    return 0;
  } catch (error) {
    // The core re-checks what was checked above; a refusal that slips through (the day reopened meanwhile,
    // the folder removed) is still one line.
    if (error instanceof DomainError) {
      const destination = error.fields?.destination;
      const why = destination ? destinationProblem(destination, resolve(values.out))
        : error.messageKey === 'dayclose.export_needs_close' ? `${businessDate} was reopened meanwhile` : `${error.code} ${error.messageKey}`;
      process.stderr.write(`error: ${businessDate} was not exported: ${why}\n`);
      return 1;
    }
    throw error;
  } finally {
    core.close();
  }
}

async function verifyBundle(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'public-key': { type: 'string' } } });
  const dir = positionals[0];
  if (!dir) throw new UsageError('verify-bundle DIR --public-key FILE');
  // DIR: <branch>_<desk>_<YYYYMMDD>_<batch>, or <branch>_<YYYYMMDD>_<batch> for a bundle made before desks.
  // The key inside the manifest proves nothing: anyone can edit a bundle, re-hash it and re-sign it with a
  // key of their own. An intake script reads the exit code, so without the branch's key: refused, exit 2.
  if (!values['public-key']) throw new UsageError("--public-key FILE is required: the branch's key (from `public-key`), since the key inside a manifest proves nothing");
  const folder = resolve(dir);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`no folder ${folder}: give the bundle's folder (<branch>_<desk>_<YYYYMMDD>_<batch>, or <branch>_<YYYYMMDD>_<batch> before desks)`);
  const key = readPublicKey(values['public-key']);
  const result = await verifyDayBundle(folder, key);
  if (!result.ok) {
    out(`FAILED: ${describeBundleFailure(result)}`);
    return 1;
  }
  out(`branch   ${result.manifest.branch.code}`);
  out(`desk     ${result.manifest.desk ?? `(none: format ${result.manifest.format.split('/').at(-1) ?? '?'}, made before desks were numbered)`}`);
  out(`date     ${result.manifest.businessDate}  batch ${result.manifest.batch}`);
  out(`rows     ${result.manifest.counts.total}`);
  for (const file of result.manifest.files) out(`file     ${file.name.padEnd(20)} ${file.bytes} bytes  sha256 ${file.sha256}`);
  out(`key      the installation key given${result.manifest.signingKey ? `, fingerprint ${result.manifest.signingKey.fingerprint}` : ''}`);
  out('OK');
  return 0;
}

async function printersCommand(args: string[]): Promise<number> {
  parseArgs({ args, options: {} });
  let printers;
  try {
    printers = await listPrinters();
  } catch (error) {
    process.stderr.write(`error: ${printOutcomeText({ kind: 'spooler_unavailable', detail: error instanceof Error ? error.message : String(error) }, 'en')}\n`);
    return 1;
  }
  if (printers.length === 0) out('no printers (add one in the desktop\'s printer settings, or lpadmin)');
  for (const printer of printers) {
    const reasons = printer.reasons.length ? ` (${printer.reasons.map((reason) => reasonText(reason, 'en')).join(', ')})` : '';
    out(`${printer.isDefault ? '*' : ' '} ${printer.name.padEnd(24)} ${printer.state}${reasons}${printer.accepting ? '' : ', not accepting jobs'}`);
  }
  return 0;
}

async function printTest(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { printer: { type: 'string' }, layout: { type: 'string' }, timeout: { type: 'string' } } });
  if (!values.printer) throw new UsageError('--printer NAME is required (`npm run cli -- printers` lists them)');
  const layout = values.layout ?? 'a5';
  if (layout !== 'a5' && layout !== 'roll80') throw new UsageError('--layout is a5 or roll80');
  const seconds = wholeNumber('timeout', values.timeout, 1, 600) ?? 60;
  const page = await renderTestPage({ layout, printer: values.printer, requestedBy: `cli (${process.env.USER ?? 'unknown'})`, at: new Date() });
  const outcome = await printPdf(page.pdf, {
    printer: values.printer,
    layout,
    pageHeightPoints: page.pageHeightPoints,
    title: 'UnbindDesk test page',
    timeoutMs: seconds * 1000,
  });
  if (outcome.kind === 'printed') {
    out(printOutcomeText(outcome, 'en'));
    return 0;
  }
  process.stderr.write(`error: ${printOutcomeText(outcome, 'en')}\n`);
  return 1;
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
  'export-day': exportDayCommand,
  printers: printersCommand,
  'print-test': printTest,
  purge,
  ...headOfficeCommands,
  help: () => Promise.resolve((process.stdout.write(USAGE), 0)),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(name ? `error: unknown command: ${name} (\`npm run cli -- help\` lists the commands)\n` : USAGE);
    return 2;
  }
  try {
    return await command(rest);
  } catch (error) {
    // Node's own option errors (parseArgs) can run over several lines: one line, like ours.
    if (error instanceof UsageError || error instanceof HeadOfficeUsageError || (error instanceof TypeError && 'code' in error)) {
      process.stderr.write(`error: ${error.message.trim().replace(/\s*\n\s*/g, ' ')}\n`);
      return 2;
    }
    // A file the command was given could not be read or written (Node's message names it and says why), or
    // the installation key is missing or foreign: branch IT's to mend, so the message without a stack trace.
    if (error instanceof InstallationKeyError || (error instanceof Error && 'syscall' in error)) {
      process.stderr.write(`error: ${error.message}\n`);
      return 1;
    }
    // Head office: the database could not be reached, or answered with an error (its message, never a row).
    if (isHeadOfficeError(error) || (error instanceof Error && error.name === 'DatabaseError')) {
      process.stderr.write(`error: ${firstLine(error.message)}\n`);
      return 1;
    }
    // The data folder holds something that is not a readable UnbindDesk database (damaged, locked, foreign).
    if (error instanceof Error && error.name === 'SqliteError') {
      process.stderr.write(`error: the database could not be read or written (${String((error as { code?: unknown }).code)}: ${firstLine(error.message)})\n`);
      return 1;
    }
    return unexpected(error);
  }
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}

/** A bug, not a mistake of the user's: one line, and the stack trace in a private file for whoever fixes it. */
function unexpected(error: unknown): number {
  const summary = error instanceof Error ? `${error.name}: ${firstLine(error.message)}` : String(error);
  const file = join(tmpdir(), `unbinddesk-cli-${new Date().toISOString().replaceAll(':', '')}-${process.pid}.log`);
  try {
    writeFileSync(file, `${error instanceof Error ? (error.stack ?? summary) : summary}\n`, { mode: 0o600 });
    process.stderr.write(`error: unexpected failure (${summary}); the details are in ${file}\n`);
  } catch {
    process.stderr.write(`error: unexpected failure (${summary})\n`);
  }
  return 1;
}

process.exitCode = await main(process.argv.slice(2));
