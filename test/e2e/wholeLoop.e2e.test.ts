import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { syntheticRandom, type ApplicationFormValues } from '../../shared';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { verifyReceipt } from '../../electron/core/receipts/receiptVerification';
import { plainReason } from '../../electron/core/notifications/templates';
import { makeTestCa, startSmsPlatform, type SmsPlatform } from '../../electron/preview/notificationSims';
import { SIM_FAILURE_REASONS } from '../../electron/preview/acquirerSim';
import { openHarness, PASSWORDS } from '../support/coreHarness';
import { startPreview, type RunningPreview } from '../support/preview';
import { useDeskSuite } from './deskSuite';
import { allowKeyedOnlineCheck, callCore } from './coreOverBridge';
import { ADMIN, eventually, installationPublicKey, keyRequest, login, openDesk, settle, signAndDownloadSlip, statusOnScreen, withoutToasts } from './counterDesk';

const suite = useDeskSuite();

/** The acquirer decides 5 s after it takes a request and is asked every 2 s: room for a loaded machine. */
function decided<T>(read: () => Promise<T> | T) {
  return expect.poll(read, { timeout: 40_000, interval: 200 });
}

/** A walk-in at the counter: F2, the form keyed by hand, the customer's signature, the slip as a PDF, 办结. */
async function walkIn(page: Page, request: ApplicationFormValues, dataDir: string, slipName: string): Promise<{ number: string; ticket: string }> {
  await page.getByTestId('board-list').waitFor();
  const before = await page.locator('.board-row').count();
  await page.keyboard.press('F2');
  await eventually(() => page.locator('.board-row').count()).toBe(before + 1);
  const ticket = await page.locator('.board-row').last().getAttribute('data-ticket');
  if (!ticket) throw new Error('no ticket on the board');
  await eventually(() => page.locator('.board-row-selected').getAttribute('data-ticket')).toBe(ticket);
  await page.getByTestId('board-list').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('start-review').waitFor();
  await page.keyboard.press('Enter');
  await page.locator('#f-applicant-documentNumber').waitFor();
  await keyRequest(page, request, { submit: false });
  await eventually(() => page.getByTestId('authorization-banner').textContent()).toContain('无需主管授权');
  await page.getByTestId('form-submit').click();
  await eventually(() => statusOnScreen(page)).toBe('approved');
  const slipFile = await signAndDownloadSlip(page, slipName);
  expect(verifyReceipt(readFileSync(slipFile), installationPublicKey(dataDir)).ok).toBe(true);
  await page.getByTestId('slip-done').click();
  // The counter's part is done; the acquirer may already have taken it when the screen reloaded after the slip.
  await eventually(() => statusOnScreen(page)).toMatch(/^(completed|forwarded)$/);
  const number = (await page.locator('.application-header .screen-subtitle').textContent())?.trim();
  if (!number) throw new Error('no application number on the detail');
  await page.getByRole('button', { name: '返回看板' }).click();
  await page.getByTestId('board-list').waitFor();
  return { number, ticket };
}

/** F3 with the application number, then the request's detail. */
async function openByNumber(page: Page, number: string): Promise<void> {
  await page.keyboard.press('F3');
  await page.keyboard.type(number);
  await page.keyboard.press('Enter');
  await eventually(() => page.locator('.board-row').count()).toBe(1);
  await page.locator('.board-row').first().dblclick();
  await page.getByTestId('history').waitFor();
}

