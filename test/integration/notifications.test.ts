import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PASSWORDS, useHarnesses, type Harness } from '../support/coreHarness';
import { useTempDirs } from '../support/tempDir';
import { completedRequest } from '../support/notificationHarness';
import { makeTestCa, startSmsPlatform, startSmtpRelay, type SmsPlatform, type SmtpRelay, type TestCa } from '../../electron/preview/notificationSims';
import { NotificationWorker, outcomeArrived } from '../../electron/core/notifications/notificationService';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from '../../electron/core';

const tempDir = useTempDirs();

/** The element at i, failing the test when there is none. */
function nth<T>(list: readonly T[], i: number): T {
  const value = list.at(i);
  if (value === undefined) throw new Error(`no element ${i} in a list of ${list.length}`);
  return value;
}
const { harness, close } = useHarnesses(tempDir);

let simDir: string;
let ca: TestCa;
let relay: SmtpRelay;
let sms: SmsPlatform;

beforeAll(async () => {
  simDir = mkdtempSync(join(tmpdir(), 'unbinddesk-notify-'));
  ca = await makeTestCa(simDir);
  relay = await startSmtpRelay({ dir: simDir, ca });
  sms = await startSmsPlatform({ dir: simDir, ca, timeoutHangMs: 3_000 });
}, 30_000);

afterAll(async () => {
  await relay.close();
  await sms.close();
  rmSync(simDir, { recursive: true, force: true });
});

async function configure(h: Harness, extra: Record<string, unknown> = {}) {
  return h.ok('admin', 'notifications.settings.update', {
    hotline: '95588',
    email: { host: relay.host, port: relay.port, user: relay.user, from: 'notice@bank.example', fromName: '示例银行', caPem: ca.caPem, password: relay.password },
    sms: { url: sms.url, signName: '示例银行', caPem: ca.caPem, token: sms.token },
    retry: { maxAttempts: 5, baseSeconds: 30, capSeconds: 600 },
    ...extra,
  });
}

function worker(h: Harness, timeoutMs = 1_000) {
  return new NotificationWorker(h.core.context, { businessDate: h.core.context.businessDate, timeoutMs, random: () => 0.5 });
}

function messages(h: Harness) {
  return h.core.db.prepare('SELECT * FROM notification_messages ORDER BY id').all() as { id: number; status: string; attempts: number; answer: string | null; channel: string; template: string; next_attempt_at: string | null }[];
}

function callTasks(h: Harness) {
  return h.core.db.prepare('SELECT * FROM call_tasks ORDER BY id').all() as { id: number; cause: string; status: string; due_date: string; message_id: number }[];
}

function auditText(h: Harness): string {
  return JSON.stringify(h.core.db.prepare("SELECT action, details FROM audit_log WHERE action LIKE 'notification%' OR action LIKE 'call_task%'").all());
}

function personalValues(request: Awaited<ReturnType<typeof completedRequest>>['request']): string[] {
  return [request.mobile.bound, request.applicant.name, request.applicant.documentNumber, request.notification.email ?? ''].filter((v) => v !== '');
}

