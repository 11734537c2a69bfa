// Head office consolidates day bundles in a real PostgreSQL (a private cluster started for this file), through
// the CLI as a bank's nightly job runs it.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../electron/core/dayclose/csvCells';
import { deskKey, deskRows, writeDeskBundle, writePublicKeyFile, type DeskDay } from '../support/headofficeBundles';
import { startPostgres, type PrivatePostgres } from '../support/postgresServer';

const run = promisify(execFile);

interface CliResult {
  code: number;
  out: string;
  err: string;
}

async function cli(database: string, ...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'electron/cli.ts', ...args, '--database', database], { encoding: 'utf8' });
    return { code: 0, out: stdout, err: stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, out: failed.stdout ?? '', err: failed.stderr ?? '' };
  }
}

const csvRecords = (text: string) => parseCsv(text) ?? [];

let root = '';
let server: PrivatePostgres;
let database = '';
let client: pg.Client;
const keyFiles: Record<string, string> = {};

const KEYS = {
  '310101/01': deskKey('310101/01'),
  '310101/02': deskKey('310101/02'),
  '320202/00': deskKey('320202/00'),
  '330303/01': deskKey('330303/01'),
  stranger: deskKey('a laptop that is no desk of the bank'),
};
const SHARED_MERCHANT = '898310148160123';
const SAME_DESK_MERCHANT = '898310148169999';
const TWO_COUNTERS_MERCHANT = '898310148165555';

// Three days of two desks of branch 310101 (format 3, desk-numbered) and one older desk of branch 320202
// (format 2: desk 00). Desk 02 sent nothing for 2026-11-03. One merchant tried 310101 on the 3rd and 320202
// on the 4th; another tried desk 01 of 310101 on the 2nd and its desk 02 on the 4th (two counters of one branch);
// a third came back to desk 02 of 310101 (the desk itself sees that one: no signal for head office).
const TREE: DeskDay[] = [
  { branch: '310101', desk: '01', businessDate: '2026-11-02', key: KEYS['310101/01'], rows: 14, auditSeq: 120, fullData: true, overrides: { 5: { merchantNumber: TWO_COUNTERS_MERCHANT } } },
  { branch: '310101', desk: '01', businessDate: '2026-11-03', key: KEYS['310101/01'], rows: 11, auditSeq: 240, overrides: { 3: { merchantNumber: SHARED_MERCHANT } } },
  { branch: '310101', desk: '01', businessDate: '2026-11-04', key: KEYS['310101/01'], rows: 9, auditSeq: 360, seed: 7 },
  { branch: '310101', desk: '02', businessDate: '2026-11-02', key: KEYS['310101/02'], rows: 8, auditSeq: 50, overrides: { 1: { merchantNumber: SAME_DESK_MERCHANT } } },
  { branch: '310101', desk: '02', businessDate: '2026-11-04', key: KEYS['310101/02'], rows: 10, auditSeq: 90, overrides: { 2: { merchantNumber: SAME_DESK_MERCHANT }, 4: { merchantNumber: TWO_COUNTERS_MERCHANT } } },
  { branch: '320202', desk: '00', businessDate: '2026-11-02', key: KEYS['320202/00'], rows: 12, auditSeq: 400 },
  { branch: '320202', desk: '00', businessDate: '2026-11-03', key: KEYS['320202/00'], rows: 7, auditSeq: 300 },
  { branch: '320202', desk: '00', businessDate: '2026-11-04', key: KEYS['320202/00'], rows: 10, auditSeq: 520, overrides: { 5: { merchantNumber: SHARED_MERCHANT } } },
];
const TOTAL_ROWS = TREE.reduce((sum, day) => sum + day.rows, 0);

async function scalar(sql: string, params: unknown[] = []): Promise<string> {
  const { rows } = await client.query<{ v: unknown }>(sql, params);
  return String(rows[0]?.v);
}

/** Everything consolidate writes, as one digest: a second load must leave it byte for byte. */
async function snapshot(): Promise<string> {
  return scalar(`SELECT md5(coalesce((SELECT string_agg(r::text, '|' ORDER BY application_number, business_date) FROM headoffice.requests r), '') ||
                           coalesce((SELECT string_agg(b::text, '|' ORDER BY id) FROM headoffice.batches b), '') ||
                           coalesce((SELECT string_agg(m::text, '|' ORDER BY m::text) FROM headoffice.repeat_matches m), '')) AS v`);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'unbinddesk-headoffice-'));
  server = await startPostgres(mkdtempSync(join(tmpdir(), 'unbinddesk-pg-')));
  database = await server.createDatabase('bank');
  client = new pg.Client({ connectionString: database });
  await client.connect();
  mkdirSync(join(root, 'keys'));
  for (const [name, key] of Object.entries(KEYS)) keyFiles[name] = writePublicKeyFile(join(root, 'keys'), key, name.replace('/', '-'));
  // As branch IT hands them over: one folder per branch, bundles of its desks inside.
  for (const day of TREE) {
    const branchDir = join(root, 'incoming', day.branch);
    mkdirSync(branchDir, { recursive: true });
    await writeDeskBundle(branchDir, day);
  }
}, 180_000);

