import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { METHOD_NAMES, syntheticRandom } from '../../shared';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { demoSignaturePng } from '../../electron/core/demo/demoSignature';
import { DATABASE_FILE } from '../../electron/core';
import { verifyDayBundle } from '../../electron/core/dayclose/bundleVerification';
import { countOf, statusesOf } from '../../renderer/features/board/statusGroups';
import { openHarness, PASSWORDS, type Harness } from '../support/coreHarness';
import { useTempDirs } from '../support/tempDir';

const tempDir = useTempDirs();
const harnesses: Harness[] = [];
afterEach(() => {
  for (const h of harnesses.splice(0)) h.core.close();
});
const DAY = '2026-11-25';

async function dayWithWork(): Promise<{ h: Harness; open: { id: number; version: number }; approved: { id: number; version: number; status: string } }> {
  const h = await openHarness(tempDir());
  harnesses.push(h);
  const exportDir = join(tempDir(), 'exports');
  mkdirSync(exportDir);
  await h.ok('admin', 'settings.update', { exportDir });
  const open = await h.ok('t1', 'applications.register', {});
  const app = await h.ok('t1', 'applications.register', {});
  const review = await h.ok('t1', 'applications.startReview', { id: app.id, version: app.version });
  const approved = await h.ok('t1', 'applications.submit', { id: review.id, version: review.version, request: makeDemoRequest(syntheticRandom(1), DAY) });
  return { h, open, approved };
}

