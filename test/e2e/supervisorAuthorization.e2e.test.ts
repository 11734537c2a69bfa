import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { syntheticRandom } from '../../shared';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { useDeskSuite } from './deskSuite';
import { eventually, settle, withoutToasts, ADMIN, authorizeAs, changeFirstPassword, keyRequest, login, logout, openDesk, registerAndOpen, statusOnScreen, TELLER, SUPERVISOR } from './counterDesk';
import { callCore, setUpBranchOverBridge } from './coreOverBridge';

const suite = useDeskSuite();

async function createAccount(page: Page, account: { employeeNo: string; name: string; first: string }, role: 'teller' | 'supervisor', shot?: () => Promise<void>) {
  await page.getByTestId('new-teller').click();
  const form = page.getByTestId('new-teller-form');
  await form.locator('#f-employeeNo').fill(account.employeeNo);
  await form.locator('#f-name').fill(account.name);
  await form.locator(`#f-role label:has(input[value="${role}"])`).click();
  await form.locator('#f-password').fill(account.first);
  await form.locator('#f-passwordAgain').fill(account.first);
  await shot?.();
  await page.getByTestId('new-teller-save').click();
  await eventually(() => page.getByTestId('teller-table').textContent()).toContain(account.employeeNo);
}

/** Keys an exception request (manual keying + a virtual-operator number) and submits it: the authorization dialog opens. */
async function keyException(page: Page, seed: number) {
  await registerAndOpen(page);
  await page.keyboard.press('Enter');
  await page.locator('#f-applicant-documentNumber').waitFor();
  const businessDate = (await page.getByTestId('business-date').textContent())?.slice(-10) ?? '';
  const request = makeDemoRequest(syntheticRandom(seed), businessDate, 'exception');
  await keyRequest(page, request, { submit: false });
  const reasons = page.locator('[data-testid=authorization-banner] [data-reason]');
  await eventually(() => reasons.evaluateAll((items) => items.map((item) => item.getAttribute('data-reason')))).toEqual(['manual_entry', 'virtual_or_satellite_number']);
  return request;
}

