import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createPublicKey } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from '../../electron/core';
import { verifyDayBundle } from '../../electron/core/dayclose/bundleVerification';
import { rawKeyFingerprint } from '../../electron/core/dayclose/manifest';
import { parseApplicationNumber } from '../../shared';
import zhMessages from '../../renderer/i18n/messages.zh-CN.json';
import enMessages from '../../renderer/i18n/messages.en.json';
import { useHarnesses, type Harness } from '../support/coreHarness';
import { useTempDirs } from '../support/tempDir';

const tempDir = useTempDirs();
const { harness } = useHarnesses(tempDir);
const LEGACY = join(import.meta.dirname, '../fixtures/legacy');
/** The demo accounts of the legacy folder (seed-demo's, demo data only). */
const DEMO = { admin: { employeeNo: 'A001', password: 'Demo-Admin-2026' }, teller: { employeeNo: 'T001', password: 'Demo-Teller-2026' } };

/** The CLI in its own process (async: nothing else in this process waits on it). */
function cli(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'electron/cli.ts', ...args]);
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

async function registerMany(h: Harness, n: number): Promise<string[]> {
  const numbers: string[] = [];
  for (let i = 0; i < n; i += 1) numbers.push((await h.ok('t1', 'applications.register', {})).number);
  return numbers;
}

describe('two desks of one branch', () => {
  it('never share a number on the same day, and write bundles of different names, each verifying only with its own key', async () => {
    const exportDir = tempDir();
    const one = await harness(tempDir(), { branchCode: '310101', desk: '01' });
    const two = await harness(tempDir(), { branchCode: '310101', desk: '02' });
    const first = await registerMany(one, 3);
    const second = await registerMany(two, 3);
    expect(first).toEqual(['310101-01-20261125-0001', '310101-01-20261125-0002', '310101-01-20261125-0003']);
    expect(second).toEqual(['310101-02-20261125-0001', '310101-02-20261125-0002', '310101-02-20261125-0003']);
    expect(new Set([...first, ...second]).size).toBe(6);
    // The same ticket at each desk: told apart by the desk in every number.
    expect(second.map((n) => parseApplicationNumber(n))).toEqual([1, 2, 3].map((seq) => ({ branch: '310101', desk: '02', businessDate: '2026-11-25', seq })));

    const dirs: string[] = [];
    for (const h of [one, two]) {
      await h.ok('admin', 'settings.update', { exportDir });
      await h.ok('s1', 'auth.login', { employeeNo: 'S001', password: 'Cobalt-Ridge-34' });
      const status = await h.ok('s1', 'dayclose.status', {});
      for (const item of status.openItems) await h.ok('s1', 'dayclose.carryOver', { id: item.id, version: item.version });
      await h.ok('s1', 'dayclose.close', { businessDate: '2026-11-25' });
      dirs.push((await h.ok('s1', 'dayclose.export', { businessDate: '2026-11-25' })).dir);
    }
    expect(readdirSync(exportDir).sort()).toEqual(['310101_01_20261125_1', '310101_02_20261125_1']);
    const [dirOne = '', dirTwo = ''] = dirs;
    const keyOne = one.core.context.keys.publicKey;
    const keyTwo = two.core.context.keys.publicKey;
    const verified = await verifyDayBundle(dirOne, keyOne);
    expect(verified).toMatchObject({ ok: true, manifest: { format: 'unbinddesk.day-bundle/3', desk: '01', signingKey: { fingerprint: rawKeyFingerprint(keyOne) } } });
    expect(await verifyDayBundle(dirTwo, keyTwo)).toMatchObject({ ok: true, manifest: { desk: '02', signingKey: { fingerprint: rawKeyFingerprint(keyTwo) } } });
    expect(await verifyDayBundle(dirOne, keyTwo)).toMatchObject({ ok: false, reason: 'bundle.signature_invalid' });
    // The signed audit head sits beside the key in the manifest.
    if (verified.ok) expect(verified.manifest.auditHead.signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
    // Each desk's CSV lists only its own numbers.
    expect(readFileSync(join(dirTwo, 'applications.csv'), 'utf8')).not.toContain('310101-01-');
  });
});

describe('setting up a desk', () => {
  it('asks for the desk at setup: two digits 01–99, refused in Chinese (and English) otherwise, changing nothing', async () => {
    const h = await harness(tempDir(), { setup: false });
    const setup = { branchCode: '310101', branchName: '上海分行营业部', bankName: '示例银行', admin: { employeeNo: 'A001', name: '管理员', password: 'Brass-Lantern-61' } };
    for (const desk of ['00', '1', '100', 'A1', '', '１２']) {
      expect(await h.call('x', 'auth.setup', { ...setup, desk })).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { desk: 'branch.desk' } } });
    }
    expect(zhMessages['branch.desk']).toBe('柜台号应为两位数字，01至99（如第1号柜台填01）');
    expect(enMessages['branch.desk']).toContain('01 to 99');
    expect(await h.ok('x', 'system.info', {})).toMatchObject({ setupDone: false, branch: null });
    await h.ok('x', 'auth.setup', { ...setup, desk: '12' });
    expect((await h.ok('x', 'system.info', {})).branch).toEqual({ code: '310101', name: '上海分行营业部', desk: '12' });
  });
});

