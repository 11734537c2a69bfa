import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { syntheticRandom } from '../../shared';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { demoSignaturePng } from '../../electron/core/demo/demoSignature';
import { launchChromium } from '../support/browser';
import { openHarness, PASSWORDS } from '../support/coreHarness';
import { startPreview, type RunningPreview } from '../support/preview';
import { signOutcomeBytes } from '../support/acquirerSim';
import { useTempDirs } from '../support/tempDir';
import { eventually, login, logout, openDesk, statusOnScreen, withoutToasts } from './counterDesk';

const tempDir = useTempDirs();
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
});

describe('the acquirer loop in Chromium, with the preview\'s simulated acquirer', () => {
  it('a slip printed at the counter goes to the acquirer: 已转收单机构, then 已解绑 on the detail left open and on the board; a failure shows its reason', { timeout: 120_000 }, async () => {
    const dataDir = tempDir();
    // The branch, its accounts, and two requests approved and signed today (the preview runs on today's date).
    const h = await openHarness(dataDir, { now: new Date().toISOString() });
    const businessDate = h.core.context.businessDate();
    const signed = [];
    for (const seed of [7, 8, 9, 10]) {
      const app = await h.ok('t1', 'applications.register', {});
      const review = await h.ok('t1', 'applications.startReview', { id: app.id, version: app.version });
      const approved = await h.ok('t1', 'applications.submit', { id: review.id, version: review.version, request: makeDemoRequest(syntheticRandom(seed), businessDate, 'plain') });
      signed.push(await h.ok('t1', 'applications.setSignature', { id: approved.id, version: approved.version, pngBase64: demoSignaturePng(syntheticRandom(seed)).toString('base64') }));
    }
    h.core.close();
    // Ticket 0004 is one the simulated acquirer fails (one in four).
    const [first, , , fourth] = signed;
    if (!first || !fourth) throw new Error('requests missing');

    let preview: RunningPreview | null = null;
    try {
      preview = await startPreview(dataDir, ['--acquirer-sim']);
      const desk = await openDesk(browser, preview.url);
      const { page } = desk;
      await login(page, 'T001', PASSWORDS.teller);
      for (const app of [first, fourth]) {
        await page.locator(`[data-ticket="${app.ticketNo}"]`).dblclick();
        await page.getByTestId('issue-slip').click();
        await page.getByTestId('issued-slip').waitFor();
        await page.getByTestId('slip-done').click();
        // Completed, or already taken by the acquirer when the screen reloaded after the slip.
        expect(await statusOnScreen(page)).toMatch(/^(completed|forwarded)$/);
        if (app === first) {
          // A teller who stays on the request sees the acquirer's outcome arrive, with no click (the screen reads
          // the request again as the board does, every 10 s): 已解绑 in the header and its answer in the history.
          await expect.poll(() => statusOnScreen(page), { timeout: 45_000, interval: 250 }).toBe('unbound');
          expect(await page.locator('.application-header .status-tag').textContent()).toBe('已解绑');
          await eventually(() => page.getByTestId('history').textContent()).toContain('收单机构处理结果');
        }
        await page.getByRole('button', { name: '返回看板' }).click();
        await page.getByTestId('board-list').waitFor();
      }
      // The board: taken by the acquirer within a moment of the slip (已转收单机构), decided a few seconds later.
      await page.locator('[data-filter="all"]').click();
      await eventually(() => page.locator(`[data-ticket="${first.ticketNo}"] .status-tag`).getAttribute('data-status')).toMatch(/^(forwarded|unbound)$/);
      await eventually(() => page.locator(`[data-ticket="${first.ticketNo}"] .status-tag`).getAttribute('data-status')).toBe('unbound');
      await eventually(() => page.locator(`[data-ticket="${fourth.ticketNo}"] .status-tag`).getAttribute('data-status')).toBe('unbind_failed');
      expect(await page.locator(`[data-ticket="${first.ticketNo}"] .status-tag`).textContent()).toBe('已解绑');
      expect(await page.locator(`[data-ticket="${fourth.ticketNo}"] .status-tag`).textContent()).toBe('解绑失败');
      await page.locator('[data-filter="unbound"]').click();
      await eventually(() => page.locator('[data-filter="unbound"] .board-filter-count').textContent()).toBe('1');
      await withoutToasts(page);
      await desk.shot('acquirer-board-unbound-zh-CN');
      // The detail's history says who answered and when it arrived.
      await page.locator('[data-filter="all"]').click();
      await page.locator(`[data-ticket="${fourth.ticketNo}"]`).dblclick();
      await eventually(() => page.getByTestId('history').textContent()).toContain('收单机构处理结果');
      expect(await page.getByTestId('history').textContent()).toContain('已转收单机构 → 解绑失败');
      // The acquirer's reason for ticket 4 is a code of the contract: in the words the customer was sent, the code after them.
      expect(await page.getByTestId('acquirer-reason').textContent()).toBe('该终端尚有未结清的交易或结算款项（unsettled_transactions）');
      await desk.shot('acquirer-detail-zh-CN');
      // The masked request beside it at 1280×720: no date broken at its hyphen, no 居民身份证 over two lines (one long
      // value must not squeeze the other column).
      const broken = await page.evaluate(() =>
        [...document.querySelectorAll('.masked-request .ant-descriptions-item-content')]
          .filter((cell) => /^(\d{4}-\d{2}-\d{2}|居民身份证)$/.test(cell.textContent ?? ''))
          .filter((cell) => {
            const range = document.createRange();
            range.selectNodeContents(cell);
            return new Set([...range.getClientRects()].map((line) => Math.round(line.top))).size > 1;
          })
          .map((cell) => cell.textContent),
      );
      expect(broken).toEqual([]);
      // Nor in the facts above it, beside the acquirer's reason in our words: the application number and the dates whole.
      const brokenFacts = await page.evaluate(() =>
        [...document.querySelectorAll('.application-facts .ant-descriptions-item-content')]
          .filter((cell) => /^(\d{6}-\d{2}-\d{8}-\d{4}|\d{4}-\d{2}-\d{2}|ACQ\d+)$/.test(cell.textContent ?? ''))
          .filter((cell) => {
            const range = document.createRange();
            range.selectNodeContents(cell);
            return new Set([...range.getClientRects()].map((line) => Math.round(line.top))).size > 1;
          })
          .map((cell) => cell.textContent),
      );
      expect(brokenFacts).toEqual([]);
      await page.getByTestId('history').scrollIntoViewIfNeeded();
      await desk.shot('acquirer-history-zh-CN');

      // 交接与回执 for the supervisor: both decided; an outcome file with a wrong line is refused, naming it.
      await logout(page);
      await login(page, 'S001', PASSWORDS.supervisor);
      await page.getByTestId('nav-handoff').click();
      await eventually(() => page.getByTestId('handoff-counts').textContent()).toContain('已有结果2');
      // The preview's acquirer signs its outcome files (its key is configured): a file alone is refused, asking for its .sig.
      const outcomes = Buffer.from(`application_number,outcome,acquirer_reference,reason,decided_at\n${first.number},unbound,ACQ00000001,,\n310101-20261125-9999,unbound,X,,\n`);
      const outcomeFile = { name: 'outcomes.csv', mimeType: 'text/csv', buffer: outcomes };
      await page.getByTestId('outcome-file').setInputFiles(outcomeFile);
      await eventually(() => page.getByTestId('outcome-import-result').textContent()).toContain('请同时选中 outcomes.csv 和 outcomes.csv.sig');
      // Both selected, signed with the simulator's key: the signature verifies, and the wrong line is named.
      const acquirerKey = createPrivateKey(readFileSync(join(dataDir, 'acquirer-sim', 'outcome-signing-key.pem')));
      await page.getByTestId('outcome-file').setInputFiles([outcomeFile, { name: 'outcomes.csv.sig', mimeType: 'text/plain', buffer: Buffer.from(signOutcomeBytes(acquirerKey, outcomes)) }]);
      await eventually(() => page.getByTestId('outcome-import-result').textContent()).toContain('第 3 行：申请编号 310101-20261125-9999 在本网点不存在');
      await withoutToasts(page);
      await desk.shot('acquirer-handoff-panel-zh-CN');
      expect(await desk.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

      // The admin's settings: https only.
      await logout(page);
      await login(page, 'A001', PASSWORDS.admin);
      await page.getByTestId('nav-settings').click();
      await page.getByRole('tab', { name: '收单机构交接' }).click();
      await page.locator('#acquirer-url').fill('http://acquirer.example.com/api/');
      await page.getByTestId('acquirer-save').click();
      await eventually(() => page.getByTestId('acquirer-settings').textContent()).toContain('必须以 https:// 开头');
      await withoutToasts(page);
      await desk.shot('acquirer-settings-zh-CN');
      expect(desk.errors).toEqual([]);
    } finally {
      await preview?.stop();
    }
  });
});
