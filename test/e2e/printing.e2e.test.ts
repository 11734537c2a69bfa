import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticRandom } from '../../shared';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { readQrFromPdf, verifyReceiptQr } from '../../electron/core/receipts/receiptVerification';
import { startCups, type PrivateCups } from '../support/cupsServer';
import { useDeskSuite } from './deskSuite';
import { allowKeyedOnlineCheck } from './coreOverBridge';
import { ADMIN, SHOTS, completeSetup, eventually, layoutProblems, installationPublicKey, keyRequest, login, openDesk, registerAndOpen, settle, sign, statusOnScreen, withoutToasts } from './counterDesk';

/**
 * The counter's 打印 in Chromium against the preview, which prints through the same CUPS adapter as the desktops:
 * here to a private CUPS scheduler with a cups-pdf virtual printer, whose output folder is where the slip lands.
 */
const suite = useDeskSuite();
const root = mkdtempSync(join(tmpdir(), 'unbinddesk-e2ecups-'));
let cups: PrivateCups;
const PRINTER = `CounterA5_${randomBytes(3).toString('hex')}`;
let out = '';

beforeAll(async () => {
  cups = await startCups(root);
  out = cups.addPdfPrinter(PRINTER);
}, 60_000);

afterAll(async () => {
  await cups?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('printing the slip from the counter, in Chromium against the real core and a real CUPS', () => {
  it('the admin picks the printer, the teller sees it stopped, the print fails and says why, then prints and the request is completed', { timeout: 180_000 }, async () => {
    const dataDir = suite.tempDir();
    const preview = await suite.startPreview(dataDir, { cupsServer: cups.server });
    const desk = await openDesk(suite.browser, preview.url);
    const { page } = desk;
    await page.locator('#f-branchCode').waitFor();
    await completeSetup(page);
    // No 联网核查 middleware here: the branch lets the teller's keyed result through (the identity-check e2e keeps the default).
    await allowKeyedOnlineCheck(preview);
    await login(page, ADMIN.employeeNo, ADMIN.password);

    // 系统设置 → 打印机: the spooler's printers with their state; choose the A5 printer and print a test page.
    await page.locator('[data-testid=board-list]').waitFor();
    await page.getByTestId('nav-settings').click();
    await page.getByRole('tab', { name: '打印机' }).click();
    await page.getByTestId('printer-a5').click();
    await page.locator('.ant-select-item-option', { hasText: PRINTER }).click();
    await eventually(() => page.getByTestId('printer-a5-state').textContent()).toBe('就绪');
    await page.getByTestId('printers-save').click();
    await eventually(() => page.locator('.ant-message').textContent()).toContain('设置已保存');
    await page.getByTestId('test-page-a5').click();
    await eventually(() => page.locator('.ant-message').textContent()).toMatch(/已打印（任务 \d+）/);
    await withoutToasts(page);
    await desk.shot('settings-printers-zh-CN');
    expect(await layoutProblems(page)).toEqual([]);
    await page.getByText('English', { exact: true }).click();
    await eventually(() => page.getByTestId('printer-a5-state').textContent()).toBe('ready');
    expect(await layoutProblems(page)).toEqual([]);
    await desk.shot('settings-printers-en');
    await page.getByText('中文', { exact: true }).click();
    await eventually(() => page.getByTestId('printer-a5-state').textContent()).toBe('就绪');
    const testPages = readdirSync(out).length;
    expect(testPages).toBe(1);

    // The printer stops (paper out) while a walk-in is served, approved and signed.
    cups.run('cupsdisable', ['-r', 'paper out', PRINTER]);
    await page.getByRole('button', { name: '排队看板' }).click();
    await registerAndOpen(page);
    await page.keyboard.press('Enter');
    await page.locator('#f-applicant-documentNumber').waitFor();
    const businessDate = (await page.getByTestId('business-date').textContent())?.slice(-10) ?? '';
    await keyRequest(page, makeDemoRequest(syntheticRandom(4242), businessDate, 'plain'));
    await eventually(() => statusOnScreen(page)).toBe('approved');
    await page.getByTestId('signature-canvas').scrollIntoViewIfNeeded();
    await sign(page);
    await page.getByTestId('signature-save').click();
    await page.getByTestId('signature-saved').waitFor();

    // The teller sees the printer stopped before pressing 打印, and the print says why.
    await eventually(() => page.getByTestId('slip-printer-state').textContent()).toContain('已停止（已暂停）');
    await withoutToasts(page);
    await desk.shot('slip-printer-stopped-zh-CN');
    await page.getByTestId('issue-slip').click();
    await eventually(() => page.getByTestId('slip-print-failure').textContent()).toBe(`打印机「${PRINTER}」已停止（已暂停），请检查打印机后重新打印。`);
    expect(await statusOnScreen(page)).toBe('approved');
    expect(readdirSync(out).length).toBe(testPages);
    await settle(page);
    await desk.shot('slip-print-failed-zh-CN');

    // Back on: 重新打印 prints; the request is completed and the slip is in the printer's output folder.
    cups.run('cupsenable', [PRINTER]);
    await page.getByTestId('slip-retry').click();
    await page.getByTestId('issued-slip').waitFor();
    expect(await page.getByTestId('slip-printed').textContent()).toMatch(/^已打印（任务 \d+）。$/);
    expect(await page.getByTestId('slip-download').count()).toBe(0);
    await settle(page);
    await desk.shot('slip-printed-zh-CN');
    await page.getByTestId('slip-done').click();
    await eventually(() => statusOnScreen(page)).toBe('completed');
    await eventually(() => page.locator('.application-header .status-tag').textContent()).toBe('已完成');
    await eventually(() => readdirSync(out).length).toBe(testPages + 1);
    // The queue's title (and so cups-pdf's file name) is the application number and print number, nothing personal.
    const slip = readdirSync(out).find((name) => /^\d{6}-\d{2}-\d{8}-\d{4}-1_/.test(name));
    expect(slip).toBeDefined();
    const printed = join(out, slip ?? '');
    // The QR code on the printed page verifies with the branch key (the printed copy's Chinese text lost its font
    // map in cups-pdf's Ghostscript, so the page is checked by its code).
    const verdict = verifyReceiptQr((await readQrFromPdf(printed)) ?? '', installationPublicKey(dataDir));
    expect(verdict.ok && verdict.fields.printCount).toBe(1);
    expect(verdict.ok && slip?.startsWith(verdict.fields.applicationNumber)).toBe(true);
    copyFileSync(printed, join(SHOTS, 'printed-slip-cups-pdf.pdf'));
    expect(desk.errors).toEqual([]);
  });
});
