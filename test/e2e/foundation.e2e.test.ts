import { describe, expect, it } from 'vitest';
import { syntheticRandom } from '../../shared';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { useDeskSuite } from './deskSuite';
import { ADMIN, eventually, layoutProblems, login, openDesk, settle, SHOTS } from './counterDesk';
import { callCore, setUpBranchOverBridge } from './coreOverBridge';

const suite = useDeskSuite();

// Chunks that must wait until they are needed: the first screen of the day loads none of them.
// The bridge's session key for the test's own calls, like one more browser tab.
const SEED = 'layout-seed-client';
const LATER = /ApplicationScreen|QueueBoard|SignatureCapture|SettingsScreen|Workspace|SetupScreen-/;

describe('the renderer in Chromium against the real core', () => {
  it('opens on the first-run setup in Chinese, switches to English, and loads only what the login needs', async () => {
    const preview = await suite.startPreview();
    const desk = await openDesk(suite.browser, preview.url);
    const { page } = desk;
    await page.locator('#f-branchCode').waitFor();
    await eventually(() => page.locator('.app-title').textContent()).toBe('柜面解绑台');
    expect(await page.getByTestId('business-date').textContent()).toMatch(/营业日期：\d{4}-\d{2}-\d{2}/);
    // The token left the address bar once read.
    expect(page.url()).not.toContain('token');

    await page.keyboard.press('F1');
    await page.getByTestId('help-shortcuts').waitFor();
    await desk.shot('help-zh-CN');
    await page.keyboard.press('Escape');

    await page.getByText('English', { exact: true }).click();
    await eventually(() => page.getByTestId('business-date').textContent()).toMatch(/^Business date/);
    expect(await page.locator('.app-title').textContent()).toBe('UnbindDesk');
    await desk.shot('setup-en');
    await page.getByText('中文', { exact: true }).click();
    expect(desk.errors).toEqual([]);

    // Once set up, a fresh window shows the login, having fetched none of the screens behind it.
    await setUpBranchOverBridge(preview);
    const fresh = await suite.browser.newPage();
    const scripts: string[] = [];
    fresh.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(request.url());
    });
    await fresh.goto(preview.url);
    await fresh.locator('#login-employeeNo').waitFor();
    await eventually(() => fresh.evaluate(() => document.activeElement?.id)).toBe('login-employeeNo');
    expect(scripts.filter((url) => LATER.test(url))).toEqual([]);
    await fresh.close();
  }, 120_000);

  it('holds its layout at 1280×720 and 1920×1080, at 125 % and 150 % zoom, in Chinese and English', async () => {
    const preview = await suite.startPreview();
    await setUpBranchOverBridge(preview);
    // A few requests on the board, one of them keyed, for the tables to have rows.
    await callCore(preview, SEED, 'auth.login', { employeeNo: ADMIN.employeeNo, password: ADMIN.password });
    const { businessDate } = await callCore(preview, SEED, 'system.info', {});
    for (let i = 0; i < 3; i += 1) await callCore(preview, SEED, 'applications.register', { channel: 'counter' });
    const first = await callCore(preview, SEED, 'applications.register', { channel: 'counter' });
    const started = await callCore(preview, SEED, 'applications.startReview', { id: first.id, version: first.version });
    await callCore(preview, SEED, 'applications.submit', { id: first.id, version: started.version, request: makeDemoRequest(syntheticRandom(9), businessDate, 'exception') });

    // Screen sizes as CSS pixels: a 1920×1080 screen at 125 % is 1536×864, at 150 % 1280×720; 1280×720 at 125 % is 1024×576.
    const screens = [
      { name: '1280x720', width: 1280, height: 720, scale: 1, sizes: [[1280, 720], [1920, 1080]] },
      { name: '125pct', width: 1536, height: 864, scale: 1.25, sizes: [[1536, 864], [1024, 576]] },
      { name: '150pct', width: 1280, height: 720, scale: 1.5, sizes: [[1280, 720]] },
    ] as const;
    for (const screen of screens) {
      const desk = await openDesk(suite.browser, preview.url, screen);
      const { page } = desk;
      await login(page, ADMIN.employeeNo, ADMIN.password);
      await page.locator('.board-row').first().waitFor();
      for (const [width, height] of screen.sizes) {
        await page.setViewportSize({ width, height });
        for (const language of ['中文', 'English']) {
          await page.getByText(language, { exact: true }).click();
          // Quotation marks: full-width in Chinese, proportional in English (the CJK font drew “fee adjustment” as
          // wide as two ideographs a side).
          const quoteWidth = await page.evaluate(() => {
            const probe = document.createElement('span');
            document.body.append(probe);
            probe.textContent = '“”'.repeat(10);
            const quotes = probe.getBoundingClientRect().width;
            probe.textContent = '中文'.repeat(10);
            const ideographs = probe.getBoundingClientRect().width;
            probe.remove();
            return quotes / ideographs;
          });
          if (language === 'English') expect(quoteWidth, `quotation marks in English ${width}×${height}`).toBeLessThan(0.6);
          else expect(quoteWidth, `quotation marks in Chinese ${width}×${height}`).toBeGreaterThan(0.7);
          await page.locator('[data-filter=all]').click();
          await eventually(() => page.locator('.board-row').count()).toBe(4);
          expect(await layoutProblems(page), `board ${width}×${height}@${screen.scale} ${language}`).toEqual([]);
          if (width === 1024 || screen.scale === 1.5) await page.screenshot({ path: `${SHOTS}/board-${width}x${height}@${screen.scale}-${language === '中文' ? 'zh-CN' : 'en'}.png` });

          await page.locator('.board-row[data-ticket="4"]').dblclick();
          await page.getByTestId('open-authorization').waitFor();
          expect(await layoutProblems(page), `detail ${width}×${height}@${screen.scale} ${language}`).toEqual([]);
          await page.getByTestId('open-authorization').click();
          await page.getByTestId('authorization-dialog').waitFor();
          await settle(page);
          expect(await layoutProblems(page), `authorization ${width}×${height}@${screen.scale} ${language}`).toEqual([]);
          if (width === 1024 || screen.scale === 1.5) await page.screenshot({ path: `${SHOTS}/authorization-${width}x${height}@${screen.scale}-${language === '中文' ? 'zh-CN' : 'en'}.png` });
          await page.keyboard.press('Escape');
          await page.getByTestId('authorization-dialog').waitFor({ state: 'detached' });

          await page.locator('.application-header button').first().click();
          await page.locator('.board-row[data-ticket="1"]').dblclick();
          // Waiting the first time round, in review after that.
          await page.locator('[data-testid=start-review], #f-applicant-documentNumber').first().waitFor();
          if (await page.getByTestId('start-review').isVisible()) await page.getByTestId('start-review').click();
          await page.locator('#f-applicant-documentNumber').waitFor();
          expect(await layoutProblems(page), `form ${width}×${height}@${screen.scale} ${language}`).toEqual([]);
          for (const step of [1, 2, 3]) {
            await page.locator('.form-steps .ant-steps-item').nth(step).click();
            expect(await layoutProblems(page), `form step ${step + 1} ${width}×${height}@${screen.scale} ${language}`).toEqual([]);
          }
          if (width === 1024 || screen.scale === 1.5) await page.screenshot({ path: `${SHOTS}/form-${width}x${height}@${screen.scale}-${language === '中文' ? 'zh-CN' : 'en'}.png` });
          await page.locator('.application-header button').first().click();
          await page.getByTestId('nav-settings').click();
          await page.getByTestId('teller-table').waitFor();
          // From 1280 CSS pixels wide every tab is in view, none behind the tab bar's "…" menu; narrower, the
          // first four are checked (the others are reached through that menu, antd's own).
          const wide = width >= 1280;
          const tabs = wide ? await page.locator('.settings-tabs .ant-tabs-tab').count() : 4;
          for (let tab = 0; tab < tabs; tab += 1) {
            await page.locator('.settings-tabs .ant-tabs-tab').nth(tab).click();
            expect(await layoutProblems(page), `settings tab ${tab} ${width}×${height}@${screen.scale} ${language}`).toEqual([]);
            // antd moves the tab bar after the switch (a frame or two): looked at once it has settled.
            if (wide) await settle(page);
            if (wide) expect(await page.locator('.settings-tabs .ant-tabs-nav-operations:not(.ant-tabs-nav-operations-hidden)').count(), `settings tabs all in view, tab ${tab} ${width}×${height} ${language}`).toBe(0);
          }
          await page.locator('.workspace-nav button').first().click();
        }
      }
      expect(desk.errors).toEqual([]);
      await page.context().close();
    }
  }, 300_000);
});
