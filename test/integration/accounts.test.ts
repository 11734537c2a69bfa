import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../electron/core/auth/passwords';
import { openHarness, PASSWORDS, type Harness } from '../support/coreHarness';
import { useTempDirs } from '../support/tempDir';

const tempDir = useTempDirs();
const harnesses: Harness[] = [];
afterEach(() => {
  for (const h of harnesses.splice(0)) h.core.close();
});
async function harness(dataDir = tempDir(), setup = true) {
  const h = await openHarness(dataDir, { setup });
  harnesses.push(h);
  return h;
}

describe('tellers and sessions', () => {
  it('hashes passwords with scrypt N=2^17, r=8, p=1 and a 16-byte salt by default', async () => {
    const stored = await hashPassword('Correct-Horse-1');
    const [scheme, logN, r, p, salt] = stored.split('$');
    expect([scheme, logN, r, p]).toEqual(['scrypt', '17', '8', '1']);
    expect(Buffer.from(salt ?? '', 'base64')).toHaveLength(16);
    expect(await verifyPassword('Correct-Horse-1', stored)).toBe(true);
    expect(await verifyPassword('correct-horse-1', stored)).toBe(false);
  });

  it('refuses a second first-run setup', async () => {
    const h = await harness();
    const again = await h.call('x', 'auth.setup', { branchCode: '999999', desk: '01', branchName: '冒名网点', bankName: '某行', admin: { employeeNo: 'X001', name: '某人', password: 'Takeover123' } });
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: 'setup.already_done' } });
    expect((await h.ok('x', 'system.info', {})).branch).toEqual({ code: '310101', name: '上海分行营业部', desk: '01' });
  });

  it('locks an account for 15 minutes after 5 wrong passwords, across a restart', async () => {
    const dir = tempDir();
    const h = await harness(dir);
    const refused = { ok: false, error: { code: 'UNAUTHENTICATED', message: 'auth.invalid_credentials' } };
    for (let i = 1; i <= 5; i += 1) {
      expect(await h.call('w', 'auth.login', { employeeNo: 'T001', password: 'wrong-pass-1' })).toEqual(refused);
    }
    expect(await h.call('w', 'auth.login', { employeeNo: 'T001', password: PASSWORDS.teller })).toEqual(refused);
    h.core.close();
    harnesses.splice(harnesses.indexOf(h), 1);

    const restarted = await openHarness(dir, { setup: false, now: '2026-11-25T02:10:00Z' });
    harnesses.push(restarted);
    expect(await restarted.call('w', 'auth.login', { employeeNo: 'T001', password: PASSWORDS.teller })).toMatchObject({ ok: false, error: { message: 'auth.invalid_credentials' } });
    restarted.clock.advanceMinutes(6);
    expect((await restarted.ok('w', 'auth.login', { employeeNo: 'T001', password: PASSWORDS.teller })).actor?.employeeNo).toBe('T001');
  });

  it('tells an unknown employee number and a wrong password apart by nothing', async () => {
    const h = await harness();
    const unknown = await h.call('w', 'auth.login', { employeeNo: 'Z999', password: 'whatever1' });
    const wrong = await h.call('w2', 'auth.login', { employeeNo: 'T002', password: 'whatever1' });
    expect(unknown.ok || wrong.ok).toBe(false);
    if (!unknown.ok && !wrong.ok) {
      expect(unknown.error.code).toBe(wrong.error.code);
      expect(unknown.error.message).toBe(wrong.error.message);
    }
  });

  it('locks an idle session: personal data answers LOCKED until the same teller unlocks it', async () => {
    const h = await harness();
    await h.ok('t1', 'applications.register', {});
    h.clock.advanceMinutes(4);
    expect((await h.call('t1', 'applications.board', {})).ok).toBe(true);
    h.clock.advanceMinutes(5);
    expect(await h.call('t1', 'applications.board', {})).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect((await h.ok('t1', 'auth.me', {})).locked).toBe(true);
    expect(await h.call('t1', 'auth.unlock', { password: PASSWORDS.teller2 })).toMatchObject({ ok: false });
    expect((await h.ok('t1', 'auth.unlock', { password: PASSWORDS.teller })).locked).toBe(false);
    expect((await h.ok('t1', 'applications.board', {})).total).toBe(1);
  });

  it('locks on demand and follows the idle minutes an admin sets', async () => {
    const h = await harness();
    await h.ok('t1', 'auth.lock', {});
    expect(await h.call('t1', 'applications.board', {})).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    await h.ok('admin', 'settings.update', { idleLockMinutes: 30 });
    await h.ok('t2', 'applications.board', {});
    h.clock.advanceMinutes(20);
    expect((await h.call('t2', 'applications.board', {})).ok).toBe(true);
  });

  it('makes a new account change the admin-set password before any work', async () => {
    const h = await harness();
    await h.ok('admin', 'tellers.create', { employeeNo: 'T009', name: '新柜员', role: 'teller', password: 'Initial-Key-88' });
    const session = await h.ok('n', 'auth.login', { employeeNo: 'T009', password: 'Initial-Key-88' });
    expect(session.mustChangePassword).toBe(true);
    expect(await h.call('n', 'applications.board', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: 'auth.must_change_password' } });
    await h.ok('n', 'auth.changePassword', { current: 'Initial-Key-88', next: 'Lunar-Teapot-36' });
    expect((await h.call('n', 'applications.board', {})).ok).toBe(true);
  });

  it('keeps account management to admins and ends a disabled teller session', async () => {
    const h = await harness();
    expect(await h.call('t1', 'tellers.list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const list = await h.ok('admin', 'tellers.list', {});
    const t2 = list.tellers.find((teller) => teller.employeeNo === 'T002');
    await h.ok('admin', 'tellers.update', { id: t2?.id ?? 0, disabled: true });
    expect(await h.call('t2', 'applications.board', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    // Refused like a wrong password: the right password of a disabled account is not confirmed to anyone.
    expect(await h.call('t2', 'auth.login', { employeeNo: 'T002', password: PASSWORDS.teller2 })).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'auth.invalid_credentials' } });
  });
});