describe('telling the customer by e-mail through the SMTP relay', () => {
  it('sends the outcome over STARTTLS with a login: subject, headers and Chinese text with only the tail of the number', async () => {
    const h = await harness();
    await configure(h);
    const done = await completedRequest(h, 11, { channel: 'email', email: 'zhang.wei@example.com' });
    const before = relay.mails.length;
    const queued = h.core.db.transaction(() => outcomeArrived(h.core.context, { applicationId: done.id, outcome: 'unbound', reason: null, businessDate: '2026-11-27' }))();
    expect(queued).toMatchObject({ created: true, channel: 'email' });
    expect(await worker(h).runDue()).toBe(1);
    expect(relay.mails.length).toBe(before + 1);
    const mail = nth(relay.mails, -1);
    expect(mail.secure).toBe(true);
    expect(mail.user).toBe(relay.user);
    expect(mail.to).toEqual(['zhang.wei@example.com']);
    expect(mail.subject).toBe(`【示例银行】POS 机解绑申请 ${done.number} 办理结果`);
    expect(mail.headers['content-language']).toBe('zh-CN');
    expect(mail.headers['message-id']).toMatch(/^<unbinddesk-[0-9a-f-]{36}@bank\.example>$/);
    expect(mail.headers.from).toBe('示例银行 <notice@bank.example>');
    const tail = done.request.mobile.bound.slice(-4);
    expect(mail.text).toContain(`原手机号尾号 ${tail}`);
    expect(mail.text).toContain('已由收单机构办理完成');
    expect(mail.text).toContain('核对结算账户和近期交易');
    expect(mail.text).toContain('本行不会以任何理由索要验证码、密码');
    expect(mail.text).toContain('反诈专线 96110');
    expect(mail.text).toContain('如有疑问请致电 95588，或到上海分行营业部咨询');
    for (const value of personalValues(done.request)) expect(mail.text + mail.subject).not.toContain(value);
    const [row] = messages(h);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, channel: 'email', template: 'outcome.unbound.email.zh-CN' });
    expect(row?.answer).toMatch(/^smtp 250/);
    // Supervisors read the message log; it holds the relay's answer, not the address.
    const log = await h.ok('s1', 'notifications.messages.list', { applicationId: done.id });
    expect(log).toMatchObject([{ applicationNumber: done.number, outcome: 'unbound', channel: 'email', template: 'outcome.unbound.email.zh-CN', status: 'sent', attempts: 1 }]);
    expect(JSON.stringify(log)).not.toContain('zhang.wei');
    expect(await h.call('t1', 'notifications.messages.list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // The audit rows say what happened, never to whom.
    const audit = auditText(h);
    expect(audit).toContain('notification.sent');
    for (const value of personalValues(done.request)) expect(audit).not.toContain(value);
    expect(audit).not.toContain('zhang.wei');
  });

  it('writes in English when the customer chose it, with the acquirer reason in plain words', async () => {
    const h = await harness();
    await configure(h);
    const done = await completedRequest(h, 12, { channel: 'email', email: 'li.na@example.org', language: 'en' });
    outcomeArrived(h.core.context, { applicationId: done.id, outcome: 'unbind_failed', reason: 'unsettled_transactions', businessDate: '2026-11-27' });
    await worker(h).runDue();
    const mail = nth(relay.mails, -1);
    expect(mail.to).toEqual(['li.na@example.org']);
    expect(mail.subject).toBe(`[示例银行] POS unbinding request ${done.number}: result`);
    expect(mail.headers['content-language']).toBe('en');
    expect(mail.text).toContain('could not be completed by the acquirer: the terminal still has transactions or settlements that are not finished.');
    expect(mail.text).toContain(`ending ${done.request.mobile.bound.slice(-4)}`);
    expect(mail.text).toContain('anti-fraud line 96110');
    for (const value of personalValues(done.request)) expect(mail.text).not.toContain(value);
    expect(messages(h)[0]).toMatchObject({ status: 'sent', template: 'outcome.unbind_failed.email.en' });
  });

  it('gives nothing to a relay whose certificate it cannot verify, and tries again later', async () => {
    const h = await harness();
    await configure(h, { email: { host: relay.host, port: relay.port, user: relay.user, from: 'notice@bank.example', fromName: '示例银行', caPem: null, password: relay.password } });
    const done = await completedRequest(h, 13, { channel: 'email', email: 'wang.fang@example.com' });
    const before = relay.mails.length;
    outcomeArrived(h.core.context, { applicationId: done.id, outcome: 'unbound', reason: null, businessDate: '2026-11-27' });
    await worker(h).runDue();
    expect(relay.mails.length).toBe(before);
    const [row] = messages(h);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row?.answer).toMatch(/certificate|self.signed|ESOCKET|ETLS/i);
    // Backoff: 30 s ±20 % after the first failure (the jitter is the middle here).
    expect(Date.parse(row?.next_attempt_at ?? '') - h.clock.now().getTime()).toBe(30_000);
  });

  it('sends neither the login nor the message to a relay that does not offer STARTTLS', async () => {
    const plain = await startSmtpRelay({ dir: simDir, ca, offerStartTls: false });
    try {
      const h = await harness();
      await configure(h, { email: { host: plain.host, port: plain.port, user: plain.user, from: 'notice@bank.example', fromName: '示例银行', caPem: ca.caPem, password: plain.password } });
      const done = await completedRequest(h, 16, { channel: 'email', email: 'sun.li@example.com' });
      outcomeArrived(h.core.context, { applicationId: done.id, outcome: 'unbound', reason: null, businessDate: '2026-11-27' });
      await worker(h).runDue();
      expect(plain.mails).toEqual([]);
      expect(plain.authAttempts).toEqual([]);
      const [row] = messages(h);
      expect(row).toMatchObject({ status: 'pending', attempts: 1 });
      expect(row?.answer).toMatch(/^smtp 500 STARTTLS/);
    } finally {
      await plain.close();
    }
  });

  it('refuses to send a text that would carry the customer\'s name, and hands the customer to a teller', async () => {
    const h = await harness();
    await configure(h);
    const done = await completedRequest(h, 17, { channel: 'email', email: 'he.ping@example.com' });
    // A branch named after the street the customer shares a name with: the name would appear in the text.
    await h.ok('admin', 'settings.update', { branch: { code: '310101', name: `${done.request.applicant.name}路支行`, bankName: '示例银行' } });
    const before = relay.mails.length;
    outcomeArrived(h.core.context, { applicationId: done.id, outcome: 'unbound', reason: null, businessDate: '2026-11-27' });
    await worker(h).runDue();
    expect(relay.mails.length).toBe(before);
    expect(nth(messages(h), 0)).toMatchObject({ status: 'failed', attempts: 1, answer: 'message refused: it would carry personal data' });
    expect(callTasks(h)).toMatchObject([{ cause: 'delivery_failed', status: 'open' }]);
  });

  it('turns a relay refusal (550) into a call task at once, and a 451 into a retry', async () => {
    const h = await harness();
    await configure(h);
    const a = await completedRequest(h, 14, { channel: 'email', email: 'a.customer@example.com' });
    const b = await completedRequest(h, 15, { channel: 'email', email: 'b.customer@example.com' });
    relay.failNext.push(550, 451);
    outcomeArrived(h.core.context, { applicationId: a.id, outcome: 'unbound', reason: null, businessDate: '2026-11-27' });
    outcomeArrived(h.core.context, { applicationId: b.id, outcome: 'unbound', reason: null, businessDate: '2026-11-27' });
    await worker(h).runDue();
    const [first, second] = messages(h);
    expect(first).toMatchObject({ status: 'failed', attempts: 1 });
    expect(first?.answer).toMatch(/^smtp 550/);
    expect(second).toMatchObject({ status: 'pending', attempts: 1 });
    expect(second?.answer).toMatch(/^smtp 451/);
    expect(callTasks(h)).toMatchObject([{ cause: 'delivery_failed', status: 'open', message_id: first?.id, due_date: h.core.context.businessDate() }]);
    h.clock.advanceMinutes(1);
    await worker(h).runDue();
    expect(messages(h)[1]).toMatchObject({ status: 'sent', attempts: 2 });
  });
});

