import { describe, expect, it } from 'vitest';
import { useDeskSuite } from './deskSuite';
import { eventually, ADMIN, completeSetup, logout, openDesk, SUPERVISOR } from './counterDesk';

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
    const checked = page.waitForResponse((response) => response.url().endsWith('/rpc') && (response.request().postData() ?? '').includes('"tellers.list"'));
    await page.getByRole('button', { name: '排队看板' }).click();
    await page.locator('.queue-board').waitFor();
    // The board's check of the accounts has answered and been drawn: the pointer stayed away.
    await checked;
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(await guide.count()).toBe(0);
    await logout(page);
    expect(await page.locator('.login-after-setup').count()).toBe(0);
    expect(await page.locator('#login-employeeNo').inputValue()).toBe('');
    expect(desk.errors).toEqual([]);
  }, 120_000);
});
