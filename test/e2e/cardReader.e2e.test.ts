import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syntheticRandom } from '../../shared';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { SYNTHETIC_CARDS } from '../../electron/core/cardReader/syntheticCards';
import { verifyReceipt } from '../../electron/core/receipts/receiptVerification';
import { useDeskSuite } from './deskSuite';
import { allowKeyedOnlineCheck } from './coreOverBridge';
import {
  ADMIN,
  completeSetup,
  eventually,
  installationPublicKey,
  keyRequest,
  layoutProblems,
  login,
  openDesk,
  readerSim,
  registerAndOpen,
  SHOTS,
  signAndDownloadSlip,
  statusOnScreen,
  withoutToasts,
} from './counterDesk';

const suite = useDeskSuite();

describe('the ID card reader at the counter (simulated reader, Chromium, the real core)', () => {
  it('fills the form from a card, says each reader error plainly, and carries the chip evidence to the slip', async () => {
    const dataDir = suite.tempDir();
    const preview = await suite.startPreview(dataDir);
    const desk = await openDesk(suite.browser, preview.url, { height: 900 });
    const { page } = desk;
    await page.locator('#f-branchCode').waitFor();
    await completeSetup(page);
    // No 联网核查 middleware here: the branch lets the teller's keyed result through (the identity-check e2e keeps the default).
    await allowKeyedOnlineCheck(preview);
    await login(page, ADMIN.employeeNo, ADMIN.password);
    await registerAndOpen(page);
    await page.keyboard.press('Enter');
    await page.locator('#f-applicant-documentNumber').waitFor();
    await eventually(() => page.getByTestId('chip-reader-state').textContent()).toContain('请将证件放在读卡器上');

    // A demo card on the reader: the form fills itself, the chip's other facts show read-only.
    const card = SYNTHETIC_CARDS.longTerm;
    await readerSim(page, 'place', { card: 'longTerm' });
    await eventually(() => page.locator('#f-applicant-documentNumber').inputValue()).toBe(card.facts.documentNumber);
    expect(await page.locator('#f-applicant-name').inputValue()).toBe('林秀英');
    expect(await page.locator('#f-applicant-documentExpiry-long-term').isChecked()).toBe(true);
    const facts = (await page.getByTestId('chip-facts').textContent()) ?? '';
    expect(facts).toContain('回');
    expect(facts).toContain('宁夏回族自治区银川市兴庆区示例街18号');
    expect(facts).toContain('银川市公安局兴庆区分局');
    expect(await page.getByTestId('chip-photo').textContent()).toContain('无法在此显示照片');
    expect(await page.getByTestId('chip-evidence').textContent()).toContain('05.01-20101216-0016541549-2212183410');
    expect(await page.getByTestId('banner-document-source').getAttribute('data-source')).toBe('chip');
    await withoutToasts(page);
    await desk.shot('form-chip-read-zh-CN');

    // A chip whose number fails its check: said plainly, and nothing on the form changes.
    await readerSim(page, 'lift');
    await readerSim(page, 'place', { card: 'badNumber' });
    await eventually(() => page.getByTestId('chip-reader-error').textContent()).toContain('芯片中的证件号码校验不通过');
    expect(await page.locator('#f-applicant-documentNumber').inputValue()).toBe(card.facts.documentNumber);
    expect(await page.locator('#f-applicant-name').inputValue()).toBe('林秀英');
    // A card lifted while it is read, then a checksum error: each in Chinese, and F4 reads again.
    await readerSim(page, 'lift');
    await readerSim(page, 'place', { card: 'resident' });
    await readerSim(page, 'fault', { fault: 'bad_checksum' });
    await page.keyboard.press('F4');
    await eventually(() => page.getByTestId('chip-reader-error').textContent()).toContain('读卡数据校验失败');
    await page.keyboard.press('F4');
    await eventually(() => page.locator('#f-applicant-name').inputValue()).toBe('周建国');
    await readerSim(page, 'lift');

    // The walk-in itself: the applicant's card is read, nothing keyed, so no supervisor is needed.
    const businessDate = (await page.getByTestId('business-date').textContent())?.slice(-10) ?? '';
    const request = makeDemoRequest(syntheticRandom(1414), businessDate, 'plain');
    await keyRequest(page, request, { submit: false });
    await eventually(() => page.getByTestId('authorization-banner').textContent()).toContain('无需主管授权');
    expect(await page.getByTestId('banner-document-source').getAttribute('data-source')).toBe('chip');
    await page.getByTestId('form-submit').click();
    await eventually(() => statusOnScreen(page)).toBe('approved');
    expect(await page.getByTestId('detail-chip-evidence').textContent()).toContain('05.01-20101216-0016541549-2212183410');
    // Its read time as the branch's wall clock, as every other time on the detail.
    expect(await layoutProblems(page)).toEqual([]);

    const slipFile = await signAndDownloadSlip(page, 'chip-read-slip.pdf');
    expect(verifyReceipt(readFileSync(slipFile), installationPublicKey(dataDir)).ok).toBe(true);
    const slipText = execFileSync('pdftotext', ['-enc', 'UTF-8', slipFile, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(slipText).toContain('证件读取：芯片读卡');
    expect(slipText).toContain('读卡机具：SAM05.01-20101216-0016541549-2212183410');
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', slipFile, join(SHOTS, 'chip-read-slip')]);
    // verify-receipt, as head office runs it.
    const publicKey = join(dataDir, 'branch-public.pem');
    const pem = installationPublicKey(dataDir).export({ type: 'spki', format: 'pem' });
    (await import('node:fs')).writeFileSync(publicKey, pem);
    const verified = execFileSync(process.execPath, ['--import', 'tsx', 'electron/cli.ts', 'verify-receipt', slipFile, '--public-key', publicKey], { encoding: 'utf8' });
    expect(verified).toMatch(/chipEvidencePrefix\s+[0-9a-f]{10}/);
    await page.getByTestId('slip-done').click();
    await eventually(() => statusOnScreen(page)).toBe('completed');
    expect(desk.errors).toEqual([]);
  }, 180_000);

  it('turns a chip-filled request back into manual keying when a field is changed by hand: a supervisor is needed', async () => {
    const preview = await suite.startPreview();
    const desk = await openDesk(suite.browser, preview.url);
    const { page } = desk;
    await page.locator('#f-branchCode').waitFor();
    await completeSetup(page);
    // No 联网核查 middleware here: the branch lets the teller's keyed result through (the identity-check e2e keeps the default).
    await allowKeyedOnlineCheck(preview);
    await login(page, ADMIN.employeeNo, ADMIN.password);

    // Branch IT's settings: a port that is not one is refused in the core, with the reason under the field.
    await page.getByTestId('nav-settings').click();
    await page.getByRole('tab', { name: '身份证读卡器' }).click();
    await page.locator('[data-testid=settings-reader-kind] label', { hasText: '串口' }).click();
    await page.locator('#settings-reader-path').fill('../../etc/passwd');
    await page.getByTestId('settings-reader-save').click();
    await eventually(() => page.locator('.ant-form-item-has-error').textContent()).toContain('/dev/ttyUSB0');
    await page.locator('#settings-reader-path').fill('/dev/ttyUSB0');
    await page.getByTestId('settings-reader-save').click();
    await eventually(() => page.locator('.ant-form-item-has-error').count()).toBe(0);
    await desk.shot('settings-reader-zh-CN');
    await page.locator('.workspace-nav button').first().click();

    await registerAndOpen(page);
    await page.keyboard.press('Enter');
    await readerSim(page, 'place', { card: 'resident' });
    await eventually(() => page.locator('#f-applicant-name').inputValue()).toBe('周建国');
    await eventually(() => page.getByTestId('banner-document-source').getAttribute('data-source')).toBe('chip');
    await page.locator('#f-applicant-name').fill('周建华');
    await eventually(() => page.getByTestId('banner-document-source').getAttribute('data-source')).toBe('keyed');
    await eventually(() => page.getByTestId('authorization-banner').textContent()).toContain('手工录入证件信息（未读取芯片）');
    // The reader keeps being polled: the read the teller overrode is not applied again.
    await page.waitForTimeout(1500);
    expect(await page.locator('#f-applicant-name').inputValue()).toBe('周建华');
    expect(await page.getByTestId('banner-document-source').getAttribute('data-source')).toBe('keyed');
    await page.locator('#f-applicant-name').press('Enter');
    await page.locator('#f-pos-merchantNumber').waitFor({ state: 'visible' });
    await page.locator('.form-steps .ant-steps-item').nth(2).click();
    // On the verification step only 手工录入 is offered, with the number keyed a second time.
    await page.locator('#f-reason-code').waitFor({ state: 'visible' });
    expect(await page.locator('#f-verification-method input[value="chip"]').count()).toBe(0);
    expect(await page.locator('#f-verification-documentNumberReentry').isVisible()).toBe(true);
    expect(desk.errors).toEqual([]);
  }, 120_000);
});