describe('closing the business day', () => {
  it('is refused while a request is open, listing it; carried over, the day closes and the date moves on', async () => {
    const { h, open } = await dayWithWork();
    expect(await h.call('t1', 'dayclose.close', { businessDate: DAY })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const refused = await h.call('s1', 'dayclose.close', { businessDate: DAY });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: 'dayclose.open_items', details: { openItems: ['310101-01-20261125-0002', '310101-01-20261125-0001'] } } });
    const carried = await h.ok('s1', 'dayclose.carryOver', { id: open.id, version: open.version });
    expect(carried).toMatchObject({ businessDate: '2026-11-26', carriedFrom: DAY, status: 'waiting', number: '310101-01-20261125-0001', ticketNo: 1 });
    expect(await h.call('s1', 'dayclose.close', { businessDate: DAY })).toMatchObject({ ok: false, error: { message: 'dayclose.open_items', details: { openItems: ['310101-01-20261125-0002'] } } });
    const approved = (await h.ok('s1', 'dayclose.status', { businessDate: DAY })).openItems[0];
    if (!approved) throw new Error('the approved request is not listed');
    await h.ok('s1', 'dayclose.carryOver', { id: approved.id, version: approved.version });
    const closed = await h.ok('s1', 'dayclose.close', { businessDate: DAY });
    expect(closed).toMatchObject({ status: 'closed', closedBy: 'S001', carriedOver: 2, openItems: [] });
    expect((await h.ok('t1', 'system.info', {})).businessDate).toBe('2026-11-26');
    const next = await h.ok('t1', 'applications.register', {});
    expect(next).toMatchObject({ businessDate: '2026-11-26', ticketNo: 3 });
  });

  it('lists an approved request that is not yet signed and printed as open: it is carried over and finished the next day, or cancelled with a supervisor', async () => {
    const { h, open, approved } = await dayWithWork();
    expect(approved.status).toBe('approved');
    const status = await h.ok('s1', 'dayclose.status', { businessDate: DAY });
    expect(status.openItems.map((item) => [item.number, item.status])).toEqual([
      ['310101-01-20261125-0002', 'approved'],
      ['310101-01-20261125-0001', 'waiting'],
    ]);
    // Not "nothing left open": the close is refused and names it.
    expect(await h.call('s1', 'dayclose.close', { businessDate: DAY })).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { openItems: expect.arrayContaining(['310101-01-20261125-0002']) } } });
    // The board's 待办 (open) list shows it to the teller as well.
    const todo = await h.ok('t1', 'applications.board', { statuses: statusesOf('open') });
    expect(todo.rows.map((row) => row.id).sort()).toEqual([open.id, approved.id].sort());
    expect(countOf('open', todo.counts)).toBe(2);

    // Carried over, it keeps its approval; the next day the customer signs and the slip is printed.
    await h.ok('s1', 'dayclose.carryOver', { id: open.id, version: open.version });
    const carried = await h.ok('s1', 'dayclose.carryOver', { id: approved.id, version: approved.version });
    expect(carried).toMatchObject({ status: 'approved', businessDate: '2026-11-26', carriedFrom: DAY });
    await h.ok('s1', 'dayclose.close', { businessDate: DAY });
    const signed = await h.ok('t1', 'applications.setSignature', { id: carried.id, version: carried.version, pngBase64: demoSignaturePng(syntheticRandom(3)).toString('base64') });
    const issued = await h.ok('t1', 'receipts.issue', { id: signed.id, version: signed.version });
    expect(issued.receipt?.printNo).toBe(1);
    expect((await h.ok('t1', 'applications.get', { id: approved.id })).status).toBe('completed');
  });

  it('cancels an approved request at the close only with a supervisor', async () => {
    const { h, open, approved } = await dayWithWork();
    await h.ok('s1', 'dayclose.carryOver', { id: open.id, version: open.version });
    expect(await h.call('s1', 'applications.cancel', { id: approved.id, version: approved.version, reasonCode: 'customer_left' })).toMatchObject({ ok: false, error: { code: 'AUTHORIZATION_REQUIRED' } });
    const grant = await h.ok('s1', 'authorization.grant', { action: 'cancel_after_submit', applicationId: approved.id, supervisor: { employeeNo: 'S002', password: PASSWORDS.supervisor2 } });
    await h.ok('s1', 'applications.cancel', { id: approved.id, version: approved.version, reasonCode: 'customer_left', grantId: grant.grantId });
    expect(await h.ok('s1', 'dayclose.close', { businessDate: DAY })).toMatchObject({ status: 'closed', openItems: [], counts: { cancelled: 1 } });
  });

  it('refuses every command on a closed day with DAY_CLOSED', async () => {
    const { h, open, approved } = await dayWithWork();
    await h.ok('s1', 'dayclose.carryOver', { id: open.id, version: open.version });
    // A day closed by an earlier version, which let an approved request stay behind (today's close refuses it).
    h.core.db.prepare("INSERT INTO business_days (business_date, status, opened_at, closed_at) VALUES (?, 'closed', ?, ?) ON CONFLICT (business_date) DO UPDATE SET status = 'closed'").run(DAY, '2026-11-25T01:00:00Z', '2026-11-25T10:00:00Z');
    const target = { id: approved.id, version: approved.version };
    const grant = await h.ok('t1', 'authorization.grant', { action: 'cancel_after_submit', applicationId: approved.id, supervisor: { employeeNo: 'S001', password: PASSWORDS.supervisor } });
    const attempts: Promise<{ ok: boolean }>[] = [
      h.call('t1', 'applications.cancel', { ...target, reasonCode: 'customer_left', grantId: grant.grantId }),
      h.call('t1', 'applications.setSignature', { ...target, pngBase64: 'iVBORw0KGgo'.padEnd(200, 'A') }),
      h.call('t1', 'receipts.issue', target),
      h.call('s1', 'dayclose.close', { businessDate: DAY }),
    ];
    const request = makeDemoRequest(syntheticRandom(2), DAY);
    const supervisor = { employeeNo: 'S001', password: PASSWORDS.supervisor };
    attempts.push(
      h.call('t1', 'applications.startReview', target),
      h.call('t1', 'applications.submit', { ...target, request }),
      h.call('t1', 'applications.edit', { ...target, request, grantId: grant.grantId }),
      h.call('t1', 'applications.authorize', { ...target, decision: 'approve', supervisor }),
      h.call('t1', 'applications.reject', { ...target, reasonCode: 'document_invalid' }),
      h.call('t1', 'applications.cancel', { ...target, reasonCode: 'customer_left' }),
      h.call('s1', 'dayclose.carryOver', target),
    );
    // Every method that changes a request is tried: none may slip past the closed day.
    const changing = METHOD_NAMES.filter((name) => /^applications\.(startReview|submit|edit|authorize|reject|cancel|setSignature)$|^receipts\.issue$|^dayclose\.(carryOver|close)$/.test(name));
    expect(changing).toHaveLength(10);
    for (const result of await Promise.all(attempts)) expect(result).toMatchObject({ ok: false, error: { code: 'DAY_CLOSED' } });
    expect(attempts).toHaveLength(11);
    const after = await h.ok('t1', 'applications.get', { id: approved.id });
    expect(after).toMatchObject({ status: 'approved', version: approved.version });
  });

  it('exports a signed bundle that verifies; a second export is the next batch; full data needs a grant', async () => {
    const { h, open, approved } = await dayWithWork();
    expect(await h.call('s1', 'dayclose.export', { businessDate: DAY })).toMatchObject({ ok: false, error: { code: 'INVALID_TRANSITION' } });
    await h.ok('s1', 'dayclose.carryOver', { id: open.id, version: open.version });
    await h.ok('s1', 'dayclose.carryOver', { id: approved.id, version: approved.version });
    await h.ok('s1', 'dayclose.close', { businessDate: DAY });
    const first = await h.ok('s1', 'dayclose.export', { businessDate: DAY });
    expect(first.batch).toBe(1);
    // 文件数 is what the folder holds: manifest.json is one of the files.
    expect(first.files.map((f) => f.name).sort()).toEqual(['applications.csv', 'applications.xlsx', 'manifest.json', 'outcomes.csv', 'report.pdf']);
    expect(first.files.map((f) => f.name).sort()).toEqual(readdirSync(first.dir).sort());
    const verified = await verifyDayBundle(first.dir, h.core.context.keys.publicKey);
    expect(verified).toMatchObject({ ok: true, key: 'installation' });
    if (verified.ok) expect(verified.manifest.counts.byStatus).toEqual({ approved: 0, carried_over: 2, completed: 0, rejected: 0, cancelled: 0 });

    const grant = await h.ok('s1', 'authorization.grant', { action: 'full_data_export', businessDate: DAY, supervisor: { employeeNo: 'S002', password: PASSWORDS.supervisor2 } });
    const second = await h.ok('s1', 'dayclose.export', { businessDate: DAY, fullDataGrantId: grant.grantId });
    expect(second).toMatchObject({ batch: 2, fullData: true });
    expect(readdirSync(second.dir).sort()).toEqual(['applications.csv', 'applications.xlsx', 'full-data.csv', 'manifest.json', 'outcomes.csv', 'report.pdf']);
    expect((await verifyDayBundle(first.dir, h.core.context.keys.publicKey)).ok).toBe(true);
    const status = await h.ok('s1', 'dayclose.status', { businessDate: DAY });
    expect(status.exports.map((e) => [e.batch, e.fullData])).toEqual([[1, false], [2, true]]);
  });

  it('reopens a closed day only for an admin with a supervisor grant, audited', async () => {
    const { h, open, approved } = await dayWithWork();
    await h.ok('s1', 'dayclose.carryOver', { id: open.id, version: open.version });
    await h.ok('s1', 'dayclose.carryOver', { id: approved.id, version: approved.version });
    await h.ok('s1', 'dayclose.close', { businessDate: DAY });
    expect(await h.call('admin', 'authorization.grant', { action: 'reopen_day', businessDate: DAY, supervisor: { employeeNo: 'T001', password: PASSWORDS.teller } })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await h.call('s1', 'authorization.grant', { action: 'reopen_day', businessDate: DAY, supervisor: { employeeNo: 'S002', password: PASSWORDS.supervisor2 } })).toMatchObject({ ok: false, error: { message: 'authorization.reopen_needs_admin' } });
    // S001's account was made by A001, so S001 cannot authorize for A001: a second admin asks.
    expect(await h.call('admin', 'authorization.grant', { action: 'reopen_day', businessDate: DAY, supervisor: { employeeNo: 'S001', password: PASSWORDS.supervisor } })).toMatchObject({ ok: false, error: { message: 'authorization.account_set_by_requester' } });
    const admin2 = await h.ok('admin', 'tellers.create', { employeeNo: 'A002', name: '第二管理员', role: 'admin', password: 'Second-Admin-Key-7' });
    h.core.db.prepare('UPDATE tellers SET must_change_password = 0 WHERE id = ?').run(admin2.id);
    await h.ok('admin2', 'auth.login', { employeeNo: 'A002', password: 'Second-Admin-Key-7' });
    const grant = await h.ok('admin2', 'authorization.grant', { action: 'reopen_day', businessDate: DAY, supervisor: { employeeNo: 'S001', password: PASSWORDS.supervisor } });
    const reopened = await h.ok('admin2', 'dayclose.reopen', { businessDate: DAY, grantId: grant.grantId });
    expect(reopened.status).toBe('open');
    const audit = h.core.db.prepare("SELECT action FROM audit_log WHERE entity = 'business_day' ORDER BY seq").all() as { action: string }[];
    expect(audit.map((row) => row.action)).toEqual(['day.closed', 'authorization.granted', 'day.reopened']);
  });
});

