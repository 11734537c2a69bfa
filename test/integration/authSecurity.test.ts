import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/connection';
import { loadMigrations, migrate } from '../../electron/core/db/migrations';
import { randomBytes } from 'node:crypto';
import { appendAudit, openAuditChain } from '../../electron/core/audit/auditLog';
import { PASSWORDS, tellerId, useHarnesses, type Harness } from '../support/coreHarness';
import { useTempDirs } from '../support/tempDir';
import messagesZhCN from '../../renderer/i18n/messages.zh-CN.json';
import messagesEn from '../../renderer/i18n/messages.en.json';

const tempDir = useTempDirs();
const { harness, close } = useHarnesses(tempDir);

const REFUSED = { ok: false, error: { code: 'UNAUTHENTICATED', message: 'auth.invalid_credentials' } };

function auditRows(h: Harness, action: string) {
  return (h.core.db.prepare('SELECT actor_id, entity_id, details FROM audit_log WHERE action = ? ORDER BY seq').all(action) as { actor_id: number | null; entity_id: string | null; details: string }[]).map(
    (row) => ({ actorId: row.actor_id, entityId: row.entity_id, details: JSON.parse(row.details) as Record<string, unknown> }),
  );
}

/** An account an admin makes, with its first password already changed by its owner (as the harness does). */
async function account(h: Harness, by: string, employeeNo: string, name: string, role: 'teller' | 'supervisor' | 'admin', password: string) {
  const created = await h.ok(by, 'tellers.create', { employeeNo, name, role, password });
  h.core.db.prepare('UPDATE tellers SET must_change_password = 0 WHERE id = ?').run(created.id);
  return created;
}

describe('lockout under parallel guesses (issue 18 item 2)', () => {
  it('locks the account after 40 concurrent wrong logins: the right password is refused until the lock ends', async () => {
    const h = await harness();
    const guesses = await Promise.all(Array.from({ length: 40 }, (_, i) => h.call(`g${i}`, 'auth.login', { employeeNo: 'T002', password: `Wrong-Guess-${i}` })));
    expect(guesses.every((result) => !result.ok)).toBe(true);
    expect(await h.call('late', 'auth.login', { employeeNo: 'T002', password: PASSWORDS.teller2 })).toEqual(REFUSED);
    // Every guess was counted and audited; the fifth locked the account.
    const failures = auditRows(h, 'login.failed').filter((row) => row.details.employeeNo === 'T002');
    expect(failures).toHaveLength(41);
    expect(failures.slice(0, 5).map((row) => row.details.attempts)).toEqual([1, 2, 3, 4, 5]);
    expect(failures.slice(5).every((row) => row.details.reason === 'locked')).toBe(true);
    h.clock.advanceMinutes(16);
    expect((await h.ok('late', 'auth.login', { employeeNo: 'T002', password: PASSWORDS.teller2 })).actor?.employeeNo).toBe('T002');
  });

  it('shares one count between unlocking a screen and a supervisor typing credentials at other windows', async () => {
    const h = await harness();
    // A locked screen at T001's window: 40 wrong unlocks at once.
    await h.ok('t1', 'auth.lock', {});
    await Promise.all(Array.from({ length: 40 }, (_, i) => h.call('t1', 'auth.unlock', { password: `Wrong-Guess-${i}` })));
    expect(await h.call('t1', 'auth.unlock', { password: PASSWORDS.teller })).toEqual(REFUSED);
    expect((await h.ok('t1', 'auth.me', {})).locked).toBe(true);

    // S001's number typed into 20 authorization dialogs at two windows, plus 20 logins, all at once.
    const day = h.core.context.businessDate();
    await Promise.all([
      ...Array.from({ length: 20 }, (_, i) =>
        h.call(i % 2 ? 't2' : 's1', 'authorization.grant', { action: 'full_data_export', businessDate: day, supervisor: { employeeNo: 'S001', password: `Wrong-Guess-${i}` } }),
      ),
      ...Array.from({ length: 20 }, (_, i) => h.call(`x${i}`, 'auth.login', { employeeNo: 's001', password: `Wrong-Guess-${i}` })),
    ]);
    const grant = await h.call('t2', 'authorization.grant', { action: 'full_data_export', businessDate: day, supervisor: { employeeNo: 'S002', password: PASSWORDS.supervisor2 } });
    expect(grant.ok).toBe(true);
    expect(await h.call('t2', 'authorization.grant', { action: 'full_data_export', businessDate: day, supervisor: { employeeNo: 'S001', password: PASSWORDS.supervisor } })).toEqual(REFUSED);
    expect(await h.call('s9', 'auth.login', { employeeNo: 'S001', password: PASSWORDS.supervisor })).toEqual(REFUSED);
    expect(auditRows(h, 'authorization.failed').length + auditRows(h, 'login.failed').length).toBe(42);
  });
});