describe('an installation set up before desks (schema 7, made by the code before them)', () => {
  it('keeps its requests and numbers, asks its admin for the desk once, and numbers nothing new until then', async () => {
    const dataDir = join(tempDir(), 'data');
    cpSync(join(LEGACY, 'data'), dataDir, { recursive: true });
    const before = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
    expect(before.pragma('user_version', { simple: true })).toBe(7);
    const rowsBefore = before.prepare('SELECT id, number, business_date, ticket_no, status, request_enc FROM applications ORDER BY id').all();
    before.close();
    expect(rowsBefore).toHaveLength(6);

    // The next business day after the closed 2026-12-02, 10:00 Beijing time.
    const h = await harness(dataDir, { setup: false, now: '2026-12-03T02:00:00Z' });
    expect(h.core.db.pragma('user_version', { simple: true })).toBe(14);
    expect(h.core.db.prepare('SELECT id, number, business_date, ticket_no, status, request_enc FROM applications ORDER BY id').all()).toEqual(rowsBefore);
    expect((await h.ok('x', 'system.info', {})).branch).toEqual({ code: '310101', name: '上海分行营业部', desk: null });

    await h.ok('t1', 'auth.login', DEMO.teller);
    expect(await h.call('t1', 'applications.register', {})).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: 'desk.required' } });
    expect(zhMessages['desk.required']).toContain('尚未设置柜台号');
    expect(h.core.db.prepare('SELECT count(*) AS n FROM applications').get()).toEqual({ n: 6 });
    // A request already numbered is still worked on.
    const carried = rowsBefore.find((row) => (row as { status: string }).status === 'waiting') as { id: number } | undefined;
    expect(carried).toBeDefined();
    const detail = await h.ok('t1', 'applications.get', { id: carried?.id ?? 0 });
    expect(detail.number).toMatch(/^310101-20261202-\d{4}$/);
    expect((await h.ok('t1', 'applications.startReview', { id: detail.id, version: detail.version })).status).toBe('in_review');

    // Only an admin sets it, once.
    expect(await h.call('t1', 'system.setDesk', { desk: '02' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await h.ok('admin', 'auth.login', DEMO.admin);
    expect(await h.call('admin', 'system.setDesk', { desk: '0' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { desk: 'branch.desk' } } });
    expect(await h.ok('admin', 'system.setDesk', { desk: '02' })).toEqual({ desk: '02' });
    expect(await h.call('admin', 'system.setDesk', { desk: '03' })).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: 'desk.already_set' } });
    expect((await h.ok('x', 'system.info', {})).branch?.desk).toBe('02');
    const audit = h.core.db.prepare("SELECT entity_id AS desk, actor_id AS actor FROM audit_log WHERE action = 'branch.desk_set'").all();
    expect(audit).toEqual([{ desk: '02', actor: 1 }]);

    const fresh = await h.ok('t1', 'applications.register', {});
    expect(fresh.number).toMatch(/^310101-02-20261203-\d{4}$/);
    expect(rowsBefore.map((row) => (row as { number: string }).number)).not.toContain(fresh.number);
    // The audit chain, old rows and new, still checks.
    expect(await h.ok('admin', 'audit.verify', {})).toMatchObject({ ok: true });
  });
});

