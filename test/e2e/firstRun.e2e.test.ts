import { describe, expect, it } from 'vitest';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { useDeskSuite } from './deskSuite';
import { eventually, ADMIN, BRANCH, completeSetup, login, logout, openDesk, SUPERVISOR } from './counterDesk';
import { callCore } from './coreOverBridge';

const suite = useDeskSuite();

describe('the first run leads the admin to the accounts', () => {
  it('names the admin on 柜员登录 after setup, then points from the empty board to 系统设置 → 柜员账户 until a teller or supervisor exists', async () => {
    const preview = await suite.startPreview();
    const desk = await openDesk(suite.browser, preview.url);
    const { page } = desk;
    await completeSetup(page);

    // 柜员登录 says the admin logs in here too, with the number already filled in; the cursor waits in the password.
    expect(await page.locator('.login-title').textContent()).toBe('柜员登录');
    const note = page.locator('.login-after-setup');
    await eventually(() => note.textContent()).toContain(`管理员工号 ${ADMIN.employeeNo} 在此登录`);
    expect(await note.textContent()).toContain('系统设置 → 柜员账户');
    expect(await page.locator('#login-employeeNo').inputValue()).toBe(ADMIN.employeeNo);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('login-password');
    await desk.shot('login-after-setup-zh-CN');
    await page.keyboard.type(ADMIN.password);
    await page.keyboard.press('Enter');

    // The admin's board: no staff yet, so the way to the accounts is offered (without taking the board's focus).
    const guide = page.getByTestId('first-run-guide');
    await eventually(() => guide.textContent()).toContain('本网点还没有柜员和主管账户');
    await desk.shot('first-run-guide-zh-CN');
    await guide.getByRole('button', { name: '前往 系统设置 → 柜员账户' }).click();
    await eventually(() => page.getByRole('tab', { name: '柜员账户', selected: true }).count()).toBe(1);

    // A supervisor account exists: the board no longer shows the pointer, and the next login has no setup note.
    await page.getByTestId('new-teller').click();
    const form = page.getByTestId('new-teller-form');
    await form.locator('#f-employeeNo').fill(SUPERVISOR.employeeNo);
    await form.locator('#f-name').fill(SUPERVISOR.name);
    await form.locator('#f-role label:has(input[value="supervisor"])').click();
    await form.locator('#f-password').fill(SUPERVISOR.first);
    await form.locator('#f-passwordAgain').fill(SUPERVISOR.first);
    await page.getByTestId('new-teller-save').click();
    await eventually(() => page.getByTestId('teller-table').textContent()).toContain(SUPERVISOR.employeeNo);
    // The board's check of the accounts has answered and been drawn: the pointer stayed away.
    await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/rpc') && (response.request().postData() ?? '').includes('"tellers.list"')),
      page.getByRole('button', { name: '排队看板' }).click().then(() => page.locator('.queue-board').waitFor()),
    ]);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(await guide.count()).toBe(0);
    await logout(page);
    expect(await page.locator('.login-after-setup').count()).toBe(0);
    expect(await page.locator('#login-employeeNo').inputValue()).toBe('');
    expect(desk.errors).toEqual([]);
  }, 120_000);
});

describe('the desk number', () => {
  it('is asked for at setup: a desk outside 01–99 is refused in Chinese beside the field, 7 is written 07', async () => {
    const preview = await suite.startPreview();
    const desk = await openDesk(suite.browser, preview.url);
    const { page } = desk;
    await page.locator('#f-branchCode').fill(BRANCH.code);
    await page.locator('#f-desk').fill('00');
    await page.locator('#f-branchName').fill(BRANCH.name);
    await page.locator('#f-bankName').fill(BRANCH.bank);
    await page.locator('#f-admin-employeeNo').fill(ADMIN.employeeNo);
    await page.locator('#f-admin-name').fill(ADMIN.name);
    await page.locator('#f-admin-password').fill(ADMIN.password);
    await page.locator('#f-admin-passwordAgain').fill(ADMIN.password);
    await page.keyboard.press('Enter');
    const help = page.locator('[data-field-help="desk"]');
    await eventually(() => help.textContent()).toBe('柜台号应为两位数字，01至99（如第1号柜台填01）');
    await desk.shot('setup-desk-refused-zh-CN');
    expect((await callCore(preview, 'probe', 'system.info', {})).setupDone).toBe(false);
    await page.locator('#f-desk').fill('7');
    await page.locator('#f-branchName').focus();
    expect(await page.locator('#f-desk').inputValue()).toBe('07');
    await page.keyboard.press('Enter');
    await page.locator('#login-employeeNo').waitFor();
    expect((await callCore(preview, 'probe', 'system.info', {})).branch).toEqual({ code: BRANCH.code, name: BRANCH.name, desk: '07' });
    await login(page, ADMIN.employeeNo, ADMIN.password);
    await eventually(() => page.getByTestId('desk-number').textContent()).toBe('柜台号：07');
    await desk.shot('header-desk-zh-CN');
    expect(desk.errors).toEqual([]);
  }, 120_000);

  it('is asked of the admin once on an installation set up before desks, and then numbers the next request with it', async () => {
    // The data folder made by the code before desks (schema 7): see test/fixtures/legacy/README.md.
    const dataDir = join(suite.tempDir(), 'legacy');
    cpSync(join(import.meta.dirname, '../fixtures/legacy/data'), dataDir, { recursive: true });
    const preview = await suite.startPreview(dataDir);
    const desk = await openDesk(suite.browser, preview.url);
    const { page } = desk;
    await login(page, 'A001', 'Demo-Admin-2026');
    await page.getByRole('form', { name: '设置柜台号' }).waitFor();
    expect(await page.locator('.entry-card').textContent()).toContain('网点 310101');
    expect(await page.getByTestId('desk-number').textContent()).toBe('柜台号：未设置（暂不能登记新业务）');
    await desk.shot('desk-prompt-zh-CN');
    await page.locator('#f-desk').fill('00');
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('[data-field-help="desk"]').textContent()).toBe('柜台号应为两位数字，01至99（如第1号柜台填01）');
    await page.locator('#f-desk').fill('3');
    await page.keyboard.press('Enter');
    await page.locator('.queue-board').waitFor();
    await eventually(() => page.getByTestId('desk-number').textContent()).toBe('柜台号：03');
    // Asked once: after logging in again the board comes straight up.
    await logout(page);
    await login(page, 'A001', 'Demo-Admin-2026');
    await page.locator('.queue-board').waitFor();
    expect(await page.getByRole('form', { name: '设置柜台号' }).count()).toBe(0);
    // 登记 (F2) now numbers with the desk, and the ticket is called with it: 03-4.
    await page.keyboard.press('F2');
    const notice = page.locator('.ant-message-notice').filter({ hasText: '已登记' });
    await eventually(() => notice.textContent()).toMatch(/已登记：票号 03-\d+（310101-03-\d{8}-\d{4}）/);
    const [, ticket = '', number = ''] = /票号 03-(\d+)（(310101-03-\d{8}-\d{4})）/.exec((await notice.textContent()) ?? '') ?? [];
    const row = page.locator(`.board-row[data-ticket="${ticket}"]`);
    await eventually(() => row.count()).toBe(1);
    expect(await row.locator('.ticket-no').textContent()).toBe(`03-${ticket}`);
    expect(await row.textContent()).toContain(number);
    await desk.shot('board-desk-ticket-zh-CN');
    expect(desk.errors).toEqual([]);
  }, 120_000);
});