describe('one refusal for every failed login (issue 18 item 10)', () => {
  it('answers a wrong password, an unknown number, a locked and a disabled account with the same envelope', async () => {
    const h = await harness();
    const wrong = await h.call('w', 'auth.login', { employeeNo: 'T001', password: 'Wrong-Guess-1' });
    const unknown = await h.call('w', 'auth.login', { employeeNo: 'Z999', password: 'Wrong-Guess-1' });
    await h.ok('admin', 'tellers.update', { id: tellerId(h, 'T002'), disabled: true });
    const disabledRightPassword = await h.call('w', 'auth.login', { employeeNo: 'T002', password: PASSWORDS.teller2 });
    for (let i = 0; i < 5; i += 1) await h.call('w', 'auth.login', { employeeNo: 'S002', password: 'Wrong-Guess-1' });
    const lockedRightPassword = await h.call('w', 'auth.login', { employeeNo: 'S002', password: PASSWORDS.supervisor2 });
    for (const result of [wrong, unknown, disabledRightPassword, lockedRightPassword]) expect(result).toEqual(REFUSED);
  });

  it('counts and locks failures for a number without an account too, across a restart', async () => {
    const h = await harness();
    for (let i = 0; i < 6; i += 1) expect(await h.call('w', 'auth.login', { employeeNo: 'Z999', password: 'Wrong-Guess-1' })).toEqual(REFUSED);
    const failures = auditRows(h, 'login.failed').filter((row) => row.details.employeeNo === 'Z999');
    expect(failures.map((row) => [row.details.attempts, row.details.locked])).toEqual([[1, false], [2, false], [3, false], [4, false], [5, true], [0, true]]);
    expect(failures.every((row) => row.details.reason === 'unknown' && row.entityId === null)).toBe(true);
    const dir = h.dataDir;
    close(h);
    const restarted = await harness(dir, { setup: false, now: '2026-11-25T02:05:00Z' });
    await restarted.call('w', 'auth.login', { employeeNo: 'z999', password: 'Wrong-Guess-1' });
    expect(auditRows(restarted, 'login.failed').at(-1)?.details).toMatchObject({ employeeNo: 'Z999', locked: true });
  });
});