describe('telling the customer by SMS through the bank platform', () => {
  it('survives a 500, a dropped connection, a timeout and a malformed answer, and the phone gets the SMS once', async () => {
    const h = await harness();
    await configure(h);
    const done = await completedRequest(h, 21, { channel: 'sms' });
    const delivered = sms.delivered.length;
    sms.faults.push('http500', 'drop', 'timeout', 'malformed');
    outcomeArrived(h.core.context, { applicationId: done.id, outcome: 'unbound', reason: null, businessDate: '2026-11-27' });
    const w = worker(h, 500);
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) {
      await w.runDue();
      answers.push(nth(messages(h), 0).answer ?? '');
      h.clock.advanceMinutes(10);
    }
    expect(answers[0]).toBe('sms HTTP 500');
    expect(answers[1]).toMatch(/^sms (ECONNRESET|EPIPE)/);
    expect(answers.slice(2, 4)).toEqual(['sms timeout after 500 ms', 'sms malformed answer (HTTP 200)']);
    expect(answers[4]).toMatch(/^sms accepted SIM\d{6}$/);
    expect(messages(h)[0]).toMatchObject({ status: 'sent', attempts: 5 });
    // The malformed answer came after the platform had delivered; the retry carried the same key.
    const mine = sms.delivered.slice(delivered);
    expect(mine).toHaveLength(1);
    expect(nth(mine, 0).to).toBe(done.request.mobile.bound);
    expect(nth(mine, 0).sign).toBe('示例银行');
    expect(nth(mine, 0).text).toContain(`尾号 ${done.request.mobile.bound.slice(-4)}`);
    expect(nth(mine, 0).text).toContain('反诈专线 96110');
    for (const value of personalValues(done.request)) expect(nth(mine, 0).text).not.toContain(value);
  });

  it('lets the message on the wire finish at an ordinary quit: sent once, recorded as sent, no call in doubt', async () => {
    const h = await harness();
    await configure(h);
    const done = await completedRequest(h, 23, { channel: 'sms' });
    const delivered = sms.delivered.length;
    outcomeArrived(h.core.context, { applicationId: done.id, outcome: 'unbound', reason: null, businessDate: '2026-11-27' });
    const requests = sms.requests;
    sms.faults.push('slow');
    h.core.notifications.start(60_000);
    // The quit comes while the SMS is on its way to the platform.
    for (let i = 0; i < 200 && sms.requests === requests; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(sms.requests).toBe(requests + 1);
    await h.core.shutdown();
    const reopened = new Database(join(h.dataDir, DATABASE_FILE), { readonly: true });
    try {
      expect(reopened.prepare('SELECT status, attempts FROM notification_messages').all()).toEqual([{ status: 'sent', attempts: 1 }]);
      expect(reopened.prepare('SELECT count(*) AS n FROM call_tasks').get()).toEqual({ n: 0 });
    } finally {
      reopened.close();
    }
    expect(sms.delivered.length - delivered).toBe(1);
  });

  it('sends to the new number when the customer gave one, and hands a refused number to a teller', async () => {
    const h = await harness();
    await configure(h);
    const done = await completedRequest(h, 22, { channel: 'sms' }, (r) => {
      r.mobile.newMobile = '13912345678';
      r.mobile.newMobileConfirm = '13912345678';
    });
    sms.faults.push('reject');
    outcomeArrived(h.core.context, { applicationId: done.id, outcome: 'unbind_failed', reason: 'identity_mismatch', businessDate: '2026-11-27' });
    await worker(h).runDue();
    expect(messages(h)[0]).toMatchObject({ status: 'failed', attempts: 1, answer: 'sms HTTP 422 blocked_number' });
    expect(callTasks(h)).toMatchObject([{ cause: 'delivery_failed', status: 'open' }]);
    const list = await h.ok('t1', 'notifications.callTasks.list', { scope: 'due' });
    expect(list.tasks).toHaveLength(1);
    expect(nth(list.tasks, 0).script).toContain('申请人信息与收单机构登记的商户信息不一致');
    expect(nth(list.tasks, 0).script).toContain('原手机号目前仍绑定该终端');
    expect(nth(list.tasks, 0).script).not.toContain('13912345678');
    expect(await h.ok('t1', 'notifications.callTasks.dial', { id: nth(list.tasks, 0).id })).toEqual({ id: nth(list.tasks, 0).id, phone: '13912345678' });
  });

  it('after the retries are spent, a teller is asked to call', async () => {
    const h = await harness();
    await configure(h);
    const done = await completedRequest(h, 23, { channel: 'sms' });
    await h.ok('admin', 'notifications.settings.update', { retry: { maxAttempts: 5, baseSeconds: 30, capSeconds: 100 } });
    sms.faults.push('http500', 'http500', 'http500', 'http500', 'http500');
    outcomeArrived(h.core.context, { applicationId: done.id, outcome: 'unbound', reason: null, businessDate: '2026-11-27' });
    const w = worker(h, 500);
    const gaps: number[] = [];
    for (let i = 0; i < 5; i++) {
      await w.runDue();
      const row = nth(messages(h), 0);
      if (row.next_attempt_at) gaps.push((Date.parse(row.next_attempt_at) - h.clock.now().getTime()) / 1000);
      h.clock.advanceMinutes(15);
    }
    // 30 s, 60 s, then the cap (100 s): capped backoff.
    expect(gaps).toEqual([30, 60, 100, 100]);
    expect(messages(h)[0]).toMatchObject({ status: 'failed', attempts: 5, answer: 'sms HTTP 500' });
    expect(callTasks(h)).toMatchObject([{ cause: 'delivery_failed', status: 'open' }]);
    expect(auditText(h)).toContain('notification.failed');
  });
});