afterAll(async () => {
  await client?.end();
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('register-desk and consolidate', () => {
  it('registers each desk key, then loads a tree of bundles from several desks of several branches', async () => {
    for (const [desk, validFrom] of [['310101/01', '2026-11-01'], ['310101/02', '2026-11-01'], ['320202/00', '2026-11-02']] as const) {
      const [branch = '', number = ''] = desk.split('/');
      const registered = await cli(database, 'register-desk', '--branch', branch, '--desk', number, '--public-key', keyFiles[desk] ?? '', '--valid-from', validFrom);
      expect(registered.code, registered.err).toBe(0);
      expect(registered.out).toMatch(new RegExp(`^registered: branch ${branch} desk ${number} key [0-9a-f]{64} valid from ${validFrom}`));
    }
    const again = await cli(database, 'register-desk', '--branch', '310101', '--desk', '01', '--public-key', keyFiles['310101/01'] ?? '');
    expect(again.out).toMatch(/^already registered \(unchanged\)/);
    // A key belongs to one desk: registering desk 01's key for desk 03 is refused (only desk 00 may share it).
    const misfiled = await cli(database, 'register-desk', '--branch', '310101', '--desk', '03', '--public-key', keyFiles['310101/01'] ?? '');
    expect(misfiled.code).toBe(1);
    expect(misfiled.err).toMatch(/already registered for branch 310101 desk 01/);

    const loaded = await cli(database, 'consolidate', join(root, 'incoming'));
    expect(loaded.code, loaded.out + loaded.err).toBe(0);
    const lines = loaded.out.trim().split('\n');
    expect(lines.filter((line) => line.startsWith('loaded '))).toHaveLength(TREE.length);
    expect(loaded.out).toContain(`loaded       ${join(root, 'incoming', '310101', '310101_01_20261102_1')}: branch 310101 desk 01 2026-11-02 batch 1, 14 rows, 14 new`);
    expect(loaded.out).toContain(`loaded       ${join(root, 'incoming', '320202', '320202_20261102_1')}: branch 320202 desk 00 2026-11-02 batch 1, 12 rows, 12 new`);
    expect(lines.at(-1)).toBe(`${TREE.length} bundles: ${TREE.length} loaded (${TOTAL_ROWS} new rows), 0 unchanged, 0 quarantined`);

    expect(await scalar('SELECT count(*) AS v FROM headoffice.requests')).toBe(String(TOTAL_ROWS));
    const perDesk = await client.query<{ branch_code: string; desk: string; n: string }>(
      'SELECT branch_code, desk, count(*) AS n FROM headoffice.requests GROUP BY 1, 2 ORDER BY 1, 2',
    );
    expect(perDesk.rows.map((row) => `${row.branch_code}/${row.desk}=${row.n}`)).toEqual(['310101/01=34', '310101/02=18', '320202/00=29']);
    // Partitioned by business month: the rows sit in November's partition.
    expect(await scalar(`SELECT count(*) AS v FROM headoffice.requests_2026_11`)).toBe(String(TOTAL_ROWS));
    // Masked only: full-data.csv (in the 2 November bundle of desk 01) was checked, never loaded.
    expect(await scalar(`SELECT count(*) AS v FROM headoffice.requests WHERE mobile_masked NOT LIKE '%****%' OR document_number_masked NOT LIKE '%*%'`)).toBe('0');
    expect(await scalar(`SELECT count(*) AS v FROM headoffice.requests WHERE mobile_masked LIKE '1390000%'`)).toBe('0');
    // Absent values are NULL, statuses are codes, a neutralized cell stays neutralized.
    expect(await scalar(`SELECT count(*) AS v FROM headoffice.requests WHERE completed_at IS NULL AND status = 'completed'`)).toBe('0');
    expect(await scalar(`SELECT count(DISTINCT status) AS v FROM headoffice.requests WHERE status NOT IN ('completed', 'rejected', 'cancelled', 'carried_over', 'approved')`)).toBe('0');
    expect(await scalar(`SELECT count(*) AS v FROM headoffice.requests WHERE reason_text LIKE '=%'`)).toBe('0');
    const ledger = await client.query<{ format: string; n: string }>('SELECT format, count(*) AS n FROM headoffice.batches GROUP BY format ORDER BY format');
    expect(ledger.rows.map((row) => `${row.format}:${row.n}`)).toEqual(['unbinddesk.day-bundle/2:3', 'unbinddesk.day-bundle/3:5']);
  }, 120_000);

  it('loading the same tree again changes nothing; a later batch of the same day adds only its new rows', async () => {
    const before = await snapshot();
    const again = await cli(database, 'consolidate', join(root, 'incoming'));
    expect(again.code, again.out).toBe(0);
    expect(again.out.trim().split('\n').at(-1)).toBe(`${TREE.length} bundles: 0 loaded (0 new rows), ${TREE.length} unchanged, 0 quarantined`);
    expect(await snapshot()).toBe(before);

    // Batch 2 of desk 01's 4 November: the day re-exported after 3 more requests (the same seed: the first 9 rows repeat).
    const later = join(root, 'later');
    mkdirSync(later);
    await writeDeskBundle(later, { branch: '310101', desk: '01', businessDate: '2026-11-04', batch: 2, key: KEYS['310101/01'], rows: 12, auditSeq: 380, seed: 7 });
    const added = await cli(database, 'consolidate', join(root, 'incoming'), later);
    expect(added.code, added.out).toBe(0);
    expect(added.out).toContain('branch 310101 desk 01 2026-11-04 batch 2, 12 rows, 3 new');
    expect(await scalar('SELECT count(*) AS v FROM headoffice.requests')).toBe(String(TOTAL_ROWS + 3));
    expect(await scalar(`SELECT count(*) AS v FROM headoffice.batches`)).toBe(String(TREE.length + 1));

    // A desk's first bundle of a day goes in without ON CONFLICT; one that lists a number twice still loads
    // the way: the first row of the number kept, the second counted as not new.
    const twice = join(root, 'twice');
    await writeDeskBundle(twice, { branch: '310101', desk: '01', businessDate: '2026-11-10', key: KEYS['310101/01'], rows: 6, auditSeq: 400, overrides: { 3: { applicationNumber: '310101-01-20261110-0002' } } });
    const loadedTwice = await cli(database, 'consolidate', twice);
    expect(loadedTwice.code, loadedTwice.out).toBe(0);
    expect(loadedTwice.out).toContain('branch 310101 desk 01 2026-11-10 batch 1, 6 rows, 5 new');
    const kept = await client.query<{ number: string; ticket: number }>(
      `SELECT application_number AS number, ticket_no AS ticket FROM headoffice.requests WHERE business_date = '2026-11-10' ORDER BY 1`,
    );
    expect(kept.rows).toEqual([1, 2, 3, 5, 6].map((seq) => ({ number: `310101-01-20261110-000${seq}`, ticket: seq })));
    expect(await scalar(`SELECT rows_added AS v FROM headoffice.batches WHERE business_date = '2026-11-10'`)).toBe('5');
  }, 120_000);
});

describe('quarantine: every failure is named and loads nothing', () => {
  async function quarantined(folder: string): Promise<{ result: CliResult; log: { reason: string; detail: string }[] }> {
    const before = await snapshot();
    const since = await scalar('SELECT coalesce(max(id), 0) AS v FROM headoffice.quarantine');
    const result = await cli(database, 'consolidate', folder);
    expect(await snapshot()).toBe(before);
    const { rows } = await client.query<{ reason: string; detail: string }>('SELECT reason, detail FROM headoffice.quarantine WHERE id > $1 ORDER BY id', [since]);
    return { result, log: rows };
  }

  it('a tampered file: applications.csv changed after the export', async () => {
    const dir = join(root, 'tampered');
    const bundle = await writeDeskBundle(dir, { branch: '310101', desk: '01', businessDate: '2026-11-05', key: KEYS['310101/01'], rows: 6 });
    const csv = join(bundle, 'applications.csv');
    writeFileSync(csv, readFileSync(csv, 'utf8').replace('已拒绝', '已完成'));
    const { result, log } = await quarantined(dir);
    expect(result.code).toBe(1);
    expect(result.out).toContain(`quarantined  ${bundle}: file_hash_mismatch: applications.csv differs from its SHA-256 in the manifest`);
    expect(result.out.trim().split('\n').at(-1)).toBe('1 bundles: 0 loaded (0 new rows), 0 unchanged, 1 quarantined');
    expect(log).toEqual([{ reason: 'file_hash_mismatch', detail: 'applications.csv differs from its SHA-256 in the manifest' }]);
  }, 60_000);

  it('a foreign key: a bundle under desk 02 signed by a key that is not desk 02s', async () => {
    const dir = join(root, 'foreign');
    const bundle = await writeDeskBundle(dir, { branch: '310101', desk: '02', businessDate: '2026-11-05', key: KEYS.stranger, rows: 5 });
    const { result, log } = await quarantined(dir);
    expect(result.code).toBe(1);
    expect(result.out).toContain(`quarantined  ${bundle}: signature_invalid: the signature does not verify with any key registered for the desk`);
    expect(log.map((row) => row.reason)).toEqual(['signature_invalid']);
  }, 60_000);

  it('an unregistered desk: desk 07 of branch 310101 was never registered', async () => {
    const dir = join(root, 'unregistered');
    const bundle = await writeDeskBundle(dir, { branch: '310101', desk: '07', businessDate: '2026-11-05', key: deskKey('310101/07'), rows: 5 });
    const { result, log } = await quarantined(dir);
    expect(result.code).toBe(1);
    expect(result.out).toContain(`quarantined  ${bundle}: desk_unregistered: no key is registered for branch 310101 desk 07 (register-desk)`);
    expect(log.map((row) => row.reason)).toEqual(['desk_unregistered']);
  }, 60_000);

  it('a revoked key: desk 01 of branch 330303, registered and then revoked', async () => {
    const registered = await cli(database, 'register-desk', '--branch', '330303', '--desk', '01', '--public-key', keyFiles['330303/01'] ?? '', '--valid-from', '2026-11-05');
    expect(registered.code, registered.err).toBe(0);
    const revoked = await cli(database, 'register-desk', '--branch', '330303', '--desk', '01', '--public-key', keyFiles['330303/01'] ?? '', '--revoke');
    expect(revoked.code, revoked.err).toBe(0);
    expect(revoked.out).toMatch(/^revoked: branch 330303 desk 01 key [0-9a-f]{64}/);
    // A revoked key is not registered again.
    const reregistered = await cli(database, 'register-desk', '--branch', '330303', '--desk', '01', '--public-key', keyFiles['330303/01'] ?? '');
    expect(reregistered.code).toBe(1);
    expect(reregistered.err).toMatch(/was revoked on .* a revoked key is never registered again/);

    const dir = join(root, 'revoked');
    const bundle = await writeDeskBundle(dir, { branch: '330303', desk: '01', businessDate: '2026-11-05', key: KEYS['330303/01'], rows: 5 });
    const { result, log } = await quarantined(dir);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(new RegExp(`quarantined  ${bundle}: key_revoked: signed with key [0-9a-f]{16}…, revoked 20`));
    expect(log.map((row) => row.reason)).toEqual(['key_revoked']);
  }, 60_000);

  it('a key used before its valid-from date, and an application number of another desk inside a signed bundle', async () => {
    const early = join(root, 'early');
    const before = await writeDeskBundle(early, { branch: '320202', desk: '00', businessDate: '2026-11-01', key: KEYS['320202/00'], rows: 4 });
    const first = await quarantined(early);
    expect(first.result.code).toBe(1);
    expect(first.result.out).toMatch(new RegExp(`quarantined  ${before}: key_not_yet_valid: signed with key [0-9a-f]{16}…, valid from 2026-11-02, for business day 2026-11-01`));
    expect(first.log.map((row) => row.reason)).toEqual(['key_not_yet_valid']);

    const foreign = join(root, 'foreign-number');
    const bundle = await writeDeskBundle(foreign, { branch: '310101', desk: '01', businessDate: '2026-11-05', key: KEYS['310101/01'], rows: 5, overrides: { 2: { applicationNumber: '310101-02-20261105-0003' } } });
    const second = await quarantined(foreign);
    expect(second.result.code).toBe(1);
    expect(second.result.out).toContain(`quarantined  ${bundle}: application_number_foreign: 1 application number(s) not of branch 310101 desk 01`);
    expect(second.log.map((row) => row.reason)).toEqual(['application_number_foreign']);
  }, 60_000);

  it('two different bundles under one name (same desk, day and batch): the second is refused, the first stays', async () => {
    const dir = join(root, 'conflict');
    const bundle = await writeDeskBundle(dir, { branch: '310101', desk: '01', businessDate: '2026-11-02', key: KEYS['310101/01'], rows: 3, seed: 99 });
    const { result, log } = await quarantined(dir);
    expect(result.code).toBe(1);
    expect(result.out).toContain(`quarantined  ${bundle}: batch_conflict:`);
    expect(log.map((row) => row.reason)).toEqual(['batch_conflict']);
  }, 60_000);

  it('a folder moved to another name, and an interrupted export (no manifest), each named; the good bundle beside them still loads', async () => {
    const dir = join(root, 'mixed');
    const good = await writeDeskBundle(dir, { branch: '310101', desk: '02', businessDate: '2026-11-06', key: KEYS['310101/02'], rows: 4 });
    const moved = await writeDeskBundle(join(root, 'mixed-src'), { branch: '310101', desk: '02', businessDate: '2026-11-07', key: KEYS['310101/02'], rows: 4 });
    cpSync(moved, join(dir, '310101_02_20261108_1'), { recursive: true });
    mkdirSync(join(dir, '310101_02_20261109_1'));
    const result = await cli(database, 'consolidate', dir);
    expect(result.code).toBe(1);
    expect(result.out).toContain(`loaded       ${good}: branch 310101 desk 02 2026-11-06 batch 1, 4 rows, 4 new`);
    expect(result.out).toContain(`quarantined  ${join(dir, '310101_02_20261108_1')}: folder_name_mismatch: the folder is named 310101_02_20261108_1, its manifest is for 310101_02_20261107_1`);
    expect(result.out).toContain(`quarantined  ${join(dir, '310101_02_20261109_1')}: manifest_missing:`);
  }, 60_000);
});

describe('gaps and the questions', () => {
  it('the gap report names the missing day, a skipped batch and an audit head that went backwards', async () => {
    // Batch 3 of 320202's 3 November without batch 2.
    const skipped = join(root, 'skipped');
    await writeDeskBundle(skipped, { branch: '320202', desk: '00', businessDate: '2026-11-03', batch: 3, key: KEYS['320202/00'], rows: 7, auditSeq: 310 });
    expect((await cli(database, 'consolidate', skipped)).code).toBe(0);

    const gaps = await cli(database, 'gaps', '--from', '2026-11-02', '--to', '2026-11-04', '--header', 'code');
    expect(gaps.code, gaps.err).toBe(1);
    const records = csvRecords(gaps.out);
    expect(records[0]).toEqual(['kind', 'branch', 'desk', 'businessDate', 'detail']);
    expect(records.slice(1)).toEqual([
      ['missing_day', '310101', '02', '2026-11-03', 'no bundle loaded for this desk and day'],
      ['audit_head_backwards', '320202', '00', '2026-11-03', 'audit head 300 (batch 1) is behind 400 of 2026-11-02'],
      ['batch_skipped', '320202', '00', '2026-11-03', 'batch 2 missing (batch 3 loaded)'],
    ]);
    // The Chinese headings by default, and a day with nothing missing reports nothing (exit 0).
    const quiet = await cli(database, 'gaps', '--from', '2026-11-02', '--to', '2026-11-02');
    expect(quiet.code, quiet.err).toBe(0);
    expect(csvRecords(quiet.out)).toEqual([['类别', '机构号', '柜台号', '营业日期', '说明']]);
  }, 60_000);

  it('the repeat query finds the merchant who tried two branches and the one who tried two counters of one branch, each side with its branch and desk', async () => {
    const repeats = await cli(database, 'report-repeats', '--from', '2026-11-01', '--to', '2026-11-30', '--days', '7');
    expect(repeats.code, repeats.err).toBe(0);
    expect(repeats.out.startsWith('\uFEFF')).toBe(true);
    const records = csvRecords(repeats.out);
    expect(records[0]).toEqual(['相同项', '商户编号或终端序列号', '范围', '申请编号', '机构号', '柜台号', '营业日期', '另一申请编号', '另一机构号', '另一柜台号', '另一营业日期', '相隔天数']);
    // The one who came back to the same desk (SAME_DESK_MERCHANT) is that desk's own business: not listed.
    const expected = [
      ['商户编号', SHARED_MERCHANT, '跨机构', '320202-20261104-0006', '320202', '00', '2026-11-04', '310101-01-20261103-0004', '310101', '01', '2026-11-03', '1'],
      ['商户编号', TWO_COUNTERS_MERCHANT, '同机构不同柜台', '310101-02-20261104-0005', '310101', '02', '2026-11-04', '310101-01-20261102-0006', '310101', '01', '2026-11-02', '2'],
    ];
    expect(records.slice(1)).toEqual(expected);
    const codes = await cli(database, 'report-repeats', '--from', '2026-11-01', '--to', '2026-11-30', '--days', '7', '--header', 'code');
    expect(csvRecords(codes.out)[0]).toEqual(['match', 'value', 'scope', 'applicationNumber', 'branch', 'desk', 'businessDate', 'otherApplicationNumber', 'otherBranch', 'otherDesk', 'otherBusinessDate', 'daysApart']);
    // Within 1 day only the two branches; within 0 days none.
    expect(csvRecords((await cli(database, 'report-repeats', '--from', '2026-11-01', '--to', '2026-11-30', '--days', '1')).out).slice(1)).toEqual([expected[0]]);
    const sameDay = await cli(database, 'report-repeats', '--from', '2026-11-01', '--to', '2026-11-30', '--days', '0');
    expect(csvRecords(sameDay.out)).toHaveLength(1);
    const tooFar = await cli(database, 'report-repeats', '--from', '2026-11-01', '--to', '2026-11-30', '--days', '91');
    expect(tooFar.code).toBe(2);
    expect(tooFar.err).toMatch(/--days must be a whole number from 0 to 90/);

    // A run stopped after loading, before its repeat search, leaves its batches pending in the ledger: the next
    // run, with nothing new to load, finds their pairs.
    await client.query(`DELETE FROM headoffice.repeat_matches; UPDATE headoffice.batches SET repeats_pending = true`);
    expect(csvRecords((await cli(database, 'report-repeats', '--from', '2026-11-01', '--to', '2026-11-30', '--days', '7')).out).slice(1)).toEqual([]);
    const rerun = await cli(database, 'consolidate', join(root, 'incoming'));
    expect(rerun.out.trim().split('\n').at(-1)).toBe(`${TREE.length} bundles: 0 loaded (0 new rows), ${TREE.length} unchanged, 0 quarantined`);
    expect(csvRecords((await cli(database, 'report-repeats', '--from', '2026-11-01', '--to', '2026-11-30', '--days', '7')).out).slice(1)).toEqual(expected);
    expect(await scalar(`SELECT count(*) AS v FROM headoffice.batches WHERE repeats_pending`)).toBe('0');
  }, 90_000);

  it('requests per branch and day add up to what was loaded, by status; per teller likewise; open outcomes are named', async () => {
    const days = await cli(database, 'report-days', '--from', '2026-11-02', '--to', '2026-11-04', '--header', 'code');
    expect(days.code, days.err).toBe(0);
    const [header, ...rows] = csvRecords(days.out);
    expect(header).toEqual(['branch', 'businessDate', 'desks', 'total', 'completed', 'rejected', 'cancelled', 'carried_over', 'approved', 'other']);
    const expected = await client.query<{ branch_code: string; day: string; n: string }>(
      `SELECT branch_code, to_char(business_date, 'YYYY-MM-DD') AS day, count(*) AS n FROM headoffice.requests WHERE business_date <= '2026-11-04' GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(rows.map((row) => [row[0], row[1], row[3]])).toEqual(expected.rows.map((row) => [row.branch_code, row.day, row.n]));
    expect(rows.find((row) => row[0] === '310101' && row[1] === '2026-11-02')?.[2]).toBe('2');
    for (const row of rows) expect(row.slice(4).reduce((sum, cell) => sum + Number(cell), 0)).toBe(Number(row[3]));

    // --out writes a new file, never over one already there.
    const file = join(root, 'days.csv');
    expect((await cli(database, 'report-days', '--from', '2026-11-02', '--to', '2026-11-04', '--header', 'code', '--out', file)).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(days.out);
    const again = await cli(database, 'report-days', '--from', '2026-11-02', '--to', '2026-11-04', '--out', file);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/^error: EEXIST/);
    expect(readFileSync(file, 'utf8')).toBe(days.out);

    const tellers = await cli(database, 'report-tellers', '--from', '2026-11-02', '--to', '2026-11-04', '--header', 'code');
    const tellerRows = csvRecords(tellers.out).slice(1);
    expect(tellerRows.reduce((sum, row) => sum + Number(row[3]), 0)).toBe(rows.reduce((sum, row) => sum + Number(row[3]), 0));

    const open = await cli(database, 'report-open', '--days', '2', '--as-of', '2026-11-04', '--header', 'code');
    expect(open.code, open.err).toBe(0);
    const openRows = csvRecords(open.out).slice(1);
    const stillOpen = await scalar(`SELECT count(*) AS v FROM headoffice.requests WHERE business_date = '2026-11-02' AND status IN ('carried_over', 'approved')`);
    expect(Number(stillOpen)).toBeGreaterThan(0);
    expect(openRows).toHaveLength(Number(stillOpen));
    for (const row of openRows) {
      expect(row[4]).toBe('2026-11-02');
      expect(['已顺延', '已通过']).toContain(row[3]);
      expect(row[6]).toBe('2');
    }
  }, 60_000);

  it('refuses bad input with one line: a key that is not Ed25519, a date that is no date, a database it cannot reach (password not echoed)', async () => {
    const rsa = join(root, 'keys', 'rsa.pem');
    const { generateKeyPairSync } = await import('node:crypto');
    writeFileSync(rsa, generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }));
    const wrongKey = await cli(database, 'register-desk', '--branch', '310101', '--desk', '05', '--public-key', rsa);
    expect(wrongKey.code).toBe(2);
    expect(wrongKey.err).toBe('error: the key is rsa, not Ed25519: it is not an UnbindDesk installation key\n');
    const badDate = await cli(database, 'gaps', '--from', '2026-02-30', '--to', '2026-03-01');
    expect(badDate.code).toBe(2);
    expect(badDate.err).toBe('error: --from 2026-02-30 is not a calendar date in the form YYYY-MM-DD\n');
    // Arguments are read before anything connects: a bad one is refused the same with no server there.
    const noServer = 'postgres://postgres@127.0.0.1:1/bank';
    expect(await cli(noServer, 'gaps', '--from', '2026-02-30', '--to', '2026-03-01')).toEqual(badDate);
    const badDays = await cli(noServer, 'report-repeats', '--from', '2026-11-01', '--to', '2026-11-30', '--days', 'abc');
    expect(badDays).toEqual({ code: 2, out: '', err: 'error: --days must be a whole number from 0 to 90\n' });
    const noKeyFile = await cli(noServer, 'register-desk', '--branch', '310101', '--desk', '05', '--public-key', join(root, 'missing.pem'));
    expect(noKeyFile).toEqual({ code: 2, out: '', err: `error: cannot read the public key file ${join(root, 'missing.pem')} (ENOENT)\n` });
    const unreachable = await cli(`postgres://postgres:s3cret-Pa55@127.0.0.1:1/bank`, 'consolidate', root);
    expect(unreachable.code).toBe(1);
    expect(unreachable.err).toMatch(/^error: cannot connect to PostgreSQL \(ECONNREFUSED\)/);
    expect(unreachable.err).not.toContain('s3cret');
  }, 60_000);
});

describe('a bundle exported before desks and identity evidence', () => {
  it('loads as desk 00 with its own (older) columns: the real bundle the program wrote at commit f980573', async () => {
    const legacy = join(__dirname, '..', 'fixtures', 'legacy');
    const db = await server.createDatabase('legacy');
    const tree = mkdtempSync(join(root, 'legacy-'));
    cpSync(join(legacy, '310101_20261202_1'), join(tree, '310101_20261202_1'), { recursive: true });
    const registered = await cli(db, 'register-desk', '--branch', '310101', '--desk', '00', '--public-key', join(legacy, 'public-key.pem'), '--valid-from', '2026-12-01');
    expect(registered.code, registered.err).toBe(0);
    const loaded = await cli(db, 'consolidate', tree);
    expect(loaded.err).toBe('');
    expect(loaded.code).toBe(0);
    expect(loaded.out).toMatch(/^loaded\s+\S*310101_20261202_1: branch 310101 desk 00 2026-12-02 batch 1, 6 rows, 6 new$/m);
    const legacyClient = new pg.Client({ connectionString: db });
    await legacyClient.connect();
    try {
      const { rows } = await legacyClient.query<{ n: string; desk: string }>('SELECT count(*)::text AS n, min(desk) AS desk FROM headoffice.requests');
      expect(rows[0]).toEqual({ n: '6', desk: '00' });
    } finally {
      await legacyClient.end();
    }
  }, 60_000);
});

describe('an installation set up before desk numbers keeps its key when its desk is set', () => {
  it('registers the key for desk 00 and its desk; its format-2 and later format-3 bundles both load; no other reuse; gaps see one desk', async () => {
    const db = await server.createDatabase('rekeyed');
    const key = deskKey('340404 pre-desk installation, later desk 03');
    const tree = mkdtempSync(join(root, 'rekeyed-'));
    const keyFile = writePublicKeyFile(tree, key, 'installation');
    const bundles = join(tree, 'incoming');
    mkdirSync(bundles);
    await writeDeskBundle(bundles, { branch: '340404', desk: '00', businessDate: '2026-11-02', key, rows: 5, auditSeq: 100 });
    await writeDeskBundle(bundles, { branch: '340404', desk: '03', businessDate: '2026-11-03', key, rows: 6, auditSeq: 150 });

    const before = await cli(db, 'register-desk', '--branch', '340404', '--desk', '00', '--public-key', keyFile, '--valid-from', '2026-11-01');
    expect(before.code, before.err).toBe(0);
    const after = await cli(db, 'register-desk', '--branch', '340404', '--desk', '03', '--public-key', keyFile, '--valid-from', '2026-11-03');
    expect(after.code, after.err).toBe(0);
    expect(after.out).toMatch(/^registered: branch 340404 desk 03 key [0-9a-f]{64} valid from 2026-11-03/);
    // Still one desk only: another numbered desk, or another branch, is refused.
    const third = await cli(db, 'register-desk', '--branch', '340404', '--desk', '04', '--public-key', keyFile);
    expect(third.code).toBe(1);
    expect(third.err).toMatch(/^error: this key is already registered for branch 340404 desk 0[03]/);
    const otherBranch = await cli(db, 'register-desk', '--branch', '350505', '--desk', '00', '--public-key', keyFile);
    expect(otherBranch.code).toBe(1);

    const loaded = await cli(db, 'consolidate', bundles);
    expect(loaded.err).toBe('');
    expect(loaded.code, loaded.out).toBe(0);
    expect(loaded.out).toMatch(/^loaded\s+\S*340404_20261102_1: branch 340404 desk 00 2026-11-02 batch 1, 5 rows, 5 new$/m);
    expect(loaded.out).toMatch(/^loaded\s+\S*340404_03_20261103_1: branch 340404 desk 03 2026-11-03 batch 1, 6 rows, 6 new$/m);
    // Desk 00 is expected until the desk was set, desk 03 from then: no day is missing.
    const gaps = await cli(db, 'gaps', '--from', '2026-11-02', '--to', '2026-11-03', '--header', 'code');
    expect(gaps.err).toBe('');
    expect(gaps.code, gaps.out).toBe(0);
    expect(csvRecords(gaps.out)).toHaveLength(1);

    // Revoking it at the desk revokes both halves of its history.
    const revoked = await cli(db, 'register-desk', '--branch', '340404', '--desk', '03', '--public-key', keyFile, '--revoke');
    expect(revoked.code, revoked.err).toBe(0);
    const later = join(tree, 'later');
    mkdirSync(later);
    await writeDeskBundle(later, { branch: '340404', desk: '00', businessDate: '2026-11-02', batch: 2, key, rows: 1, firstSeq: 6, auditSeq: 101 });
    const refused = await cli(db, 'consolidate', later);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/^quarantined\s+\S*340404_20261102_2: .*key_revoked/m);
  }, 90_000);
});

describe('two installations of one branch set up before desk numbers', () => {
  it('both issued the same application numbers and batch names: both load fully, each its own rows, batch ledger and audit head', async () => {
    const db = await server.createDatabase('twins');
    const tree = mkdtempSync(join(root, 'twins-'));
    const keys = { a: deskKey('360606 pre-desk installation A'), b: deskKey('360606 pre-desk installation B') };
    // Each branch PC's bundles in a folder of their own: the folder names are the same (360606_20261201_1).
    const days: DeskDay[] = [
      { branch: '360606', desk: '00', businessDate: '2026-12-01', key: keys.a, rows: 4, auditSeq: 500 },
      { branch: '360606', desk: '00', businessDate: '2026-12-01', key: keys.b, rows: 3, auditSeq: 100 },
    ];
    for (const [index, day] of days.entries()) {
      const name = index === 0 ? 'a' : 'b';
      mkdirSync(join(tree, 'incoming', name), { recursive: true });
      await writeDeskBundle(join(tree, 'incoming', name), day);
      const registered = await cli(db, 'register-desk', '--branch', '360606', '--desk', '00', '--public-key', writePublicKeyFile(tree, day.key, name), '--valid-from', '2026-12-01');
      expect(registered.code, registered.err).toBe(0);
    }
    const loaded = await cli(db, 'consolidate', join(tree, 'incoming'));
    expect(loaded.err).toBe('');
    expect(loaded.code, loaded.out).toBe(0);
    expect(loaded.out).toMatch(/^loaded\s+\S*\/a\/360606_20261201_1: branch 360606 desk 00 2026-12-01 batch 1, 4 rows, 4 new$/m);
    expect(loaded.out).toMatch(/^loaded\s+\S*\/b\/360606_20261201_1: branch 360606 desk 00 2026-12-01 batch 1, 3 rows, 3 new$/m);
    const twins = new pg.Client({ connectionString: db });
    await twins.connect();
    try {
      const { rows } = await twins.query<{ number: string; n: string }>(
        `SELECT application_number AS number, count(*)::text AS n FROM headoffice.requests GROUP BY 1 ORDER BY 1`,
      );
      expect(rows).toEqual([1, 2, 3, 4].map((seq) => ({ number: `360606-20261201-000${seq}`, n: seq <= 3 ? '2' : '1' })));
    } finally {
      await twins.end();
    }
    const again = await cli(db, 'consolidate', join(tree, 'incoming'));
    expect(again.out.trim().split('\n').at(-1)).toBe('2 bundles: 0 loaded (0 new rows), 2 unchanged, 0 quarantined');
    // Each installation's audit head is its own: no head goes backwards, nothing is missing.
    const gaps = await cli(db, 'gaps', '--from', '2026-12-01', '--to', '2026-12-01', '--header', 'code');
    expect(gaps.code, gaps.out).toBe(0);
    // Open outcomes are per installation: the two 0001 requests are two requests.
    const open = await cli(db, 'report-open', '--days', '0', '--as-of', '2026-12-01', '--header', 'code');
    expect(open.code, open.err).toBe(0);
    const openRows = csvRecords(open.out).slice(1);
    const expectedOpen = days.flatMap((day) => deskRows(day).filter((row) => row.status === 'carried_over' || row.status === 'approved')).length;
    expect(openRows).toHaveLength(expectedOpen);
  }, 90_000);
});

describe('a run that fails before its first bundle', () => {
  it('ends: the checker thread is stopped and the error is the database one', async () => {
    // A client whose connection is already closed: the run's first statement (the writers' lock) fails. In a
    // process of its own, as the CLI runs it: a thread left running would keep it from ending.
    const script = join(root, 'fails-early.mts');
    writeFileSync(
      script,
      `import { createRequire } from 'node:module';
       const require = createRequire(${JSON.stringify(join(process.cwd(), 'package.json'))});
       const pg = require('pg');
       const { consolidate } = await import(${JSON.stringify(join(process.cwd(), 'electron/headoffice/consolidate.ts'))});
       const client = new pg.Client({ connectionString: process.env.HO_TEST_DATABASE });
       await client.connect();
       await client.end();
       await consolidate(client, [process.env.HO_TEST_TREE]).then(() => console.log('loaded'), (error) => console.log('failed: ' + error.message));
      `,
    );
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, HO_TEST_DATABASE: database, HO_TEST_TREE: join(root, 'incoming') },
    });
    expect(stdout.trim()).toBe('failed: Client was closed and is not queryable');
  }, 60_000);
});

