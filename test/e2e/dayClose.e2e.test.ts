import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syntheticRandom } from '../../shared';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { verifyDayBundle } from '../../electron/core/dayclose/bundleVerification';
import type { RunningPreview } from '../support/preview';
import { useDeskSuite } from './deskSuite';
import { ADMIN, BRANCH, confirmWithEnter, eventually, layoutProblems, login, logout, openDesk, settle, SHOTS, withoutToasts, TELLER, SUPERVISOR } from './counterDesk';
import { callCore, setUpBranchOverBridge } from './coreOverBridge';

const suite = useDeskSuite();

const SECOND_SUPERVISOR = { employeeNo: 'S002', name: '钱主管', first: 'Granite-Moth-52', own: 'Willow-Spark-63' };

/** The bridge's session key for one employee's calls from the test, like their own browser tab. */
const tab = (employeeNo: string) => `dayclose-tab-${employeeNo}`;

/** The accounts, over the bridge, each with its first password already changed. */
async function openAccounts(running: RunningPreview): Promise<void> {
  await callCore(running, tab(ADMIN.employeeNo), 'auth.login', { employeeNo: ADMIN.employeeNo, password: ADMIN.password });
  const accounts = [
    { ...TELLER, role: 'teller' as const },
    { ...SUPERVISOR, role: 'supervisor' as const },
    { ...SECOND_SUPERVISOR, role: 'supervisor' as const },
  ];
  for (const account of accounts) {
    await callCore(running, tab(ADMIN.employeeNo), 'tellers.create', { employeeNo: account.employeeNo, name: account.name, role: account.role, password: account.first });
    await callCore(running, tab(account.employeeNo), 'auth.login', { employeeNo: account.employeeNo, password: account.first });
    await callCore(running, tab(account.employeeNo), 'auth.changePassword', { current: account.first, next: account.own });
  }
}