describe('closing a day that has not begun', () => {
  it('is refused, so the business date cannot jump ahead', async () => {
    const h = await openHarness(tempDir());
    harnesses.push(h);
    expect(await h.call('s1', 'dayclose.close', { businessDate: '2026-11-26' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { businessDate: 'dayclose.future_date' } } });
    expect((await h.ok('t1', 'system.info', {})).businessDate).toBe(DAY);
  });
});

describe('a closed day’s bundle', () => {
  const NEXT = '2026-11-26';

  /** The bundle's applications.csv, parsed back: heading row, then one row per request. */
  function csvOf(dir: string): string[][] {
    return parse(readFileSync(join(dir, 'applications.csv'), 'utf8'), { bom: true }) as string[][];
  }

  function column(rows: string[][], title: string): string[] {
    const index = rows[0]?.indexOf(title) ?? -1;
    if (index < 0) throw new Error(`no column ${title}`);
    return rows.slice(1).map((row) => row[index] ?? '');
  }

  async function exportTo(h: Harness, businessDate: string): Promise<{ dir: string; batch: number }> {
    const exportDir = join(tempDir(), 'exports');
    mkdirSync(exportDir);
    await h.ok('admin', 'settings.update', { exportDir });
    return h.ok('s1', 'dayclose.export', { businessDate });
  }

  it('is the same rows whenever it is made: every day a request was carried through keeps it, with that day’s ticket; batches come from the database', async () => {
    const { h, open, approved } = await dayWithWork();
    // A walk-in who left before anything was keyed.
    const walkedOut = await h.ok('t1', 'applications.register', {});
    await h.ok('t1', 'applications.cancel', { id: walkedOut.id, version: walkedOut.version, reasonCode: 'customer_left' });
    const waiting = await h.ok('s1', 'dayclose.carryOver', { id: open.id, version: open.version });
    const signedLater = await h.ok('s1', 'dayclose.carryOver', { id: approved.id, version: approved.version });
    await h.ok('s1', 'dayclose.close', { businessDate: DAY });
    const first = await exportTo(h, DAY);
    const before = readFileSync(join(first.dir, 'applications.csv'));
    const day = csvOf(first.dir);
    expect(column(day, '申请编号')).toEqual(['310101-01-20261125-0003', '310101-01-20261125-0001', '310101-01-20261125-0002']);
    expect(column(day, '状态')).toEqual(['已撤销', '已顺延', '已顺延']);
    expect(column(day, '票号')).toEqual(['3', '1', '2']);

    // The next day: one carried request is carried again, the other signed and printed, a new walk-in.
    expect([waiting.ticketNo, signedLater.ticketNo]).toEqual([1, 2]);
    const walkIn = await h.ok('t1', 'applications.register', {});
    expect(walkIn.ticketNo).toBe(3);
    await h.ok('s1', 'dayclose.carryOver', { id: waiting.id, version: waiting.version });
    // The merchant number is corrected the next morning: the day it left keeps what it had then.
    const editGrant = await h.ok('t1', 'authorization.grant', { action: 'edit_after_submit', applicationId: signedLater.id, supervisor: { employeeNo: 'S001', password: PASSWORDS.supervisor } });
    const corrected = makeDemoRequest(syntheticRandom(1), NEXT);
    const edited = await h.ok('t1', 'applications.edit', { id: signedLater.id, version: signedLater.version, grantId: editGrant.grantId, request: { ...corrected, pos: { ...corrected.pos, merchantNumber: '102100058129999' } } });
    expect(edited).toMatchObject({ status: 'approved', merchantNumber: '102100058129999' });
    const signed = await h.ok('t1', 'applications.setSignature', { id: edited.id, version: edited.version, pngBase64: demoSignaturePng(syntheticRandom(4)).toString('base64') });
    await h.ok('t1', 'receipts.issue', { id: signed.id, version: signed.version });
    await h.ok('t1', 'applications.cancel', { id: walkIn.id, version: walkIn.version, reasonCode: 'customer_withdrew' });
    await h.ok('s1', 'dayclose.close', { businessDate: NEXT });

    // Re-exported elsewhere after the next day closed: the same rows, byte for byte, and the next batch.
    const again = await exportTo(h, DAY);
    expect(again.batch).toBe(2);
    expect(again.dir.endsWith(`310101_01_20261125_2`)).toBe(true);
    expect(readFileSync(join(again.dir, 'applications.csv')).equals(before)).toBe(true);
    const verified = await verifyDayBundle(again.dir, h.core.context.keys.publicKey);
    expect(verified.ok && verified.manifest.counts.byStatus).toEqual({ completed: 0, rejected: 0, cancelled: 1, carried_over: 2, approved: 0 });

    // The next day's bundle: each request once, each with that day's ticket, no ticket twice.
    const next = csvOf((await exportTo(h, NEXT)).dir);
    expect(column(next, '申请编号').sort()).toEqual(['310101-01-20261125-0001', '310101-01-20261125-0002', '310101-01-20261126-0003']);
    const tickets = column(next, '票号');
    expect(new Set(tickets).size).toBe(tickets.length);
    const byNumber = new Map(column(next, '申请编号').map((number, i) => [number, [column(next, '状态')[i], tickets[i]]]));
    expect(byNumber.get('310101-01-20261125-0001')).toEqual(['已顺延', '1']);
    expect(byNumber.get('310101-01-20261125-0002')).toEqual(['已完成', '2']);
    expect(byNumber.get('310101-01-20261126-0003')).toEqual(['已撤销', '3']);
    expect(column(next, '商户编号')[column(next, '申请编号').indexOf('310101-01-20261125-0002')]).toBe('102100058129999');
    expect(column(day, '商户编号')[2]).not.toBe('102100058129999');
  });

  it('shows a request cancelled before anything was keyed as absent, not as a chip reading, and no check exception', async () => {
    const { h, open, approved } = await dayWithWork();
    await h.ok('t1', 'applications.cancel', { id: open.id, version: open.version, reasonCode: 'customer_left' });
    await h.ok('s1', 'dayclose.carryOver', { id: approved.id, version: approved.version });
    await h.ok('s1', 'dayclose.close', { businessDate: DAY });
    const bundle = await exportTo(h, DAY);
    const rows = csvOf(bundle.dir);
    const cancelled = rows.find((row) => row[0] === '310101-01-20261125-0001');
    const heading = rows[0] ?? [];
    const cell = (title: string) => cancelled?.[heading.indexOf(title)];
    expect(cell('证件核验方式')).toBe('—');
    expect(cell('联网核查结果')).toBe('—');
    expect(cell('证件类型')).toBe('—');
    expect(cell('拒绝/撤销原因')).toBe('客户已离开');
    expect(rows.flat().join('\n')).not.toMatch(/customer_left|芯片读取|已批准/);
    const verified = await verifyDayBundle(bundle.dir, h.core.context.keys.publicKey);
    expect(verified.ok && verified.manifest.counts).toMatchObject({ onlineCheckExceptions: 0, manualEntries: 0 });
    const report = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', join(bundle.dir, 'report.pdf'), '-'], { encoding: 'utf8' });
    expect(report).toMatch(/联网核查异常\s+0/);
  });
});

