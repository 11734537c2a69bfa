import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { openCore } from '../../electron/core';
import { writeBranchProfile } from '../../electron/core/system/branchProfile';
import { silentEventLog } from '../../electron/core/eventLog';
import { launchChromium } from '../support/browser';
import { startPreview, type RunningPreview } from '../support/preview';
import { useTempDirs } from '../support/tempDir';

const tempDir = useTempDirs();
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  mkdirSync('test-results', { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

describe('the renderer in Chromium against the real core', () => {
  let preview: RunningPreview | null = null;
  afterAll(async () => preview?.stop());

  it('shows the Chinese header with the branch name from the core, then switches to English', async () => {
    const dataDir = tempDir();
    const core = await openCore({ dataDir, appVersion: '0.0.0', log: silentEventLog });
    writeBranchProfile(core.db, { code: '310101', name: '上海分行营业部', bankName: '示例银行', timeZone: 'Asia/Shanghai' }, new Date());
    core.close();

    preview = await startPreview(dataDir);
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(preview.url);

    await expect.poll(() => page.getByTestId('branch-name').textContent()).toContain('上海分行营业部（310101）');
    await expect.poll(() => page.locator('.app-title').textContent()).toBe('柜面解绑台');
    expect(await page.getByTestId('business-date').textContent()).toMatch(/营业日期：\d{4}-\d{2}-\d{2}/);
    // The token left the address bar once read.
    expect(page.url()).not.toContain('token');
    await page.screenshot({ path: 'test-results/foundation-zh-CN.png' });

    await page.getByText('English', { exact: true }).click();
    await expect.poll(() => page.getByTestId('business-date').textContent()).toMatch(/^Business date/);
    expect(await page.locator('.app-title').textContent()).toBe('UnbindDesk');
    await page.screenshot({ path: 'test-results/foundation-en.png' });
    expect(errors).toEqual([]);
  });
});