describe('end of day (日终) on the supervisor’s screen', () => {
  it('carries over and cancels what is open, closes the day, and exports a bundle that verifies', async () => {
    const preview = await suite.startPreview();
    await setUpBranchOverBridge(preview);
    await openAccounts(preview);

    // The teller's day: one walk-in still waiting, one request approved, one waiting for a supervisor.
    const teller = tab(TELLER.employeeNo);
    const { businessDate } = await callCore(preview, teller, 'system.info', {});
    const waiting = await callCore(preview, teller, 'applications.register', { channel: 'counter' });
    const plain = await callCore(preview, teller, 'applications.register', { channel: 'counter' });
    const plainStarted = await callCore(preview, teller, 'applications.startReview', { id: plain.id, version: plain.version });
    const approved = await callCore(preview, teller, 'applications.submit', { id: plain.id, version: plainStarted.version, request: makeDemoRequest(syntheticRandom(7), businessDate, 'plain') });
    expect(approved.status).toBe('approved');
    const exception = await callCore(preview, teller, 'applications.register', { channel: 'counter' });
    const exceptionStarted = await callCore(preview, teller, 'applications.startReview', { id: exception.id, version: exception.version });
    // Her surname 𠮷 is not in the report's font: the report prints '?' for it and the screen says so.
    const exceptionRequest = makeDemoRequest(syntheticRandom(8), businessDate, 'exception');
    const pending = await callCore(preview, teller, 'applications.submit', {
      id: exception.id,
      version: exceptionStarted.version,
      request: { ...exceptionRequest, applicant: { ...exceptionRequest.applicant, name: `𠮷${exceptionRequest.applicant.name.slice(1)}` } },
    });
    expect(pending.status).toBe('pending_authorization');

    const desk = await openDesk(suite.browser, preview.url);
    const { page } = desk;

    // A teller has no day-close button. The board's 待办 lists the approved request: its slip is not printed yet.
    await login(page, TELLER.employeeNo, TELLER.own);
    await page.locator('[data-testid=board-list]').waitFor();
    expect(await page.getByTestId('nav-dayclose').count()).toBe(0);
    expect(await page.locator('.board-filter[data-filter=open]').getAttribute('aria-selected')).toBe('true');
    await eventually(() => page.locator(`[data-testid=board-list] [data-ticket="${approved.ticketNo}"]`).count()).toBe(1);
    expect(await page.locator('.board-filter[data-filter=open] .board-filter-count').textContent()).toBe('3');
    await logout(page);

    await login(page, SUPERVISOR.employeeNo, SUPERVISOR.own);
    // Told at login: since a supervisor last looked, the admin made another supervisor account.
    await eventually(() => page.getByTestId('account-notices').textContent()).toContain('管理员（A001） 新建了主管账户 钱主管（S002）');
    await page.getByTestId('nav-dayclose').click();
    await page.getByTestId('dayclose-screen').waitFor();
    await eventually(() => page.getByTestId('dayclose-date').textContent()).toBe(businessDate);
    expect(await page.getByTestId('dayclose-status').getAttribute('data-status')).toBe('open');
    const rows = page.locator('[data-testid=dayclose-open-items] tbody tr[data-ticket]');
    await eventually(() => rows.count()).toBe(3);
    expect(await page.locator(`tr[data-ticket="${waiting.ticketNo}"]`).getAttribute('data-status')).toBe('waiting');
    expect(await page.locator(`tr[data-ticket="${approved.ticketNo}"]`).getAttribute('data-status')).toBe('approved');
    expect(await page.getByTestId(`cancel-${approved.ticketNo}`).textContent()).toContain('需主管授权');
    expect(await page.locator(`tr[data-ticket="${pending.ticketNo}"]`).getAttribute('data-status')).toBe('pending_authorization');
    // Masked only: the applicant's full name never shows.
    expect(await page.getByTestId('dayclose-open-items').textContent()).not.toContain(makeDemoRequest(syntheticRandom(8), businessDate, 'exception').applicant.name);

    // The day cannot close while anything is open, and the screen says why.
    expect(await page.getByTestId('dayclose-close').isDisabled()).toBe(true);
    expect(await page.getByTestId('dayclose-close-why').textContent()).toContain('尚有 3 笔申请未办结');
    // The core refuses it too, naming the open requests.
    await callCore(preview, tab(SUPERVISOR.employeeNo), 'auth.login', { employeeNo: SUPERVISOR.employeeNo, password: SUPERVISOR.own });
    await expect(callCore(preview, tab(SUPERVISOR.employeeNo), 'dayclose.close', { businessDate })).rejects.toThrow(/dayclose\.open_items/);
    expect(await layoutProblems(page)).toEqual([]);
    await withoutToasts(page);
    await desk.shot('day-close-open-zh-CN');

    // The waiting walk-in moves to the next business day, from the keyboard.
    await page.getByTestId(`carry-over-${waiting.ticketNo}`).focus();
    await page.keyboard.press('Enter');
    await confirmWithEnter(page, '确认顺延');
    // The core's answer as the screen shows it: a refusal would read here instead, and say why.
    await eventually(() => page.locator('.ant-message-notice').first().textContent()).toBe(`申请 ${waiting.number} 已顺延至下一营业日`);
    await eventually(() => rows.count()).toBe(2);
    // So does the approved one: the customer signs and takes the slip on the next business day.
    await withoutToasts(page);
    await page.getByTestId(`carry-over-${approved.ticketNo}`).focus();
    await page.keyboard.press('Enter');
    await confirmWithEnter(page, '确认顺延');
    await eventually(() => page.locator('.ant-message-notice').first().textContent()).toBe(`申请 ${approved.number} 已顺延至下一营业日`);
    await eventually(() => rows.count()).toBe(1);

    // The request waiting for a supervisor is cancelled with another supervisor's grant.
    await page.getByTestId(`cancel-${pending.ticketNo}`).click();
    await page.getByTestId('grant-dialog').waitFor();
    // The same reason picker as the request screen, with 客户离开 chosen for a customer who left.
    expect(await page.locator('#dayclose-cancel-reason input[value=customer_left]').isChecked()).toBe(true);
    await page.locator('#dayclose-cancel-reason label:has(input[value=customer_withdrew])').click();
    await eventually(() => page.locator('#dayclose-cancel-reason input[value=customer_withdrew]').isChecked()).toBe(true);
    await desk.shot('day-close-cancel-zh-CN');
    await page.locator('#grant-employeeNo').fill(SECOND_SUPERVISOR.employeeNo);
    await page.locator('#grant-password').fill(SECOND_SUPERVISOR.own);
    await page.getByTestId('grant-confirm').click();
    await page.getByTestId('grant-dialog').waitFor({ state: 'detached' });
    await page.getByTestId('dayclose-no-open-items').waitFor();
    expect(await rows.count()).toBe(0);
    await eventually(() => page.getByTestId('dayclose-carried-over').textContent()).toBe('2');
    expect(await page.locator('[data-testid=dayclose-counts] [data-status=cancelled] strong').textContent()).toBe('1');
    const cancelled = await callCore(preview, tab(SUPERVISOR.employeeNo), 'applications.get', { id: pending.id });
    expect(cancelled.outcomeReason).toBe('customer_withdrew');
    expect(await page.locator('[data-testid=dayclose-counts] [data-status=approved] strong').textContent()).toBe('0');

    // Closing: a confirmation, then the day is closed and the desk's business date moves on.
    expect(await page.getByTestId('dayclose-close').isEnabled()).toBe(true);
    await page.getByTestId('dayclose-close').click();
    await confirmWithEnter(page, '确认日终');
    await eventually(() => page.getByTestId('dayclose-status').getAttribute('data-status')).toBe('closed');
    expect(await page.getByTestId('dayclose-date').textContent()).toBe(businessDate);
    expect(await page.getByTestId('dayclose-header').textContent()).toContain(`${SUPERVISOR.employeeNo} 于`);
    const { businessDate: nextDate } = await callCore(preview, tab(SUPERVISOR.employeeNo), 'system.info', {});
    expect(nextDate > businessDate).toBe(true);
    await eventually(() => page.getByTestId('business-date').textContent()).toContain(nextDate);

    // Export: the bundle's folder and each file with its size and hash.
    await page.getByTestId('dayclose-export-button').click();
    await page.getByTestId('dayclose-export-dir').waitFor();
    const dir = (await page.getByTestId('dayclose-export-dir').textContent()) ?? '';
    // Bundle folders carry the branch code, the desk and the date: `<branch>_<desk>_<YYYYMMDD>_<batch>`.
    expect(dir).toContain(`${BRANCH.code}_${BRANCH.desk}_${businessDate.replaceAll('-', '')}`);
    const files = page.locator('[data-testid=dayclose-export-files] tbody tr.ant-table-row');
    // Every file the folder holds is listed, manifest.json included: 文件数 is what the supervisor finds there.
    expect(await files.count()).toBe(readdirSync(dir).length);
    expect(readdirSync(dir).sort()).toEqual(['applications.csv', 'applications.xlsx', 'manifest.json', 'outcomes.csv', 'report.pdf']);
    // The bundle is the owner's alone.
    expect((statSync(dir).mode & 0o777).toString(8)).toBe('700');
    expect(await page.getByTestId('dayclose-export-files').textContent()).toMatch(/[0-9a-f]{8}…[0-9a-f]{8}/);
    const verified = await verifyDayBundle(dir);
    expect(verified.ok, JSON.stringify(verified)).toBe(true);
    expect(await page.getByTestId('dayclose-export-warning').textContent()).toContain('“?”');
    expect(execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', join(dir, 'report.pdf'), '-'], { encoding: 'utf8' })).toContain('?*');
    await settle(page);
    expect(await layoutProblems(page)).toEqual([]);
    await withoutToasts(page);
    await desk.shot('day-close-exported-zh-CN');

    // The full-data hand-off file needs another supervisor's grant; a second batch, listed with the first.
    await page.getByTestId('dayclose-full-data').click();
    await page.getByTestId('dayclose-export-button').click();
    await page.getByTestId('day-grant-dialog').waitFor();
    await page.locator('#day-grant-employeeNo').fill(SUPERVISOR.employeeNo);
    await page.locator('#day-grant-password').fill(SUPERVISOR.own);
    await page.getByTestId('day-grant-confirm').click();
    // The supervisor at the keyboard cannot authorize their own export.
    await eventually(() => page.getByTestId('day-grant-error').textContent()).not.toBe('');
    await page.locator('#day-grant-employeeNo').fill(SECOND_SUPERVISOR.employeeNo);
    await page.locator('#day-grant-password').fill(SECOND_SUPERVISOR.own);
    await page.getByTestId('day-grant-confirm').click();
    await page.getByTestId('day-grant-dialog').waitFor({ state: 'detached' });
    await eventually(() => page.locator('[data-testid=dayclose-export-history] tbody tr.ant-table-row').count()).toBe(2);
    // 文件数 in the history: 5 in the first folder (outcomes.csv among them), 6 with full-data.csv.
    const fileCounts = await page.locator('[data-testid=dayclose-export-history] tbody tr.ant-table-row td:nth-child(4)').allTextContents();
    expect(fileCounts).toEqual(['6', '5']);
    const fullDir = (await page.getByTestId('dayclose-export-dir').textContent()) ?? '';
    expect(fullDir).not.toBe(dir);
    const fullVerified = await verifyDayBundle(fullDir);
    expect(fullVerified.ok, JSON.stringify(fullVerified)).toBe(true);
    await withoutToasts(page);
    await settle(page);
    await page.screenshot({ path: `${SHOTS}/day-close-zh-CN.png`, fullPage: true });

    // English: the same screen, every word translated.
    await page.getByText('English', { exact: true }).click();
    await eventually(() => page.getByTestId('dayclose-status').textContent()).toBe('Closed');
    await settle(page);
    expect(await layoutProblems(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/day-close-en.png`, fullPage: true });
    await page.getByText('中文', { exact: true }).click();

    expect(desk.errors).toEqual([]);
  }, 180_000);
});
