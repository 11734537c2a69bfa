import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { openDatabase } from '../../electron/core/db/connection';
import { DATABASE_FILE } from '../../electron/core';
import { syntheticRandom } from '../../shared';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { demoSignaturePng } from '../../electron/core/demo/demoSignature';
import { openHarness } from '../support/coreHarness';
import { publicKeyPem } from '../../electron/core/crypto/signing';
import { manifestBytes, signManifest, type DayBundleManifest } from '../../electron/core/dayclose/manifest';

/** The CLI as branch IT runs it: its own process, exit codes and printed lines. */
function cli(...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli.ts', ...args], { encoding: 'utf8' });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

const root = mkdtempSync(join(tmpdir(), 'unbinddesk-cli-'));
const dataDir = join(root, 'data');
const exportDir = join(root, 'exports');
let bundle = '';
let pem = '';
let seededOut = '';

beforeAll(() => {
  mkdirSync(exportDir);
  const seeded = cli('seed-demo', '--data-dir', dataDir, '--count', '30', '--password-cost', '10', '--close', '--export', exportDir);
  expect(seeded.code, seeded.err).toBe(0);
  expect(seeded.out).toMatch(/closed \d{4}-\d{2}-\d{2}/);
  seededOut = seeded.out;
  [bundle = ''] = readdirSync(exportDir).map((name) => join(exportDir, name));
  pem = cli('public-key', '--data-dir', dataDir).out;
  writeFileSync(join(root, 'branch.pem'), pem);
}, 180_000);

// Each case runs the CLI as its own process a few times (tsx start-up included): generous time on 2 cores.
describe('the branch IT command line', { timeout: 120_000 }, () => {
  it('seed-demo: the demo customers ask to be told the outcome by SMS, by a call and by e-mail, so the demo shows all three', () => {
    const told = /outcome told by: sms (\d+), phone call (\d+), e-mail (\d+)\n/.exec(seededOut);
    expect(told, seededOut).not.toBeNull();
    const [sms, phone, email] = (told ?? []).slice(1).map(Number);
    expect(sms).toBeGreaterThan(phone ?? 0);
    expect(phone).toBeGreaterThan(0);
    expect(email).toBeGreaterThan(0);
  });

  it('prints the installation public key, naming its branch, desk and fingerprint above the PEM', () => {
    expect(pem).toMatch(/^branch {7}310101 上海分行营业部\ndesk {9}01\nfingerprint {2}[0-9a-f]{64}\n-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/);
  });

  it('says when the installation key is missing, and makes none', () => {
    // A branch's database without its key: each command stops with the message for branch IT, not a stack trace.
    const keyless = join(root, 'keyless');
    mkdirSync(keyless);
    copyFileSync(join(dataDir, DATABASE_FILE), join(keyless, DATABASE_FILE));
    const printed = cli('public-key', '--data-dir', keyless);
    expect(printed.code).toBe(1);
    expect(printed.err).toContain(`no installation key at ${join(keyless, 'installation.key')}`);
    const purge = cli('purge', '--data-dir', keyless, '--dry-run');
    expect(purge.code).toBe(1);
    expect(purge.err).toContain('安装密钥缺失');
    expect(purge.err).toContain('The installation key is missing');
    expect(purge.err).not.toMatch(/\n\s+at /);
    expect(existsSync(join(keyless, 'installation.key'))).toBe(false);
  });

  it('verifies the audit chain, and names the first bad row after tampering', () => {
    expect(cli('verify-audit', '--data-dir', dataDir)).toMatchObject({ code: 0, out: expect.stringContaining('OK') });
    const copy = join(root, 'tampered');
    mkdirSync(copy);
    const backup = cli('backup', '--data-dir', dataDir, '--out', join(copy, DATABASE_FILE));
    expect(backup).toMatchObject({ code: 0, out: expect.stringContaining('integrity_check ok') });
    if (process.platform !== 'win32') expect(statSync(join(copy, DATABASE_FILE)).mode & 0o777).toBe(0o600);
    expect(cli('backup', '--data-dir', dataDir, '--out', join(copy, DATABASE_FILE)).code).toBe(2);
    // The chain is keyed: checking it needs the installation key, kept apart from the database.
    expect(cli('verify-audit', '--data-dir', copy)).toMatchObject({ code: 1, err: expect.stringContaining('the installation key is not at') });
    copyFileSync(join(dataDir, 'installation.key'), join(copy, 'installation.key'));
    const db = openDatabase(join(copy, DATABASE_FILE));
    db.exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET details = json_set(details, '$.forged', 1) WHERE seq = 12;");
    db.close();
    const result = cli('verify-audit', '--data-dir', copy);
    expect(result.code).toBe(1);
    expect(result.out).toContain('DIFFERENCE audit.chain_broken row 12');
    expect(result.out).toMatch(/^FAILED: /m);
  });

  it('shows rows cut off the end against the head in a day bundle, and every request the tables hold otherwise than the audit', () => {
    const copy = join(root, 'cut');
    cpSync(dataDir, copy, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8')) as { auditHead: { seq: number } };
    const db = openDatabase(join(copy, DATABASE_FILE));
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE seq >= ?').run(manifest.auditHead.seq);
    const { number } = db.prepare("SELECT number FROM applications WHERE status = 'cancelled' LIMIT 1").get() as { number: string };
    db.prepare("UPDATE applications SET status = 'rejected' WHERE number = ?").run(number);
    db.close();
    const result = cli('verify-audit', '--data-dir', copy, '--head', bundle);
    expect(result.code, result.err).toBe(1);
    expect(result.out).toContain(`DIFFERENCE audit.rows_cut_off row ${manifest.auditHead.seq} bundle ${bundle}: audit says ${manifest.auditHead.seq}, found ${manifest.auditHead.seq - 1}`);
    expect(result.out).toContain(`DIFFERENCE audit.status_differs`);
    expect(result.out).toContain(`${number}: audit says cancelled, found rejected`);
    // A bundle signed by another key vouches for nothing.
    expect(cli('verify-audit', '--data-dir', dataDir, '--head', join(root, 'branch.pem')).code).not.toBe(0);
  });

  it('exports a stored slip and verifies it offline, with its QR code; a changed slip fails', () => {
    const db = openDatabase(join(dataDir, DATABASE_FILE), { readonly: true });
    const { number } = db.prepare("SELECT number FROM applications WHERE status = 'completed' LIMIT 1").get() as { number: string };
    db.close();
    const slip = join(root, 'slip.pdf');
    expect(cli('export-receipt', '--data-dir', dataDir, '--number', number, '--out', slip).code).toBe(0);
    // The page's QR code and printed fields are checked by default, without asking for them.
    const ok = cli('verify-receipt', slip, '--public-key', join(root, 'branch.pem'));
    expect(ok.code, ok.out + ok.err).toBe(0);
    expect(ok.out).toContain(number);
    expect(ok.out).toMatch(/^qr\s+read off every page/m);
    expect(ok.out).toMatch(/^printed fields\s+every signed field on every page/m);
    expect(ok.out.trim().endsWith('OK')).toBe(true);

    const bytes = readFileSync(slip);
    const at = bytes.indexOf(Buffer.from(number)) + number.length - 1;
    const forged = Buffer.from(bytes);
    forged[at] = forged[at] === 0x31 ? 0x32 : 0x31;
    writeFileSync(join(root, 'forged.pdf'), forged);
    const failed = cli('verify-receipt', join(root, 'forged.pdf'), '--public-key', join(root, 'branch.pem'));
    expect(failed.code).toBe(1);
    expect(failed.out).toMatch(/^FAILED: /m);

    const stranger = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    writeFileSync(join(root, 'stranger.pem'), stranger);
    expect(cli('verify-receipt', slip, '--public-key', join(root, 'stranger.pem')).out).toContain('FAILED: receipt.signature_invalid');

    // A copy of the branch whose stored slip was damaged, then lost: each is named, without a stack trace.
    const copy = join(root, 'slip-damaged');
    cpSync(dataDir, copy, { recursive: true });
    const [day = ''] = readdirSync(join(copy, 'receipts'));
    const stored = join(copy, 'receipts', day, readdirSync(join(copy, 'receipts', day)).find((name) => name.startsWith(number)) ?? '');
    const sealed = readFileSync(stored);
    sealed.writeUInt8((sealed.at(-1) ?? 0) ^ 0xff, sealed.length - 1);
    writeFileSync(stored, sealed);
    const damaged = cli('export-receipt', '--data-dir', copy, '--number', number, '--out', join(root, 'damaged.pdf'));
    expect(damaged.code).toBe(1);
    expect(damaged.out).toContain(`FAILED: the stored slip cannot be opened: ${stored}`);
    rmSync(stored);
    const missing = cli('export-receipt', '--data-dir', copy, '--number', number, '--out', join(root, 'missing.pdf'));
    expect(missing.code).toBe(1);
    expect(missing.out).toContain(`FAILED: the stored slip is missing: ${stored}`);
    expect(missing.err).toBe('');
    expect(existsSync(join(root, 'damaged.pdf')) || existsSync(join(root, 'missing.pdf'))).toBe(false);
  });

  it('refuses to verify a bundle without the branch key (exit 2); a forged bundle re-signed with another key fails against it', () => {
    // An edited row, re-hashed, and the manifest re-signed with a key of the forger's own, carried inside it.
    const forged = join(root, 'forged', basename(bundle));
    cpSync(bundle, forged, { recursive: true });
    const csvPath = join(forged, 'applications.csv');
    const csv = readFileSync(csvPath, 'utf8');
    const edited = csv.replace(/(\d{6}-\d{2}-\d{8}-)\d{4}/, '$19999');
    expect(edited).not.toBe(csv);
    writeFileSync(csvPath, edited);
    const { privateKey } = generateKeyPairSync('ed25519');
    const { signature: _signature, ...unsigned } = JSON.parse(readFileSync(join(forged, 'manifest.json'), 'utf8')) as DayBundleManifest;
    const bytes = readFileSync(csvPath);
    const files = unsigned.files.map((file) => (file.name === 'applications.csv' ? { ...file, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') } : file));
    writeFileSync(join(forged, 'manifest.json'), manifestBytes(signManifest({ ...unsigned, files, publicKey: publicKeyPem(privateKey) }, privateKey)));

    for (const dir of [forged, bundle]) {
      const unpinned = cli('verify-bundle', dir);
      expect(unpinned.code).toBe(2);
      expect(unpinned.out).toBe('');
      expect(unpinned.err).toBe("error: --public-key FILE is required: the branch's key (from `public-key`), since the key inside a manifest proves nothing\n");
    }
    expect(cli('verify-bundle', join(root, 'no-such-bundle'), '--public-key', join(root, 'branch.pem'))).toMatchObject({
      code: 2,
      err: `error: no folder ${join(root, 'no-such-bundle')}: give the bundle's folder (<branch>_<desk>_<YYYYMMDD>_<batch>, or <branch>_<YYYYMMDD>_<batch> before desks)\n`,
    });
    const pinned = cli('verify-bundle', forged, '--public-key', join(root, 'branch.pem'));
    expect(pinned.code).toBe(1);
    expect(pinned.out).toBe('FAILED: the signature in manifest.json does not match the public key given: the manifest was changed after the export, or another installation signed it\n');
  });

  it("verifies the day bundle; a changed file or another day's folder name fails, named in words", () => {
    const ok = cli('verify-bundle', bundle, '--public-key', join(root, 'branch.pem'));
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toContain('the installation key given');
    expect(ok.out.trim().endsWith('OK')).toBe(true);

    // The genuine bundle under the next day's folder name: an intake would file it as that day.
    const [branch = '', desk = '', date = '', batch = ''] = basename(bundle).split('_');
    expect(desk).toBe('01');
    const nextDay = new Date(Date.parse(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6)}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
    const renamed = join(root, 'copies', `${branch}_${desk}_${nextDay}_${batch}`);
    cpSync(bundle, renamed, { recursive: true });
    const moved = cli('verify-bundle', renamed, '--public-key', join(root, 'branch.pem'));
    expect(moved.code).toBe(1);
    expect(moved.out).toBe(`FAILED: the folder is named ${basename(renamed)} but its manifest is for ${basename(bundle)} (branch_desk_date_batch, or branch_date_batch before desks): a bundle must keep the folder name it was exported with\n`);

    const size = statSync(join(bundle, 'applications.csv')).size;
    appendFileSync(join(bundle, 'applications.csv'), 'x');
    const failed = cli('verify-bundle', bundle, '--public-key', join(root, 'branch.pem'));
    expect(failed.code).toBe(1);
    expect(failed.out).toBe(`FAILED: applications.csv has ${size + 1} bytes where manifest.json records ${size}: the file was changed after the export\n`);
  });

  it('checks seed-demo --export before anything changes: a missing folder is refused in one line, and no day is closed', () => {
    const fresh = join(root, 'seed-refused');
    const missing = join(root, 'no-such-folder');
    const refused = cli('seed-demo', '--data-dir', fresh, '--count', '5', '--password-cost', '10', '--close', '--export', missing);
    expect(refused).toMatchObject({ code: 2, out: '', err: `error: the folder ${missing} does not exist; create it first\n` });
    expect(existsSync(fresh)).toBe(false);
    for (const bad of [['--count', 'many'], ['--password-cost', '99'], ['--seed', '1.5']]) {
      const result = cli('seed-demo', '--data-dir', fresh, ...bad);
      expect(result.code).toBe(2);
      expect(result.err).toMatch(/^error: --[a-z-]+ must be a whole number from \d+ to [\d,]+\n$/);
    }
    // Node's option parser answers this one in three lines: the CLI prints one.
    const ambiguous = cli('seed-demo', '--data-dir', fresh, '--seed', '-1');
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.err).toMatch(/^error: Option '--seed' argument is ambiguous\. [^\n]+\n$/);
    expect(existsSync(fresh)).toBe(false);
  });

  it('export-day (re)writes a closed day as the next batch, and refuses an open day or a missing folder in one line, changing nothing', () => {
    const closedDate = basename(bundle).split('_')[2] ?? '';
    const date = `${closedDate.slice(0, 4)}-${closedDate.slice(4, 6)}-${closedDate.slice(6)}`;
    const auditRows = () => {
      const db = openDatabase(join(dataDir, DATABASE_FILE), { readonly: true });
      try {
        return (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    const before = auditRows();
    const missing = join(root, 'no-such-out');
    expect(cli('export-day', '--data-dir', dataDir, '--date', date, '--out', missing)).toMatchObject({ code: 2, out: '', err: `error: the folder ${missing} does not exist; create it first\n` });
    // The business date after the close is open (the carried-over requests are on it).
    const openDate = /^business date\s+(\S+)$/m.exec(cli('info', '--data-dir', dataDir).out)?.[1] ?? '';
    expect(openDate > date).toBe(true);
    const out = join(root, 'export-day');
    mkdirSync(out);
    expect(cli('export-day', '--data-dir', dataDir, '--date', openDate, '--out', out)).toMatchObject({
      code: 2,
      err: `error: ${openDate} is still open: only a closed day is exported (a supervisor closes it at the counter)\n`,
    });
    expect(cli('export-day', '--data-dir', dataDir, '--date', '2026-02-30', '--out', out)).toMatchObject({ code: 2, err: 'error: --date 2026-02-30 is not a calendar date in the form YYYY-MM-DD\n' });
    expect(readdirSync(out)).toEqual([]);
    expect(auditRows()).toBe(before);

    const written = cli('export-day', '--data-dir', dataDir, '--date', date, '--out', out);
    expect(written.code, written.err).toBe(0);
    expect(written.out).toMatch(/^batch\s+\d+$/m);
    const dir = /^bundle\s+(\S+)$/m.exec(written.out)?.[1] ?? '';
    expect(dir.startsWith(out)).toBe(true);
    const verified = cli('verify-bundle', dir, '--public-key', join(root, 'branch.pem'));
    expect(verified.code, verified.out).toBe(0);
    expect(verified.out).toContain(`date     ${date}`);
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))).toMatchObject({ operatorNo: 'cli' });
  });

  it('answers a damaged database or a bug in one line, never a stack trace', () => {
    const damaged = join(root, 'damaged-db');
    mkdirSync(damaged);
    writeFileSync(join(damaged, DATABASE_FILE), 'this is not a database, it is a text file of some length to fill a page '.repeat(100));
    const result = cli('info', '--data-dir', damaged);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^error: the database could not be read or written \(SQLITE_NOTADB: file is not a database\)\n$/);
  });

  it('purges the personal data of requests past the retention years, counting first with --dry-run', async () => {
    // A branch whose only request dates from 2001: long past ten years on any day this test runs.
    const oldDir = join(root, 'old-branch');
    const h = await openHarness(oldDir, { now: '2001-03-01T02:00:00Z' });
    const app = await h.ok('t1', 'applications.register', {});
    const review = await h.ok('t1', 'applications.startReview', { id: app.id, version: app.version });
    const approved = await h.ok('t1', 'applications.submit', { id: review.id, version: review.version, request: makeDemoRequest(syntheticRandom(9), app.businessDate) });
    const signed = await h.ok('t1', 'applications.setSignature', { id: approved.id, version: approved.version, pngBase64: demoSignaturePng(syntheticRandom(9)).toString('base64') });
    await h.ok('t1', 'receipts.issue', { id: signed.id, version: signed.version });
    await h.ok('s1', 'dayclose.close', { businessDate: '2001-03-01' });
    h.core.close();

    const dryRun = cli('purge', '--data-dir', oldDir, '--dry-run');
    expect(dryRun.code, dryRun.err).toBe(0);
    expect(dryRun.out).toMatch(/^would purge\s+1 requests, 1 slips$/m);
    expect(readdirSync(join(oldDir, 'receipts', '20010301'))).toHaveLength(1);
    const purged = cli('purge', '--data-dir', oldDir);
    expect(purged.out).toMatch(/^retention\s+10 years: business dates before \d{4}-\d{2}-\d{2}$/m);
    expect(purged.out).toMatch(/^purged\s+1 requests, 1 slips$/m);
    expect(purged.out).toMatch(/^slip files\s+1 removed$/m);
    expect(existsSync(join(oldDir, 'receipts', '20010301'))).toBe(false);
    const exported = cli('export-receipt', '--data-dir', oldDir, '--number', signed.number, '--out', join(root, 'purged.pdf'));
    expect(exported.code).toBe(2);
    expect(exported.err).toContain('purged at the end of the retention period');
    expect(cli('verify-audit', '--data-dir', oldDir).code).toBe(0);
  });

  it('refuses a symbolic link as the backup target, dangling or not, and writes nothing through it', () => {
    const folder = join(root, 'links');
    mkdirSync(folder);
    const elsewhere = join(root, 'elsewhere.sqlite');
    const dangling = join(folder, 'dangling.sqlite');
    symlinkSync(elsewhere, dangling);
    const refused = cli('backup', '--data-dir', dataDir, '--out', dangling);
    expect(refused).toMatchObject({ code: 2, err: `error: ${dangling} is a symbolic link; a backup is written only as a new plain file\n` });
    expect(existsSync(elsewhere)).toBe(false);
    const victim = join(root, 'victim.txt');
    writeFileSync(victim, 'keep me');
    const pointing = join(folder, 'pointing.sqlite');
    symlinkSync(victim, pointing);
    expect(cli('backup', '--data-dir', dataDir, '--out', pointing).code).toBe(2);
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
    // A plain new name gets the copy, owner-only, and no temporary file is left beside it.
    const plain = join(folder, 'plain.sqlite');
    expect(cli('backup', '--data-dir', dataDir, '--out', plain).code).toBe(0);
    if (process.platform !== 'win32') expect(lstatSync(plain).mode & 0o777).toBe(0o600);
    expect(readdirSync(folder).sort()).toEqual(['dangling.sqlite', 'plain.sqlite', 'pointing.sqlite']);
  });

  it('answers a usage error with exit 2 and no stack trace', () => {
    const result = cli('info', '--data-dir', join(root, 'nowhere'));
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^error: no UnbindDesk database/);
    expect(cli('no-such-command')).toMatchObject({ code: 2, out: '', err: 'error: unknown command: no-such-command (`npm run cli -- help` lists the commands)\n' });
    expect(cli('export-receipt', '--data-dir', dataDir, '--number', 'X', '--print', 'first', '--out', join(root, 'x.pdf'))).toMatchObject({
      code: 2,
      err: 'error: --print must be a whole number from 1 to 1,000,000\n',
    });
    const nowhere = cli('backup', '--data-dir', dataDir, '--out', join(root, 'nowhere', 'copy.sqlite'));
    expect(nowhere).toMatchObject({ code: 2, err: `error: the folder ${join(root, 'nowhere')} does not exist\n` });
    expect(cli('print-test', '--printer', 'Any', '--timeout', '1e1')).toMatchObject({ code: 2, out: '', err: 'error: --timeout must be a whole number from 1 to 600\n' });
    expect(cli('verify-audit', '--data-dir', dataDir, '--head', join(root, 'no-such-slip.pdf'))).toMatchObject({
      code: 2,
      out: '',
      err: `error: --head ${join(root, 'no-such-slip.pdf')}: no such file or folder\n`,
    });
    // Without the branch key, verify-receipt refuses before it reads the file, whatever the file is.
    expect(cli('verify-receipt', join(root, 'no-such.pdf'))).toMatchObject({ code: 2, err: '' });
  });

  it('answers a file with a slip\'s metadata but no readable PDF in it with FAILED, not a crash', () => {
    const broken = join(root, 'broken.pdf');
    writeFileSync(broken, '%PDF-1.4\n1 0 obj <</UnbindDeskPayload (x) /UnbindDeskSignature (y)>> endobj\ntrailer <</Info 1 0 R>>\n%%EOF\n');
    expect(cli('verify-receipt', broken, '--public-key', join(root, 'branch.pem'))).toEqual({ code: 1, out: 'FAILED: receipt.not_a_slip\n', err: '' });
  });

  it('names a file it was given that cannot be read, with exit 1 and no stack trace', () => {
    const result = cli('verify-receipt', join(root, 'no-such.pdf'), '--public-key', join(root, 'branch.pem'));
    expect(result.code).toBe(1);
    expect(result.err).toBe(`error: ENOENT: no such file or directory, open '${join(root, 'no-such.pdf')}'\n`);
  });
});
