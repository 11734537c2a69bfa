import { describe, expect, it } from 'vitest';
import { makeResidentIdNumber } from '../../shared';
import { useDeskSuite } from './deskSuite';
import { ADMIN, eventually, login, openDesk, registerAndOpen, statusOnScreen } from './counterDesk';
import { setUpBranchOverBridge } from './coreOverBridge';

const suite = useDeskSuite();

describe('a document number that fails its check', () => {
  it('is refused in Chinese beside the field, the step cannot be left with Enter, and the request is rejected', async () => {
    const preview = await suite.startPreview();
    await setUpBranchOverBridge(preview);
    const desk = await openDesk(suite.browser, preview.url);
    const { page } = desk;
    await login(page, ADMIN.employeeNo, ADMIN.password);
    await registerAndOpen(page);
    await page.keyboard.press('Enter');
    const number = page.locator('#f-applicant-documentNumber');
    await number.waitFor();

    // One digit off: the check character (ISO 7064 MOD 11-2) no longer matches.
    const valid = makeResidentIdNumber({ regionCode: '110105', birthDate: '1980-05-12', sequence: 123 });
    const mistyped = `${valid.slice(0, 16)}${valid[16] === '5' ? '6' : '5'}${valid[17]}`;
    await number.fill(mistyped);
    const help = page.locator('#f-applicant-documentNumber-help');
    await eventually(() => help.textContent()).toBe('证件号码校验位不符，请逐位核对号码');
    expect(await number.getAttribute('aria-invalid')).toBe('true');
    await page.locator('#f-applicant-name').fill('张三');
    await page.locator('#f-applicant-documentExpiry-long-term').check();
    await desk.shot('form-invalid-id-zh-CN');

    // Enter checks the step: it stays on the document and puts the cursor back on the number.
    await page.locator('#f-applicant-name').press('Enter');
    await eventually(() => page.evaluate(() => document.activeElement?.id)).toBe('f-applicant-documentNumber');
    expect(await page.locator('#f-pos-merchantNumber').isVisible()).toBe(false);

    // The teller refuses the request, with the reason.
    await page.getByTestId('form-reject').click();
    const dialog = page.getByTestId('outcome-dialog');
    await dialog.getByText('证件无效', { exact: true }).click();
    await page.getByTestId('outcome-confirm').click();
    await eventually(() => statusOnScreen(page)).toBe('rejected');
    expect(await page.locator('.application-facts').textContent()).toContain('证件无效');
    await desk.shot('rejected-zh-CN');
    expect(desk.errors).toEqual([]);
  }, 120_000);
});
