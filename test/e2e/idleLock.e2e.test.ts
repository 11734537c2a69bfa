import { describe, expect, it } from 'vitest';
import { makeResidentIdNumber } from '../../shared';
import { useDeskSuite } from './deskSuite';
import { ADMIN, eventually, login, openDesk, registerAndOpen } from './counterDesk';
import { setUpBranchOverBridge } from './coreOverBridge';

const suite = useDeskSuite();

describe('the lock screen', () => {
  it('locks after the idle time and on F12 / Ctrl+L, and keeps the half-filled form underneath', async () => {
    const preview = await suite.startPreview();
    await setUpBranchOverBridge(preview);
    // The page's clock is Playwright's, so the renderer's idle timer can be fast-forwarded.
    const desk = await openDesk(suite.browser, preview.url, { clock: true });
    const { page } = desk;
    await login(page, ADMIN.employeeNo, ADMIN.password);
    await registerAndOpen(page);
    await page.keyboard.press('Enter');

    const number = makeResidentIdNumber({ regionCode: '310104', birthDate: '1975-03-08', sequence: 246 });
    await page.locator('#f-applicant-documentNumber').fill(number);
    await page.locator('#f-applicant-name').fill('李四');
    await page.locator('#f-applicant-documentExpiry').fill('2035-03-08');

    // Idle: the default idle lock is 5 minutes.
    await page.clock.fastForward('05:01');
    const lock = page.getByTestId('lock-screen');
    await lock.waitFor();
    expect(await page.locator('#unlock-password').evaluate((input) => input === document.activeElement)).toBe(true);
    // The work is covered and out of reach, not gone.
    expect(await page.locator('#f-applicant-name').count()).toBe(1);
    expect(await page.locator('.app-layout').evaluate((element) => element.closest('[inert]') !== null)).toBe(true);
    await desk.shot('lock-zh-CN');

    // A wrong password keeps it locked.
    await page.locator('#unlock-password').fill('wrong-password1');
    await page.keyboard.press('Enter');
    await eventually(() => lock.textContent()).toContain('工号或密码不正确');

    await page.locator('#unlock-password').fill(ADMIN.password);
    await page.keyboard.press('Enter');
    await eventually(() => lock.count()).toBe(0);
    expect(await page.locator('#f-applicant-documentNumber').inputValue()).toBe(number);
    expect(await page.locator('#f-applicant-name').inputValue()).toBe('李四');
    expect(await page.locator('#f-applicant-documentExpiry').inputValue()).toBe('2035-03-08');
    await eventually(() => page.locator('[data-testid=document-facts] [data-fact=birthDate]').textContent()).toBe('1975-03-08');

    // On demand: F12, then Ctrl+L.
    for (const keys of ['F12', 'Control+l']) {
      await page.locator('#f-applicant-name').focus();
      await page.keyboard.press(keys);
      await lock.waitFor();
      await page.locator('#unlock-password').fill(ADMIN.password);
      await page.keyboard.press('Enter');
      await eventually(() => lock.count()).toBe(0);
      expect(await page.locator('#f-applicant-name').inputValue()).toBe('李四');
    }

    // Going to the board and back keeps the draft too.
    await page.getByRole('button', { name: '返回看板' }).click();
    await page.locator('[data-testid=board-list]').focus();
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('#f-applicant-name').inputValue()).toBe('李四');
    expect(desk.errors).toEqual([]);
  }, 120_000);
});