describe('never the same outcome twice', () => {
  it('keeps one message per request and outcome across a restart, and an in-doubt send is settled safely', async () => {
    const dir = tempDir();
    let h = await harness(dir);
    await configure(h);
    const bySms = await completedRequest(h, 31, { channel: 'sms' });
    const byMail = await completedRequest(h, 32, { channel: 'email', email: 'chen.jie@example.com' });
    for (let i = 0; i < 2; i++) {
      outcomeArrived(h.core.context, { applicationId: bySms.id, outcome: 'unbound', reason: null, businessDate: '2026-11-27' });
      outcomeArrived(h.core.context, { applicationId: byMail.id, outcome: 'unbound', reason: null, businessDate: '2026-11-27' });
    }
    expect(messages(h)).toHaveLength(2);
    // The SMS reaches the phone but its answer is lost (malformed); the e-mail is refused for now (451).
    const smsBefore = sms.delivered.length;
    const mailsBefore = relay.mails.length;
    sms.faults.push('malformed');
    relay.failNext.push(451);
    await worker(h).runDue();
    expect(sms.delivered.length).toBe(smsBefore + 1);
    expect(messages(h).map((m) => m.status)).toEqual(['pending', 'pending']);
    // Then a crash while both retries were on the wire leaves them 'sending'.
    h.core.db.prepare("UPDATE notification_messages SET status = 'sending', attempts = 2").run();
    close(h);
    h = await harness(dir, { setup: false });
    const again = outcomeArrived(h.core.context, { applicationId: bySms.id, outcome: 'unbound', reason: null, businessDate: '2026-11-28' });
    expect(again.created).toBe(false);
    const w = worker(h);
    w.recover();
    await w.runDue();
    const [smsRow, mailRow] = messages(h);
    expect(smsRow).toMatchObject({ status: 'sent', attempts: 3 });
    expect(sms.delivered.length).toBe(smsBefore + 1);
    // The e-mail may have left before the crash: not sent again, a teller calls instead.
    expect(mailRow).toMatchObject({ status: 'failed', answer: 'in doubt after a restart: not sent again' });
    expect(relay.mails.length).toBe(mailsBefore);
    expect(callTasks(h)).toMatchObject([{ cause: 'delivery_failed', message_id: mailRow?.id }]);
    // A later outcome for the same request (failed, then unbound) is a different message.
    outcomeArrived(h.core.context, { applicationId: bySms.id, outcome: 'unbind_failed', reason: null, businessDate: '2026-11-28' });
    expect(messages(h)).toHaveLength(3);
  });
});

