import { describe, expect, it } from 'vitest';
import { syntheticRandom } from '../../shared';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { useDeskSuite } from './deskSuite';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../electron/core/db/connection';
import { DATABASE_FILE } from '../../electron/core';
import { verifyReceipt } from '../../electron/core/receipts/receiptVerification';
import { allowKeyedOnlineCheck } from './coreOverBridge';
import { downloadSlip, eventually, withoutToasts, ADMIN, completeSetup, keyRequest, login, openDesk, registerAndOpen, sign, statusOnScreen, installationPublicKey } from './counterDesk';

const suite = useDeskSuite();
let dataDir = '';

/** The branch's public key, as `npm run cli -- public-key` prints it for head office. */
describe('a walk-in at the counter, in Chromium against the real core', () => {
  it('sets up the branch, logs in, and takes a resident-ID request from registration to approved and signed', async () => {
    dataDir = suite.tempDir();
    const preview = await suite.startPreview(dataDir);
    const desk = await openDesk(suite.browser, preview.url);
    const { page } = desk;

    // First run: the setup screen, then the login.
    await page.locator('#f-branchCode').waitFor();
    await desk.shot('setup-zh-CN');
    await completeSetup(page);
    // No 联网核查 middleware here: the branch lets a keyed result through (identityCheck.e2e tests the default).
    await allowKeyedOnlineCheck(preview);
    await eventually(() => page.getByTestId('branch-name').textContent()).toContain('上海分行营业部（310101）');
    await desk.shot('login-zh-CN');
    await login(page, ADMIN.employeeNo, ADMIN.password);

    // The queue: F2 registers a walk-in, Enter opens it, Enter starts the review.
    await registerAndOpen(page);
    await desk.shot('waiting-zh-CN');
    await page.keyboard.press('Enter');
    await page.locator('#f-applicant-documentNumber').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-applicant-documentNumber');

    const businessDate = (await page.getByTestId('business-date').textContent())?.slice(-10) ?? '';
    const request = makeDemoRequest(syntheticRandom(2026), businessDate, 'plain');
    await page.locator('#f-applicant-documentNumber').fill(request.applicant.documentNumber);
    await eventually(() => page.locator('[data-testid=document-facts] [data-fact=birthDate]').textContent()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await page.locator('#f-applicant-name').fill(request.applicant.name);
    await desk.shot('form-document-zh-CN');

    await keyRequest(page, request, { submit: false });
    await eventually(() => page.getByTestId('authorization-banner').textContent()).toContain('无需主管授权');

    // Another program holds the database (a backup tool, say): after the busy timeout the teller is told,
    // nothing is saved, and what was typed stays on the screen for the next try.
    const holder = openDatabase(join(dataDir, DATABASE_FILE));
    holder.exec('BEGIN IMMEDIATE');
    await page.keyboard.press('Enter');
    await eventually(() => page.getByTestId('form-refusal').textContent()).toContain('数据库正被其他程序占用');
    expect(await statusOnScreen(page)).toBe('in_review');
    await withoutToasts(page);
    await desk.shot('form-storage-busy-zh-CN');
    holder.exec('ROLLBACK');
    holder.close();
    await page.getByTestId('form-submit').click();

    // No supervisor needed: approved at once, and the customer signs.
    await eventually(() => statusOnScreen(page)).toBe('approved');
    await page.getByTestId('signature-canvas').scrollIntoViewIfNeeded();
    await sign(page);
    await page.getByTestId('signature-save').click();
    await page.getByTestId('signature-saved').waitFor();
    await withoutToasts(page);
    await desk.shot('signature-zh-CN');
    await page.screenshot({ path: 'test-results/detail-zh-CN.png', fullPage: true });

    // Only masked personal data on the detail screen.
    const detail = (await page.locator('.application-detail').textContent()) ?? '';
    expect(detail).not.toContain(request.applicant.documentNumber);
    expect(detail).not.toContain(request.mobile.bound);
    expect(detail).toContain(`${request.mobile.bound.slice(0, 3)}****${request.mobile.bound.slice(-4)}`);
    expect(await page.getByTestId('history').textContent()).toContain('采集客户签名');

    // The first slip completes the request; in the preview it is offered as a PDF (no printer here).
    await page.getByTestId('issue-slip').click();
    await page.getByTestId('issued-slip').waitFor();
    expect(await page.locator('.ant-modal').textContent()).toContain('首次打印');
    const slipFile = await downloadSlip(page, 'walk-in-slip.pdf', () => page.getByTestId('slip-download').click());
    expect(verifyReceipt(readFileSync(slipFile), installationPublicKey(dataDir)).ok).toBe(true);
    await desk.shot('slip-issued-zh-CN');
    await page.getByTestId('slip-done').click();
    await eventually(() => statusOnScreen(page)).toBe('completed');
    expect(await page.getByTestId('reprint-slip').isVisible()).toBe(true);

    // Back on the board, the request shows as completed with its ticket, and the customer's phone finds it.
    await page.getByRole('button', { name: '返回看板' }).click();
    await page.keyboard.press('F3');
    await page.keyboard.type(request.mobile.bound);
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('.board-search-result').textContent()).toContain('找到 1 笔');
    // What was searched for is shown masked, like everything else on the board.
    expect(await page.locator('.board-search-result').textContent()).not.toContain(request.mobile.bound);
    await page.getByRole('button', { name: '清除搜索' }).click();
    await page.locator('[data-filter=completed]').click();
    await eventually(() => page.locator('.board-row').count()).toBe(1);
    await desk.shot('board-zh-CN');

    // The same board in English.
    await page.getByText('English', { exact: true }).click();
    await eventually(() => page.locator('#board-title').textContent()).toContain("Today's queue");
    await desk.shot('board-en');
    await page.getByText('中文', { exact: true }).click();
    expect(desk.errors).toEqual([]);
  }, 120_000);
});