describe('the whole loop in Chromium: counter → acquirer → customer told', () => {
  it('two walk-ins (SMS and phone) go to the acquirer; 已解绑 and 解绑失败 on the board; the SMS arrives masked; the call is recorded by keyboard', { timeout: 120_000 }, async () => {
    const dataDir = suite.tempDir();
    // The branch and its accounts; two tickets taken earlier, so the walk-ins are tickets 0003 and 0004
    // (the preview's acquirer fails every fourth ticket).
    const h = await openHarness(dataDir, { now: new Date().toISOString() });
    await h.ok('t1', 'applications.register', {});
    await h.ok('t1', 'applications.register', {});
    h.core.close();

    // The bank's SMS platform, in this process so the test reads what it received (TLS, a throwaway CA).
    const smsDir = suite.tempDir();
    const sms: SmsPlatform = await startSmsPlatform({ dir: smsDir, ca: await makeTestCa(smsDir) });
    let preview: RunningPreview | null = null;
    try {
      preview = await startPreview(dataDir, ['--acquirer-sim', '--reader-sim']);
      await allowKeyedOnlineCheck(preview);
      // The admin points the SMS settings at this platform (the preview's own sims were set first).
      await callCore(preview, 'admin', 'auth.login', { employeeNo: ADMIN.employeeNo, password: PASSWORDS.admin });
      await callCore(preview, 'admin', 'notifications.settings.update', { hotline: '95588', sms: { url: sms.url, signName: '示例银行', caPem: sms.caPem, token: sms.token } });
      await callCore(preview, 'admin', 'auth.logout', {});

      const desk = await openDesk(suite.browser, preview.url);
      const { page } = desk;
      await login(page, 'T001', PASSWORDS.teller);
      await page.getByTestId('board-list').waitFor();
      const businessDate = (await page.getByTestId('business-date').textContent())?.slice(-10) ?? '';
      const base = (seed: number) => makeDemoRequest(syntheticRandom(seed), businessDate, 'plain');
      const phoneRequest = { ...base(2026), notification: { channel: 'phone' } } as ApplicationFormValues;
      const smsRequest = { ...base(2031), notification: { channel: 'sms' } } as ApplicationFormValues;
      expect(phoneRequest.mobile.bound).not.toBe(smsRequest.mobile.bound);

      const phone = await walkIn(page, phoneRequest, dataDir, 'whole-loop-slip-phone.pdf');
      const text = await walkIn(page, smsRequest, dataDir, 'whole-loop-slip-sms.pdf');
      const [phoneNumber, smsNumber] = [phone.number, text.number];
      expect(phoneNumber.slice(-4)).toBe('0003');
      expect(smsNumber.slice(-4)).toBe('0004');

      // The board: the acquirer takes both and decides them (0003 unbound, 0004 failed with its reason).
      await page.locator('[data-filter="all"]').click();
      const tag = (ticket: string) => page.locator(`[data-ticket="${ticket}"] .status-tag`);
      await decided(() => tag(phone.ticket).getAttribute('data-status')).toBe('unbound');
      await decided(() => tag(text.ticket).getAttribute('data-status')).toBe('unbind_failed');
      expect(await tag(phone.ticket).textContent()).toBe('已解绑');
      expect(await tag(text.ticket).textContent()).toBe('解绑失败');
      await withoutToasts(page);
      await desk.shot('whole-loop-board');

      // The SMS customer's message reached the platform: the tail of the number, 96110, the bank's words for
      // the reason (ticket 0004's is the code unsettled_transactions; its code never shows), no number, no name.
      await decided(() => sms.delivered.length).toBe(1);
      const [message] = sms.delivered;
      if (!message) throw new Error('no SMS');
      expect(message.to).toBe(smsRequest.mobile.bound);
      expect(message.text).toContain(`尾号 ${smsRequest.mobile.bound.slice(-4)}`);
      expect(message.text).toContain('96110');
      expect(message.text).toContain(smsNumber);
      expect(message.text).toContain('收单机构未能办理');
      expect(message.text).toContain(`原因：${plainReason('unsettled_transactions', 'zh-CN')}。`);
      for (const acquirerWords of SIM_FAILURE_REASONS) expect(message.text).not.toContain(acquirerWords);
      expect(message.text).not.toContain(smsRequest.mobile.bound);
      expect(message.text).not.toContain(smsRequest.applicant.name);
      expect(message.text).not.toContain(smsRequest.applicant.documentNumber);
      expect(message.text).not.toMatch(/1\d{10}/);
      // The phone customer got no SMS: a call instead.
      expect(sms.delivered.some((m) => m.to === phoneRequest.mobile.bound)).toBe(false);

      // 回访电话 (F7): the phone customer's task; the teller reads the script and records 1 (reached) by keyboard.
      // (The badge counts again on each screen change and every minute: F7 is one.)
      await page.keyboard.press('F7');
      await page.getByTestId('calls-screen').waitFor();
      await eventually(() => page.locator('button[data-call-task]').count()).toBe(1);
      await eventually(() => page.getByTestId('nav-calls-due').textContent()).toBe('1');
      await eventually(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(`call-task-${phoneNumber}`);
      const row = (await page.locator('tr', { has: page.getByTestId(`call-task-${phoneNumber}`) }).textContent()) ?? '';
      expect(row).not.toContain(phoneRequest.mobile.bound);
      await page.keyboard.press('Enter');
      await page.getByTestId('call-dialog').waitFor();
      const script = (await page.getByTestId('call-script').textContent()) ?? '';
      expect(script).toContain('已由收单机构办理完成');
      expect(script).toContain('96110');
      expect(script).not.toContain(phoneRequest.mobile.bound);
      await settle(page); // the dialog's opening animation, for the picture
      await desk.shot('whole-loop-call');
      await page.keyboard.press('1');
      await eventually(() => page.getByTestId('call-dialog').count()).toBe(0);
      await page.getByText('今日没有待拨的回访电话').waitFor();
      await eventually(() => page.getByTestId('nav-calls-due').count()).toBe(0);

      // Each request's history tells its part: the message sent, the call made and its result.
      await page.keyboard.press('Escape');
      await openByNumber(page, smsNumber);
      await eventually(() => page.getByTestId('history').textContent()).toContain('结果通知已发送');
      const smsHistory = (await page.getByTestId('history').textContent()) ?? '';
      expect(smsHistory).toContain('已转收单机构 → 解绑失败');
      expect(smsHistory).not.toContain(smsRequest.mobile.bound);
      await page.getByTestId('history').scrollIntoViewIfNeeded();
      await desk.shot('whole-loop-sms-history');
      await page.getByRole('button', { name: '返回看板' }).click();
      await page.getByRole('button', { name: '清除搜索' }).click();
      await openByNumber(page, phoneNumber);
      await eventually(() => page.getByTestId('history').textContent()).toContain('登记回访结果');
      const phoneHistory = (await page.getByTestId('history').textContent()) ?? '';
      expect(phoneHistory).toContain('已转收单机构 → 已解绑');
      expect(phoneHistory).toContain('生成回访电话');
      expect(phoneHistory).toContain('结果：已接通');
      expect(phoneHistory).not.toContain(phoneRequest.mobile.bound);
      await page.getByTestId('history').scrollIntoViewIfNeeded();
      await desk.shot('whole-loop-call-history');

      // What the core recorded, over the bridge.
      await callCore(preview, 'check', 'auth.login', { employeeNo: 'T002', password: PASSWORDS.teller2 });
      const { tasks } = await callCore(preview, 'check', 'notifications.callTasks.list', { scope: 'all' });
      expect(tasks.map((task) => [task.applicationNumber, task.status, task.lastResult])).toEqual([[phoneNumber, 'reached', 'reached']]);
      expect(desk.errors).toEqual([]);
    } finally {
      await preview?.stop();
      await sms.close();
    }
  });
});