describe('a worker killed while an SMS is on the wire', () => {
  it('sends it again after the restart with the same key: the phone gets it once, the log says sent', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    let h = await harness(dir);
    await configure(h);
    const done = await completedRequest(h, 35, { channel: 'sms' });
    outcomeArrived(h.core.context, { applicationId: done.id, outcome: 'unbound', reason: null, businessDate: '2026-11-27' });
    close(h);
    const before = sms.requests;
    const delivered = sms.delivered.length;
    sms.faults.push('deliverThenHang');
    // The child sends; the platform delivers and keeps quiet; the child is killed while it waits for the answer.
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/notifyWorker.ts', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await expect.poll(() => sms.requests, { timeout: 30_000, interval: 50 }).toBe(before + 1);
    const killed = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGKILL');
    expect(await killed, output).toBe('SIGKILL');
    expect(output).not.toContain('DONE');
    expect(sms.delivered.length).toBe(delivered + 1);

    h = await harness(dir, { setup: false });
    expect(nth(messages(h), 0)).toMatchObject({ status: 'sending', attempts: 1 });
    const w = worker(h);
    w.recover();
    await w.runDue();
    expect(nth(messages(h), 0)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(nth(messages(h), 0).answer).toMatch(/^sms accepted SIM\d{6}$/);
    expect(sms.requests).toBe(before + 2);
    expect(sms.delivered.length).toBe(delivered + 1);
  });
});

