import { describe, expect, it } from 'vitest';
import { openHarness, PASSWORDS } from '../support/coreHarness';
import { completedRequest } from '../support/notificationHarness';
import { outcomeArrived } from '../../electron/core/notifications/notificationService';
import { useDeskSuite } from './deskSuite';
import { eventually, login, openDesk, TELLER } from './counterDesk';
import { callCore } from './coreOverBridge';

const suite = useDeskSuite();

describe('a teller calls customers about the acquirer outcome', () => {
  it('finds the due calls with F7, reads the script, and records no answer and reached by keyboard', { timeout: 120_000 }, async () => {
    // Two completed requests whose customers asked for a call, with their outcomes arrived (the real core on the data folder).
    const dataDir = suite.tempDir();
    const h = await openHarness(dataDir);
    const first = await completedRequest(h, 51, { channel: 'phone' });
    const second = await completedRequest(h, 52, { channel: 'phone', language: 'en' });
    h.core.db.transaction(() => {
      outcomeArrived(h.core.context, { applicationId: first.id, outcome: 'unbind_failed', reason: 'terminal_frozen', businessDate: '2026-11-25' });
      outcomeArrived(h.core.context, { applicationId: second.id, outcome: 'unbound', reason: null, businessDate: '2026-11-25' });
    })();
    h.core.close();

    const preview = await suite.startPreview(dataDir);
    const desk = await openDesk(suite.browser, preview.url);
    const { page } = desk;
    await login(page, TELLER.employeeNo, PASSWORDS.teller);
    await page.locator('[data-testid=board-list]').waitFor();
    await eventually(() => page.getByTestId('nav-calls').textContent()).toContain('回访电话');
    await eventually(() => page.getByTestId('nav-calls-due').textContent()).toBe('2');

    await page.keyboard.press('F7');
    await page.getByTestId('calls-screen').waitFor();
    await eventually(() => page.locator('button[data-call-task]').count()).toBe(2);
    // The first task's button has the keyboard; ↓ moves to the second, ↑ back.
    await eventually(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(`call-task-${first.number}`);
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(`call-task-${second.number}`);
    await page.keyboard.press('ArrowUp');
    const firstRow = await page.locator('tr', { has: page.getByTestId(`call-task-${first.number}`) }).textContent();
    expect(firstRow).toContain(`${first.request.mobile.bound.slice(0, 3)}****${first.request.mobile.bound.slice(7)}`);
    expect(firstRow).not.toContain(first.request.mobile.bound);
    expect(firstRow).toContain('解绑未成功');
    await page.keyboard.press('Enter');
    await page.getByTestId('call-dialog').waitFor();
    const script = (await page.getByTestId('call-script').textContent()) ?? '';
    expect(script).toContain('该终端已被冻结，须先解除冻结');
    expect(script).toContain('反诈专线 96110');
    expect(script).not.toContain(first.request.mobile.bound);
    // The full number only on asking (audited).
    expect(await page.getByTestId('call-phone').textContent()).not.toContain(first.request.mobile.bound);
    await page.getByTestId('call-dial').click();
    await eventually(() => page.getByTestId('call-phone').textContent()).toBe(first.request.mobile.bound);
    await desk.shot('call-task-dialog');
    // 2: no answer — the task moves to the next business day and leaves today's list.
    await page.getByTestId('call-result-reached').focus();
    await page.keyboard.press('2');
    await eventually(() => page.getByTestId('call-dialog').count()).toBe(0);
    await eventually(() => page.locator('button[data-call-task]').count()).toBe(1);

    // The English customer's script is in English; 1: reached.
    await eventually(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(`call-task-${second.number}`);
    await page.keyboard.press('Enter');
    await page.getByTestId('call-dialog').waitFor();
    expect(await page.getByTestId('call-script').textContent()).toContain('has been completed by the acquirer');
    await page.keyboard.press('1');
    await eventually(() => page.getByTestId('call-dialog').count()).toBe(0);
    await page.getByText('今日没有待拨的回访电话').waitFor();
    // Nothing is due any more: the badge on 回访电话 is gone.
    await eventually(() => page.getByTestId('nav-calls-due').count()).toBe(0);
    await desk.shot('call-tasks-empty');

    // All open: the unanswered one, due the next business day.
    await page.getByText('全部未完成').click();
    await eventually(() => page.locator('button[data-call-task]').count()).toBe(1);
    const retryRow = (await page.getByTestId('calls-screen').locator('tbody tr').first().textContent()) ?? '';
    expect(retryRow).toContain('待再拨（上次：无人接听）');
    await page.waitForTimeout(400); // the filter's slide and the toasts settle for the picture
    await desk.shot('call-tasks-open');

    // The request's own history (办理记录) tells the story, without the number.
    await page.keyboard.press('Escape');
    await page.keyboard.press('F3');
    await page.keyboard.type(first.number);
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('.board-row').count()).toBe(1);
    await page.locator('.board-row').first().dblclick();
    const history = page.getByTestId('history');
    await history.waitFor();
    await eventually(() => history.textContent()).toContain('登记回访结果');
    const told = (await history.textContent()) ?? '';
    expect(told).toContain('生成回访电话');
    expect(told).toContain('查看回访号码');
    expect(told).toContain('结果：无人接听');
    expect(told).not.toContain(first.request.mobile.bound);
    await history.scrollIntoViewIfNeeded();
    await desk.shot('call-history');

    // What the core recorded, read over the bridge.
    await callCore(preview, 'check', 'auth.login', { employeeNo: 'T002', password: PASSWORDS.teller2 });
    const all = await callCore(preview, 'check', 'notifications.callTasks.list', { scope: 'all' });
    const byNumber = new Map(all.tasks.map((task) => [task.applicationNumber, task]));
    expect(byNumber.get(first.number)).toMatchObject({ status: 'open', attempts: 1, lastResult: 'no_answer' });
    expect(byNumber.get(first.number)?.dueDate).not.toBe(all.businessDate);
    expect(byNumber.get(second.number)).toMatchObject({ status: 'reached', attempts: 1, lastResult: 'reached' });
    expect(desk.errors).toEqual([]);
  });
});