describe('supervisor authorization on the teller’s screen', () => {
  it('creates the accounts, has a supervisor approve a teller’s exception, and refuses a self-approval', async () => {
    const preview = await suite.startPreview();
    await setUpBranchOverBridge(preview);
    const desk = await openDesk(suite.browser, preview.url);
    const { page } = desk;

    // The admin opens a teller's and a supervisor's account on the accounts screen.
    await login(page, ADMIN.employeeNo, ADMIN.password);
    await page.getByTestId('nav-settings').click();
    await createAccount(page, TELLER, 'teller', () => desk.shot('new-teller-zh-CN'));
    await createAccount(page, SUPERVISOR, 'supervisor');
    await desk.shot('settings-accounts-zh-CN');
    await page.getByRole('tab', { name: '授权规则' }).click();
    await page.getByTestId('policy-form').waitFor();
    await withoutToasts(page);
    await desk.shot('settings-policy-zh-CN');
    await logout(page);

    // The teller's first login: the password the admin set must be changed first.
    await login(page, TELLER.employeeNo, TELLER.first);
    await page.locator('#f-current').waitFor();
    await desk.shot('change-password-zh-CN');
    await changeFirstPassword(page, TELLER.first, TELLER.own);

    const request = await keyException(page, 41);
    // The first step again, for the picture: what the number says, and the banner with both reasons.
    await page.locator('.form-steps .ant-steps-item').first().click();
    await withoutToasts(page);
    await settle(page);
    await desk.shot('form-banner-zh-CN');
    await page.locator('.form-steps .ant-steps-item').nth(3).click();
    await page.getByTestId('form-submit').click();
    await page.getByTestId('authorization-dialog').waitFor();
    expect(await page.getByTestId('authorization-reasons').textContent()).toContain('手工录入证件信息（未读取芯片）');
    // The dialog shows the request masked, never in full.
    expect(await page.getByTestId('authorization-dialog').textContent()).not.toContain(request.mobile.bound);
    await withoutToasts(page);
    await desk.shot('authorization-dialog-zh-CN');

    // The teller cannot authorize their own request.
    await authorizeAs(page, TELLER.employeeNo, TELLER.own);
    await eventually(() => page.getByTestId('authorization-error').textContent()).toBe('该工号不是主管，不能授权');

    // The password the admin set cannot authorize: the admin knows it.
    await authorizeAs(page, SUPERVISOR.employeeNo, SUPERVISOR.first);
    await eventually(() => page.getByTestId('authorization-error').textContent()).toBe('该主管尚未修改管理员设置的初始密码，修改后才能授权');
    // The supervisor chooses their own at their desk, then types it on the teller's screen and approves.
    await callCore(preview, 'supervisor-desk', 'auth.login', { employeeNo: SUPERVISOR.employeeNo, password: SUPERVISOR.first });
    await callCore(preview, 'supervisor-desk', 'auth.changePassword', { current: SUPERVISOR.first, next: SUPERVISOR.own });
    await authorizeAs(page, SUPERVISOR.employeeNo, SUPERVISOR.own);
    await eventually(() => statusOnScreen(page)).toBe('approved');
    expect(await page.getByTestId('history').textContent()).toContain('主管授权通过');

    // "Show in full" needs a supervisor too, and the full values exist only while the dialog is open.
    await page.getByTestId('open-reveal').click();
    await page.locator('#grant-employeeNo').fill(SUPERVISOR.employeeNo);
    await page.locator('#grant-password').fill(SUPERVISOR.own);
    await page.getByTestId('grant-confirm').click();
    await eventually(() => page.getByTestId('revealed-values').textContent()).toContain(request.applicant.documentNumber);
    await settle(page);
    await desk.shot('reveal-zh-CN');
    await page.keyboard.press('Escape');
    await eventually(() => page.getByTestId('revealed-values').count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toContain(request.applicant.documentNumber);
    await eventually(() => page.getByTestId('history').textContent()).toContain('查看完整信息');

    // Editing after submission: the form comes back with what this desk typed; sending it needs a supervisor.
    await page.getByRole('button', { name: '修改申请（需主管授权）' }).click();
    await eventually(() => page.locator('#f-applicant-documentNumber').inputValue()).toBe(request.applicant.documentNumber);
    await page.locator('.form-steps .ant-steps-item').nth(3).click();
    await page.locator('#f-notification-channel label:has(input[value="phone"])').click();
    await page.getByTestId('form-submit').click();
    await page.locator('#grant-employeeNo').fill(SUPERVISOR.employeeNo);
    await page.locator('#grant-password').fill(SUPERVISOR.own);
    await page.getByTestId('grant-confirm').click();
    // Judged again from scratch: still manual keying and a virtual-operator number, so a supervisor again.
    await eventually(() => statusOnScreen(page)).toBe('pending_authorization');
    expect(await page.getByTestId('history').textContent()).toContain('提交后修改');
    expect(await page.locator('.application-detail .masked-request').textContent()).toContain('电话');
    // The authorization dialog opens by itself for the changed request; the supervisor can do it later.
    await page.getByTestId('authorization-dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('authorization-dialog').waitFor({ state: 'detached' });
    await logout(page);

    // A supervisor who keyed a request cannot approve it.
    await login(page, SUPERVISOR.employeeNo, SUPERVISOR.own);
    await keyException(page, 42);
    await page.keyboard.press('Enter');
    await authorizeAs(page, SUPERVISOR.employeeNo, SUPERVISOR.own);
    await eventually(() => page.getByTestId('authorization-error').textContent()).toBe('授权人不能是申请授权的柜员或经办本笔业务的柜员');
    await desk.shot('self-approval-refused-zh-CN');
    await page.keyboard.press('Escape');
    expect(await statusOnScreen(page)).toBe('pending_authorization');

    // English: the same dialog speaks English.
    await page.getByText('English', { exact: true }).click();
    await page.getByTestId('open-authorization').click();
    await eventually(() => page.getByTestId('authorization-reasons').textContent()).toContain('Document keyed manually');
    await withoutToasts(page);
    await settle(page);
    await desk.shot('authorization-dialog-en');
    await page.keyboard.press('Escape');
    await page.getByText('中文', { exact: true }).click();
    expect(desk.errors).toEqual([]);
  }, 180_000);
});