describe('call tasks for the tellers', () => {
  it('makes a task for the phone channel; no answer moves it to the next business day up to the limit', async () => {
    const h = await harness();
    await configure(h, { calls: { maxAttempts: 2 } });
    const done = await completedRequest(h, 41, { channel: 'phone' });
    outcomeArrived(h.core.context, { applicationId: done.id, outcome: 'unbound', reason: null, businessDate: h.core.context.businessDate() });
    expect(messages(h)[0]).toMatchObject({ channel: 'phone', status: 'phone' });
    const today = h.core.context.businessDate();
    const due = await h.ok('t1', 'notifications.callTasks.list', { scope: 'due' });
    expect(due.tasks).toMatchObject([{ applicationNumber: done.number, cause: 'phone_channel', status: 'open', dueDate: today, attempts: 0, maxAttempts: 2 }]);
    expect(nth(due.tasks, 0).mobileMasked).toMatch(/^\d{3}\*{4}\d{4}$/);
    const id = nth(due.tasks, 0).id;
    const first = await h.ok('t1', 'notifications.callTasks.record', { id, result: 'no_answer' });
    expect(first).toMatchObject({ status: 'open', attempts: 1, lastResult: 'no_answer', dueDate: '2026-11-26' });
    expect((await h.ok('t1', 'notifications.callTasks.list', { scope: 'due' })).tasks).toEqual([]);
    expect((await h.ok('t1', 'notifications.callTasks.list', { scope: 'open' })).tasks).toHaveLength(1);
    h.clock.set('2026-11-26T02:00:00Z');
    // A day later the sessions have locked: T002 logs in afresh.
    await h.ok('t2b', 'auth.login', { employeeNo: 'T002', password: PASSWORDS.teller2 });
    const next = await h.ok('t2b', 'notifications.callTasks.list', { scope: 'due' });
    expect(next.businessDate).toBe('2026-11-26');
    expect(next.tasks.map((t) => t.id)).toEqual([id]);
    const last = await h.ok('t2b', 'notifications.callTasks.record', { id, result: 'no_answer' });
    expect(last).toMatchObject({ status: 'gave_up', attempts: 2 });
    expect(await h.call('t2b', 'notifications.callTasks.record', { id, result: 'reached' })).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.any(String) } });
    const audit = auditText(h);
    expect(audit.match(/call_task\.recorded/g)).toHaveLength(2);
    for (const value of personalValues(done.request)) expect(audit).not.toContain(value);
    // The new rows are part of the keyed chain and leave the request's own status as it was.
    await h.ok('admin2', 'auth.login', { employeeNo: 'A001', password: PASSWORDS.admin });
    expect(await h.ok('admin2', 'audit.verify', {})).toMatchObject({ ok: true, differences: [] });
  });

  it('closes a task when the customer is reached, has a wrong number or asks not to be called', async () => {
    const h = await harness();
    await configure(h);
    const ids: number[] = [];
    for (const seed of [42, 43, 44]) {
      const done = await completedRequest(h, seed, { channel: 'phone' });
      outcomeArrived(h.core.context, { applicationId: done.id, outcome: 'unbound', reason: null, businessDate: h.core.context.businessDate() });
    }
    for (const t of (await h.ok('t1', 'notifications.callTasks.list', { scope: 'due' })).tasks) ids.push(t.id);
    const results = ['reached', 'wrong_number', 'declined'] as const;
    for (const [i, result] of results.entries()) expect(await h.ok('t1', 'notifications.callTasks.record', { id: nth(ids, i), result })).toMatchObject({ status: result, attempts: 1 });
    expect((await h.ok('t1', 'notifications.callTasks.list', { scope: 'open' })).tasks).toEqual([]);
    expect(messages(h)[0]).toMatchObject({ status: 'sent', answer: 'call reached' });
    expect(await h.call('t1', 'notifications.callTasks.record', { id: nth(ids, 0), result: 'bogus' as never })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await h.call('t1', 'notifications.callTasks.dial', { id: nth(ids, 0) })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });
});

describe('notification settings', () => {
  it('accepts https only, never returns the secrets, keeps them sealed, and is for the admin alone', async () => {
    const h = await harness();
    const http = await h.call('admin', 'notifications.settings.update', { sms: { url: 'http://sms.bank.example/v1/sms', signName: '示例银行', caPem: null, token: 'secret-token-1' } });
    expect(http).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { 'sms.url': 'notifications.sms_https_only' } } });
    const bad = await h.call('admin', 'notifications.settings.update', { email: { host: 'relay bank', port: 70000, user: 'u', from: 'nobody', fromName: 'x', caPem: 'not a pem', password: 'p' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await h.call('t1', 'notifications.settings.update', { hotline: '95588' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const view = await configure(h);
    expect(view.email).toMatchObject({ host: relay.host, passwordSet: true });
    expect(view.sms).toMatchObject({ url: sms.url, tokenSet: true });
    expect(JSON.stringify(view)).not.toContain(relay.password);
    const raw = JSON.stringify(h.core.db.prepare("SELECT value_json FROM settings WHERE key = 'notifications'").get());
    expect(raw).not.toContain(relay.password);
    expect(raw).not.toContain(sms.token);
    // Changing the host without a password keeps the sealed one.
    const kept = await h.ok('admin', 'notifications.settings.update', { email: { host: relay.host, port: relay.port, user: relay.user, from: 'notice@bank.example', fromName: '示例银行', caPem: ca.caPem } });
    expect(kept.email?.passwordSet).toBe(true);
    expect(auditText(h) + JSON.stringify(h.core.db.prepare("SELECT details FROM audit_log WHERE action = 'notifications.settings_updated'").all())).not.toContain(relay.password);
  });
});