describe('a database from before the carry-over history (migration 007)', () => {
  it('recovers every day a request was carried through from the audit log, and the batches already exported', async () => {
    const dataDir = tempDir();
    const h = await openHarness(dataDir);
    const exportDir = join(tempDir(), 'exports');
    mkdirSync(exportDir);
    await h.ok('admin', 'settings.update', { exportDir });
    const twice = await h.ok('t1', 'applications.register', {});
    const once = await h.ok('t1', 'applications.register', {});
    const carriedTwice = await h.ok('s1', 'dayclose.carryOver', { id: twice.id, version: twice.version });
    const carriedOnce = await h.ok('s1', 'dayclose.carryOver', { id: once.id, version: once.version });
    await h.ok('s1', 'dayclose.close', { businessDate: DAY });
    await h.ok('s1', 'dayclose.carryOver', { id: carriedTwice.id, version: carriedTwice.version });
    await h.ok('t1', 'applications.cancel', { id: carriedOnce.id, version: carriedOnce.version, reasonCode: 'customer_left' });
    await h.ok('s1', 'dayclose.close', { businessDate: '2026-11-26' });
    const first = await h.ok('s1', 'dayclose.export', { businessDate: DAY });
    const csv = readFileSync(join(first.dir, 'applications.csv'));
    h.core.close();

    // As the database was before 007: only carried_from (the last day), no ledger of batches (and so no 008 column).
    const db = new Database(join(dataDir, DATABASE_FILE));
    // Later migrations are undone too, so they run again after 007: 008 (chip evidence), 009 (联网核查 evidence), 010 (hand-off), 011
    // (notifications), 012 (desk), 014 (the hand-off's sealed requests).
    db.exec(`DROP TABLE acquirer_outbox_payload; DROP TABLE identity_checks; ALTER TABLE applications DROP COLUMN online_check_source;
      ALTER TABLE applications DROP COLUMN identity_check_id; ALTER TABLE applications DROP COLUMN other_document;`);
    db.exec('DROP TABLE application_carry_overs; DROP TABLE day_export_batches; DROP TABLE acquirer_outbox; DROP TABLE outcome_events; ' +
      'DROP TABLE notification_messages; DROP TABLE call_tasks; ALTER TABLE branch_profile DROP COLUMN desk; ' +
      'ALTER TABLE applications DROP COLUMN chip_evidence; PRAGMA user_version = 6;');
    db.close();

    const reopened = await openHarness(dataDir, { setup: false });
    harnesses.push(reopened);
    const carries = reopened.core.db.prepare('SELECT application_id AS id, from_date AS fromDate, to_date AS toDate, ticket_no AS ticket, status FROM application_carry_overs ORDER BY application_id, from_date').all();
    expect(carries).toEqual([
      { id: twice.id, fromDate: DAY, toDate: '2026-11-26', ticket: 1, status: 'waiting' },
      { id: twice.id, fromDate: '2026-11-26', toDate: '2026-11-27', ticket: null, status: 'waiting' },
      { id: once.id, fromDate: DAY, toDate: '2026-11-26', ticket: 2, status: 'waiting' },
    ]);
    await reopened.ok('s1', 'auth.login', { employeeNo: 'S001', password: PASSWORDS.supervisor });
    const again = await reopened.ok('s1', 'dayclose.export', { businessDate: DAY });
    expect(again.batch).toBe(2);
    expect(readFileSync(join(again.dir, 'applications.csv')).equals(csv)).toBe(true);
  });
});