describe('the command line with desks', { timeout: 180_000 }, () => {
  it('verifies a slip and a bundle made by the code before desks', async () => {
    const pem = join(LEGACY, 'public-key.pem');
    const slip = await cli('verify-receipt', join(LEGACY, 'slip-310101-20261202-0003.pdf'), '--public-key', pem);
    expect(slip.err).toBe('');
    expect(slip.code).toBe(0);
    expect(slip.out).toMatch(/^applicationNumber +310101-20261202-0003$/m);
    expect(slip.out).toMatch(/^desk +—$/m);
    const copy = join(tempDir(), '310101_20261202_1');
    cpSync(join(LEGACY, '310101_20261202_1'), copy, { recursive: true });
    const bundle = await cli('verify-bundle', copy, '--public-key', pem);
    expect(bundle.code).toBe(0);
    expect(bundle.out).toContain('desk     (none: format 2, made before desks were numbered)');
    expect(bundle.out).toMatch(/OK\n$/);
  });

  it('seed-demo --branch --desk --date makes several desks, each closing and exporting its day; public-key names the desk', async () => {
    const root = tempDir();
    const exportDir = join(root, 'exports');
    mkdirSync(exportDir);
    const desks = [
      { branch: '310101', desk: '01' },
      { branch: '310101', desk: '02' },
      { branch: '110105', desk: '01' },
    ];
    for (const { branch, desk } of desks) {
      const dir = join(root, `${branch}-${desk}`);
      for (const date of ['2026-12-01', '2026-12-02']) {
        const seeded = await cli('seed-demo', '--data-dir', dir, '--branch', branch, '--desk', desk, '--date', date, '--count', '4', '--password-cost', '10', '--close', '--export', exportDir);
        expect(seeded.err).toBe('');
        expect(seeded.code).toBe(0);
        expect(seeded.out).toContain(`branch ${branch} desk ${desk} business date ${date}`);
        expect(seeded.out).toContain(`bundle ${join(exportDir, `${branch}_${desk}_${date.replaceAll('-', '')}_1`)}`);
      }
      const printed = await cli('public-key', '--data-dir', dir);
      expect(printed.code).toBe(0);
      const key = createPublicKey(printed.out);
      expect(printed.out).toMatch(new RegExp(`^branch +${branch} `, 'm'));
      expect(printed.out).toMatch(new RegExp(`^desk +${desk}$`, 'm'));
      expect(printed.out).toContain(`fingerprint  ${rawKeyFingerprint(key)}\n-----BEGIN PUBLIC KEY-----`);
      writeFileSync(join(root, `${branch}-${desk}.pem`), printed.out);
    }
    expect(readdirSync(exportDir).sort()).toEqual([
      '110105_01_20261201_1', '110105_01_20261202_1',
      '310101_01_20261201_1', '310101_01_20261202_1',
      '310101_02_20261201_1', '310101_02_20261202_1',
    ]);
    const ok = await cli('verify-bundle', join(exportDir, '310101_02_20261202_1'), '--public-key', join(root, '310101-02.pem'));
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('desk     02\n');
    const foreign = await cli('verify-bundle', join(exportDir, '310101_01_20261202_1'), '--public-key', join(root, '310101-02.pem'));
    expect(foreign.code).toBe(1);
    // Numbers of the two desks of 310101 never meet.
    const numbersOf = (dir: string) => {
      const db = new Database(join(root, dir, DATABASE_FILE), { readonly: true });
      try {
        return (db.prepare('SELECT number FROM applications').all() as { number: string }[]).map((row) => row.number);
      } finally {
        db.close();
      }
    };
    const a = numbersOf('310101-01');
    const b = numbersOf('310101-02');
    expect(a.length).toBeGreaterThan(0);
    expect(a.every((n) => n.startsWith('310101-01-'))).toBe(true);
    expect(b.every((n) => n.startsWith('310101-02-'))).toBe(true);

    // A folder is the desk it was made as; a wrong desk, a bad one or a day already closed is refused (exit 2).
    const other = await cli('seed-demo', '--data-dir', join(root, '310101-01'), '--branch', '310101', '--desk', '03', '--count', '1');
    expect(other).toMatchObject({ code: 2, err: `error: ${join(root, '310101-01')} is already desk 01 of branch 310101; give a new --data-dir for another desk\n` });
    expect(await cli('seed-demo', '--data-dir', join(root, 'new'), '--desk', '00')).toMatchObject({ code: 2, err: 'error: --desk NN: two digits, 01 to 99\n' });
    const closed = await cli('seed-demo', '--data-dir', join(root, '310101-01'), '--date', '2026-12-01', '--count', '1');
    expect(closed).toMatchObject({ code: 2, err: 'error: --date 2026-12-01: the business day of this folder is 2026-12-03 (the days before it are closed); give that day or a later one\n' });
    expect(numbersOf('310101-01')).toEqual(a);
  });
});
