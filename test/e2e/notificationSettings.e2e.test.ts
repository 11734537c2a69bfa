import { describe, expect, it } from 'vitest';
import { openHarness, PASSWORDS } from '../support/coreHarness';
import { useDeskSuite } from './deskSuite';
import { eventually, login, openDesk, ADMIN } from './counterDesk';

const suite = useDeskSuite();

describe('系统设置 → 客户通知', () => {
  it('refuses a plain-http SMS platform in words beside the field, saves https with the token sealed and never shown', { timeout: 120_000 }, async () => {
    const dataDir = suite.tempDir();
    (await openHarness(dataDir)).core.close();
    const preview = await suite.startPreview(dataDir);
    const desk = await openDesk(suite.browser, preview.url, { height: 900 });
    const { page } = desk;
    await login(page, ADMIN.employeeNo, PASSWORDS.admin);
    await page.getByTestId('nav-settings').click();
    await page.getByRole('tab', { name: '客户通知' }).click();
    const form = page.getByTestId('notification-settings');
    await form.waitFor();
    await page.locator('#notify-hotline').fill('95588');
    await form.getByRole('switch', { name: '启用短信平台' }).click();
    await page.locator('#notify-sms\\.url').fill('http://sms.bank.example/v1/sms');
    await page.locator('#notify-sms\\.signName').fill('示例银行');
    await page.locator('#notify-sms\\.token').fill('platform-token-8841');
    await page.getByTestId('notification-settings-save').click();
    await eventually(() => form.textContent()).toContain('短信平台地址必须以 https:// 开头');
    await desk.shot('notification-settings-refused');

    await page.locator('#notify-sms\\.url').fill('https://sms.bank.example/v1/sms');
    await page.getByTestId('notification-settings-save').click();
    await eventually(() => form.textContent()).toContain('已设置（加密保存，不显示）');
    expect(await page.locator('#notify-sms\\.token').inputValue()).toBe('');
    // The refusal beside the field goes (antd lets it fade out).
    await eventually(() => form.textContent()).not.toContain('短信平台地址必须以 https:// 开头');
    await desk.shot('notification-settings-saved');
    expect(desk.errors).toEqual([]);
    await preview.stop();

    const h = await openHarness(dataDir, { setup: false });
    try {
      const raw = JSON.stringify(h.core.db.prepare("SELECT value_json FROM settings WHERE key = 'notifications'").get());
      expect(raw).toContain('https://sms.bank.example/v1/sms');
      expect(raw).not.toContain('platform-token-8841');
    } finally {
      h.core.close();
    }
  });
});
