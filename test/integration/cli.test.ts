import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { openDatabase } from '../../electron/core/db/connection';
import { DATABASE_FILE } from '../../electron/core';
import { syntheticRandom } from '../../shared';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { demoSignaturePng } from '../../electron/core/demo/demoSignature';
import { openHarness } from '../support/coreHarness';

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

beforeAll(() => {
  mkdirSync(exportDir);
  const seeded = cli('seed-demo', '--data-dir', dataDir, '--count', '30', '--password-cost', '10', '--close', '--export', exportDir);
  expect(seeded.code, seeded.err).toBe(0);
  expect(seeded.out).toMatch(/closed \d{4}-\d{2}-\d{2}/);
  [bundle = ''] = readdirSync(exportDir).map((name) => join(exportDir, name));
  pem = cli('public-key', '--data-dir', dataDir).out;
  writeFileSync(join(root, 'branch.pem'), pem);
}, 180_000);

// Each case runs the CLI as its own process a few times (tsx start-up included): generous time on 2 cores.
describe('the branch IT command line', { timeout: 120_000 }, () => {
  it('prints the installation public key', () => {
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/);
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

  it('verifies the day bundle, and fails it when a file changes', () => {
    const ok = cli('verify-bundle', bundle, '--public-key', join(root, 'branch.pem'));
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toContain('the installation key given');
    appendFileSync(join(bundle, 'applications.csv'), 'x');
    const failed = cli('verify-bundle', bundle, '--public-key', join(root, 'branch.pem'));
    expect(failed.code).toBe(1);
    expect(failed.out).toMatch(/^FAILED: /m);
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

  it('answers a usage error with exit 2 and no stack trace', () => {
    const result = cli('info', '--data-dir', join(root, 'nowhere'));
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^error: no UnbindDesk database/);
    expect(cli('no-such-command').code).toBe(2);
    const nowhere = cli('backup', '--data-dir', dataDir, '--out', join(root, 'nowhere', 'copy.sqlite'));
    expect(nowhere).toMatchObject({ code: 2, err: `error: the folder ${join(root, 'nowhere')} does not exist\n` });
  });

  it('names a file it was given that cannot be read, with exit 1 and no stack trace', () => {
    const result = cli('verify-receipt', join(root, 'no-such.pdf'), '--public-key', join(root, 'branch.pem'));
    expect(result.code).toBe(1);
    expect(result.err).toBe(`error: ENOENT: no such file or directory, open '${join(root, 'no-such.pdf')}'\n`);
  });
});