describe('a server not on this machine without TLS', () => {
  /** Connections that reached a listener on this machine's own non-loopback address (eth0…). */
  async function remoteListener(): Promise<{ host: string; port: number; connections: () => number; close: () => Promise<void> }> {
    const address = Object.values(networkInterfaces())
      .flat()
      .find((entry) => entry && !entry.internal && entry.family === 'IPv4')?.address;
    // A machine with loopback alone: an address of TEST-NET-1 (RFC 5737), which nothing answers; the refusal must
    // come before any attempt all the same, and the TLS attempt fails to connect.
    if (!address) return { host: '192.0.2.1', port: 5432, connections: () => 0, close: () => Promise.resolve() };
    let count = 0;
    const listener = createServer((socket) => {
      count += 1;
      socket.destroy();
    });
    await new Promise<void>((done) => listener.listen(0, address, done));
    const port = (listener.address() as AddressInfo).port;
    return { host: address, port, connections: () => count, close: () => new Promise((done) => listener.close(() => done())) };
  }

  it('is refused with one line (exit 2) before any connection attempt, by URL or PG* variables; with sslmode given it is tried', async () => {
    const remote = await remoteListener();
    try {
      const byUrl = await cli(`postgres://postgres:s3cret-Pa55@${remote.host}:${remote.port}/bank`, 'report-days', '--from', '2026-11-01', '--to', '2026-11-30');
      expect(byUrl.code).toBe(2);
      expect(byUrl.err).toBe(
        `error: refused: PostgreSQL at ${remote.host} is not on this machine and no TLS is asked for (the bundles hold masked personal data): set PGSSLMODE=verify-full (or sslmode=verify-full in the --database URL)\n`,
      );
      expect(byUrl.out).toBe('');
      const byEnvironment = await run(process.execPath, ['--import', 'tsx', 'electron/cli.ts', 'consolidate', root], {
        encoding: 'utf8',
        env: { ...process.env, PGHOST: remote.host, PGPORT: String(remote.port), PGDATABASE: 'bank', PGUSER: 'postgres', PGSSLMODE: '' },
      }).then(
        () => ({ code: 0, err: '' }),
        (error: { code?: number; stderr?: string }) => ({ code: error.code, err: error.stderr ?? '' }),
      );
      expect(byEnvironment.code).toBe(2);
      expect(byEnvironment.err).toMatch(/^error: refused: PostgreSQL at \S+ is not on this machine and no TLS is asked for .*PGSSLMODE=verify-full/);
      expect(remote.connections()).toBe(0);
      if (remote.host !== '192.0.2.1') {
        // With TLS asked for, the same address is tried (the listener hangs up: cannot connect, exit 1).
        const withTls = await cli(`postgres://postgres@${remote.host}:${remote.port}/bank?sslmode=verify-full`, 'report-days', '--from', '2026-11-01', '--to', '2026-11-30');
        expect(withTls.code).toBe(1);
        expect(withTls.err).toMatch(/^error: cannot connect to PostgreSQL/);
        expect(remote.connections()).toBe(1);
      }
    } finally {
      await remote.close();
    }
  }, 60_000);
});