describe('changing a password (issue 18 item 3)', () => {
  it('is refused from a locked screen', async () => {
    const h = await harness();
    await h.ok('t1', 'auth.lock', {});
    expect(await h.call('t1', 'auth.changePassword', { current: PASSWORDS.teller, next: 'Lunar-Teapot-36' })).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    h.clock.advanceMinutes(1);
    // The old password still opens the screen: nothing changed.
    expect((await h.ok('t1', 'auth.unlock', { password: PASSWORDS.teller })).locked).toBe(false);
  });

  it('counts wrong current passwords towards the lockout and audits each', async () => {
    const h = await harness();
    for (let i = 0; i < 5; i += 1) {
      expect(await h.call('t1', 'auth.changePassword', { current: `Wrong-Guess-${i}`, next: 'Lunar-Teapot-36' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { current: 'auth.wrong_password' } } });
    }
    // The sixth guess is the right one: refused, the account is locked.
    expect(await h.call('t1', 'auth.changePassword', { current: PASSWORDS.teller, next: 'Lunar-Teapot-36' })).toMatchObject({ ok: false, error: { fields: { current: 'auth.wrong_password' } } });
    expect(auditRows(h, 'password_change.failed')).toHaveLength(6);
    expect(await h.call('other', 'auth.login', { employeeNo: 'T001', password: PASSWORDS.teller })).toEqual(REFUSED);
    expect(await h.call('other', 'auth.login', { employeeNo: 'T001', password: 'Lunar-Teapot-36' })).toEqual(REFUSED);
  });

  it("ends the teller's sessions at other windows after a change", async () => {
    const h = await harness();
    await h.ok('t1-second', 'auth.login', { employeeNo: 'T001', password: PASSWORDS.teller });
    await h.ok('t1', 'auth.changePassword', { current: PASSWORDS.teller, next: 'Lunar-Teapot-36' });
    expect(await h.call('t1-second', 'applications.board', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect((await h.call('t1', 'applications.board', {})).ok).toBe(true);
    expect((await h.ok('t2', 'applications.board', {})).total).toBe(0);
  });

  it('allows the forced first change from an idle-locked screen', async () => {
    const h = await harness();
    await h.ok('admin', 'tellers.create', { employeeNo: 'T009', name: '新柜员', role: 'teller', password: 'Initial-Key-88' });
    await h.ok('n', 'auth.login', { employeeNo: 'T009', password: 'Initial-Key-88' });
    h.clock.advanceMinutes(30);
    expect((await h.ok('n', 'auth.me', {})).locked).toBe(true);
    await h.ok('n', 'auth.changePassword', { current: 'Initial-Key-88', next: 'Lunar-Teapot-36' });
    expect((await h.ok('n2', 'auth.login', { employeeNo: 'T009', password: 'Lunar-Teapot-36' })).mustChangePassword).toBe(false);
  });
});

describe('role and disabled changes reach open sessions (issue 18 item 4)', () => {
  it('stops a demoted supervisor from verifying the audit chain and carrying requests over', async () => {
    const h = await harness();
    expect((await h.call('s1', 'audit.verify', {})).ok).toBe(true);
    await h.ok('admin', 'tellers.update', { id: tellerId(h, 'S001'), role: 'teller' });
    expect(await h.call('s1', 'audit.verify', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await h.call('s1', 'dayclose.carryOver', { id: 1, version: 1 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await h.ok('s1', 'auth.me', {})).actor?.role).toBe('teller');
  });

  it('stops a demoted admin from creating admins and changing the retention years', async () => {
    const h = await harness();
    const second = await account(h, 'admin', 'A002', '第二管理员', 'admin', 'Second-Admin-Key-7');
    await h.ok('admin2', 'auth.login', { employeeNo: 'A002', password: 'Second-Admin-Key-7' });
    expect((await h.call('admin2', 'tellers.list', {})).ok).toBe(true);
    await h.ok('admin', 'tellers.update', { id: second.id, role: 'teller' });
    expect(await h.call('admin2', 'tellers.create', { employeeNo: 'A003', name: '冒名管理员', role: 'admin', password: 'Third-Admin-Key-9' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await h.call('admin2', 'settings.update', { retentionYears: 5 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((h.core.db.prepare("SELECT count(*) AS n FROM tellers WHERE employee_no = 'A003'").get() as { n: number }).n).toBe(0);
  });

  it('ends the session of an account disabled behind the core’s back (e.g. by the CLI) at its next call', async () => {
    const h = await harness();
    h.core.db.prepare("UPDATE tellers SET disabled = 1 WHERE employee_no = 'T001'").run();
    expect(await h.call('t1', 'applications.board', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect((await h.ok('t1', 'auth.me', {})).actor).toBeNull();
  });
});

describe('two people for a two-person rule (issue 18 item 5)', () => {
  it('refuses a supervisor who has not yet changed the password an admin set', async () => {
    const h = await harness();
    await h.ok('admin', 'tellers.create', { employeeNo: 'S009', name: '新主管', role: 'supervisor', password: 'Initial-Key-88' });
    const day = h.core.context.businessDate();
    expect(await h.call('t1', 'authorization.grant', { action: 'full_data_export', businessDate: day, supervisor: { employeeNo: 'S009', password: 'Initial-Key-88' } })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'authorization.must_change_password' },
    });
    expect((h.core.db.prepare('SELECT count(*) AS n FROM authorizations').get() as { n: number }).n).toBe(0);
  });

  it('refuses a supervisor for the admin who created the account or last reset its password', async () => {
    const h = await harness();
    const day = h.core.context.businessDate();
    // A001 makes a supervisor, changes its first password as its "owner", and asks it for a grant.
    await h.ok('admin', 'tellers.create', { employeeNo: 'S009', name: '傀儡主管', role: 'supervisor', password: 'Initial-Key-88' });
    await h.ok('puppet', 'auth.login', { employeeNo: 'S009', password: 'Initial-Key-88' });
    await h.ok('puppet', 'auth.changePassword', { current: 'Initial-Key-88', next: 'Lunar-Teapot-36' });
    const ask = (session: string, employeeNo: string, password: string) =>
      h.call(session, 'authorization.grant', { action: 'full_data_export', businessDate: day, supervisor: { employeeNo, password } });
    expect(await ask('admin', 'S009', 'Lunar-Teapot-36')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: 'authorization.account_set_by_requester' } });
    // A second admin resets a real supervisor's password: that supervisor cannot authorize for them either.
    await account(h, 'admin', 'A002', '第二管理员', 'admin', 'Second-Admin-Key-7');
    await h.ok('admin2', 'auth.login', { employeeNo: 'A002', password: 'Second-Admin-Key-7' });
    await h.ok('admin2', 'tellers.resetPassword', { id: tellerId(h, 'S002'), password: 'Reset-Key-Orbit-5' });
    await h.ok('s2', 'auth.login', { employeeNo: 'S002', password: 'Reset-Key-Orbit-5' });
    await h.ok('s2', 'auth.changePassword', { current: 'Reset-Key-Orbit-5', next: 'Velvet-Canyon-99' });
    expect(await ask('admin2', 'S002', 'Velvet-Canyon-99')).toMatchObject({ ok: false, error: { message: 'authorization.account_set_by_requester' } });
    // Someone else asking is a second person.
    expect((await ask('t1', 'S002', 'Velvet-Canyon-99')).ok).toBe(true);
    expect((await ask('t1', 'S009', 'Lunar-Teapot-36')).ok).toBe(true);
  });

  it('knows, after the upgrade, which admin made or last reset the accounts of an existing installation', () => {
    const db = openDatabase(join(tempDir(), 'old.sqlite'));
    migrate(db, loadMigrations().slice(0, 5));
    const at = new Date('2026-11-01T02:00:00Z');
    // The audit chain is keyed by the installation (any key will do for rows the upgrade reads back).
    openAuditChain(db, randomBytes(32), at);
    const add = db.prepare("INSERT INTO tellers (employee_no, name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, 'x', ?, ?)");
    const [a1 = 0, a2 = 0, s1 = 0, s2 = 0] = ['A001', 'A002', 'S001', 'S002'].map((no, i) => Number(add.run(no, no, i < 2 ? 'admin' : 'supervisor', at.toISOString(), at.toISOString()).lastInsertRowid));
    const audit = (actorId: number, action: string, id: number) => appendAudit(db, { actorId, action, entity: 'teller', entityId: String(id), details: {} }, at);
    audit(a1, 'teller.created', a2);
    audit(a1, 'teller.created', s1);
    audit(a1, 'teller.created', s2);
    audit(a1, 'teller.password_reset', s2);
    audit(a2, 'teller.password_reset', s2);
    migrate(db, loadMigrations());
    const rows = db.prepare('SELECT employee_no, created_by, password_reset_by FROM tellers ORDER BY id').all();
    expect(rows).toEqual([
      { employee_no: 'A001', created_by: null, password_reset_by: null },
      { employee_no: 'A002', created_by: a1, password_reset_by: null },
      { employee_no: 'S001', created_by: a1, password_reset_by: null },
      { employee_no: 'S002', created_by: a1, password_reset_by: a2 },
    ]);
    db.close();
  });

  it('tells the next other supervisor who logs in that a supervisor or admin account was made or reset', async () => {
    const h = await harness();
    await h.ok('admin', 'tellers.create', { employeeNo: 'S009', name: '新主管', role: 'supervisor', password: 'Initial-Key-88' });
    await h.ok('admin', 'tellers.create', { employeeNo: 'T009', name: '新柜员', role: 'teller', password: 'Initial-Key-88' });
    await h.ok('admin', 'tellers.resetPassword', { id: tellerId(h, 'S002'), password: 'Reset-Key-Orbit-5' });
    expect(auditRows(h, 'teller.password_reset').at(-1)).toMatchObject({ actorId: tellerId(h, 'A001'), details: { role: 'supervisor' } });
    // S002, whose own account was reset, is not the one told about it (S001's making, at set-up, is news to S002).
    const s2 = await h.ok('s2', 'auth.login', { employeeNo: 'S002', password: 'Reset-Key-Orbit-5' });
    expect(s2.notices.map((notice) => [notice.kind, notice.subject.employeeNo])).toEqual([['created', 'S001'], ['created', 'S009']]);
    const s1 = await h.ok('s1-again', 'auth.login', { employeeNo: 'S001', password: PASSWORDS.supervisor });
    expect(s1.notices.map((notice) => [notice.kind, notice.subject.employeeNo, notice.role, notice.by.employeeNo])).toEqual([['password_reset', 'S002', 'supervisor', 'A001']]);
    expect((await h.ok('s1-again', 'auth.me', {})).notices).toHaveLength(1);
    // Shown once; a teller is never shown them.
    expect((await h.ok('s1-third', 'auth.login', { employeeNo: 'S001', password: PASSWORDS.supervisor })).notices).toEqual([]);
    expect(auditRows(h, 'account_notice.shown').map((row) => row.actorId)).toEqual([tellerId(h, 'S001'), tellerId(h, 'S002'), tellerId(h, 'S001')]);
  });
});

describe('password strength (issue 18 item 11)', () => {
  it('refuses guessable first passwords at set-up and changes nothing', async () => {
    const h = await harness(undefined, { setup: false });
    const setup = { branchCode: '310101', desk: '01', branchName: '上海分行营业部', bankName: '示例银行' };
    expect(await h.call('x', 'auth.setup', { ...setup, admin: { employeeNo: 'A001', name: '管理员', password: 'password1' } })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', fields: { 'admin.password': 'password.too_guessable' } },
    });
    expect(await h.call('x', 'auth.setup', { ...setup, admin: { employeeNo: 'A001', name: '管理员', password: 'A001-Brass-Lantern' } })).toMatchObject({
      ok: false,
      error: { fields: { 'admin.password': 'password.contains_identity' } },
    });
    expect((await h.ok('x', 'system.info', {})).setupDone).toBe(false);
  });

  it('refuses weak passwords and ones holding the employee number or name when creating, resetting and changing', async () => {
    const h = await harness();
    const field = (result: { ok: boolean; error?: { fields?: Record<string, string> } }) => (result.ok ? 'accepted' : result.error?.fields);
    for (const password of ['password1', 'aaaaaaa1', 'Qwerty123']) {
      expect(field(await h.call('admin', 'tellers.create', { employeeNo: 'T009', name: '新柜员', role: 'teller', password }))).toEqual({ password: 'password.too_guessable' });
    }
    expect(field(await h.call('admin', 'tellers.create', { employeeNo: 'T009', name: '新柜员', role: 'teller', password: 'T009-Lunar-Teapot' }))).toEqual({ password: 'password.contains_identity' });
    expect(field(await h.call('admin', 'tellers.create', { employeeNo: 'T010', name: 'Li Wei', role: 'teller', password: 'liwei-Lunar-Teapot-3' }))).toEqual({ password: 'password.contains_identity' });
    expect(field(await h.call('admin', 'tellers.resetPassword', { id: tellerId(h, 'T001'), password: 'T0011234' }))).toEqual({ password: 'password.contains_identity' });
    expect(field(await h.call('admin', 'tellers.resetPassword', { id: tellerId(h, 'T002'), password: 'T0011234' }))).toEqual({ password: 'password.too_guessable' });
    expect(field(await h.call('t1', 'auth.changePassword', { current: PASSWORDS.teller, next: 'aaaaaaa1' }))).toEqual({ next: 'password.too_guessable' });
    expect(field(await h.call('t1', 'auth.changePassword', { current: PASSWORDS.teller, next: 'Harbor-t001-Quiet' }))).toEqual({ next: 'password.contains_identity' });
    // Nothing was made or changed; the strong passwords still work and are taken.
    expect((await h.ok('admin', 'tellers.list', {})).tellers.map((teller) => teller.employeeNo)).not.toContain('T009');
    expect((await h.ok('again', 'auth.login', { employeeNo: 'T001', password: PASSWORDS.teller })).mustChangePassword).toBe(false);
    expect(field(await h.call('t1', 'auth.changePassword', { current: PASSWORDS.teller, next: 'Lunar-Teapot-36' }))).toBe('accepted');
  });

  it('explains both refusals in Chinese and English', () => {
    for (const key of ['password.too_guessable', 'password.contains_identity', 'authorization.must_change_password', 'authorization.account_set_by_requester']) {
      expect((messagesZhCN as Record<string, string>)[key]).toMatch(/[\u4e00-\u9fff]/);
      expect((messagesEn as Record<string, string>)[key]).toMatch(/^[\x20-\x7e]+$/);
    }
  });
});
