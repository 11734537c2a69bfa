import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { FACE_COMPARISON_RESULTS, NOTIFICATION_CHANNELS, ONLINE_CHECK_RESULTS, REASON_CODES, RISK_WARNINGS, VERIFICATION_METHODS, syntheticRandom } from '../../shared';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { verifyReceipt } from '../../electron/core/receipts/receiptVerification';
import { useDeskSuite } from './deskSuite';
import { allowKeyedOnlineCheck } from './coreOverBridge';
import type { RunningPreview } from '../support/preview';
import { ADMIN, downloadSlip, completeSetup, eventually, keyRequest, login, registerAndOpen, settle, sign, statusOnScreen, withoutToasts, type DeskPage, openDesk, installationPublicKey, placeApplicantCard } from './counterDesk';

const suite = useDeskSuite();

/**
 * The keys of a walk-in, counted: `moves` are the keys that move on, choose or act (Tab, arrows, Space,
 * Enter, F2, Esc); `typed` the characters of what the customer's documents say.
 */
class CountedKeys {
  moves = 0;
  typed = 0;
  readonly log: string[] = [];
  constructor(private readonly page: Page) {}
  async press(key: string, times = 1): Promise<void> {
    for (let i = 0; i < times; i += 1) {
      await this.page.keyboard.press(key);
      this.moves += 1;
      this.log.push(key);
    }
  }
  async type(text: string): Promise<void> {
    await this.page.keyboard.type(text);
    this.typed += [...text].length;
  }
}

/** What holds the keyboard: 'body' when nothing does, else the element's test id, id (or its group's) or tag. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const active = document.activeElement;
    if (!active || active === document.body || active === document.documentElement) return 'body';
    // A radio button has no id of its own: its group's id names it.
    return active.getAttribute('data-testid') ?? (active.id || active.closest('[id]')?.id || active.tagName.toLowerCase());
  });
}

/** The focus settles on `where` (never on <body>), and that element is inside the 1280×720 window. */
async function focusLandsOn(page: Page, where: string, what: string): Promise<void> {
  await eventually(() => focused(page)).toBe(where);
  const inView = await page.evaluate(() => {
    // antd draws a radio button or check box as its label; the native input inside is hidden.
    const active = document.activeElement;
    const box = (active instanceof HTMLInputElement ? (active.closest('label') ?? active) : active)?.getBoundingClientRect();
    return box !== undefined && box.top >= 0 && box.bottom <= window.innerHeight && box.height > 0;
  });
  expect(inView, `${what}: ${where} is in view`).toBe(true);
}

/** Arrow keys choose within a radio group (each arrow moves and ticks); Space ticks the first. */
async function choose(keys: CountedKeys, index: number): Promise<void> {
  if (index === 0) await keys.press('Space');
  else await keys.press('ArrowRight', index);
}

/** The header's facts (business date, teller) that a passing message lies over. */
async function headerFactsCoveredBy(page: Page, notice: Locator): Promise<string[]> {
  const covered: string[] = [];
  const noticeBox = await notice.boundingBox();
  for (const fact of ['business-date', 'current-teller']) {
    const box = await page.getByTestId(fact).boundingBox();
    if (noticeBox && box && noticeBox.y < box.y + box.height && box.y < noticeBox.y + noticeBox.height && noticeBox.x < box.x + box.width && box.x < noticeBox.x + noticeBox.width) covered.push(fact);
  }
  return covered;
}

async function setUpAndLogIn(desk: DeskPage, preview: RunningPreview): Promise<void> {
  const { page } = desk;
  await page.locator('#f-branchCode').waitFor();
  await completeSetup(page);
  // No 联网核查 middleware here: the branch lets a keyed result through (identityCheck.e2e tests the default).
  await allowKeyedOnlineCheck(preview);
  // The login from the keyboard. Right after setup the admin's number is filled in and the cursor waits in the
  // password; Shift+Tab and Tab go back and forth; the password's eye is no Tab stop, Tab goes on to the button.
  expect(await focused(page)).toBe('login-password');
  expect(await page.locator('#login-employeeNo').inputValue()).toBe(ADMIN.employeeNo);
  await page.keyboard.press('Shift+Tab');
  expect(await focused(page)).toBe('login-employeeNo');
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('login-password');
  await page.keyboard.type(ADMIN.password);
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => (document.activeElement as HTMLButtonElement | null)?.type)).toBe('submit');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=board-list]').waitFor();
}

describe('a walk-in from the keyboard alone, in Chromium at 1280×720', () => {
  it('takes a customer from F2 to the printed slip with the keys counted, the focus always on the next thing to do', async () => {
    const dataDir = suite.tempDir();
    const preview = await suite.startPreview(dataDir);
    const desk = await openDesk(suite.browser, preview.url);
    const { page } = desk;
    await setUpAndLogIn(desk, preview);
    await focusLandsOn(page, 'board-list', 'the board after login');

    // The board is a grid of rows for a screen reader.
    expect(await page.locator('[data-testid=board-list]').getAttribute('role')).toBe('grid');

    // F1 and Esc: the help comes and goes, and the keyboard is back on the board.
    await page.keyboard.press('F1');
    await page.getByTestId('help-shortcuts').waitFor();
    // F2 while a dialog is open registers nobody.
    await page.keyboard.press('F2');
    await settle(page);
    expect(await page.locator('.board-row').count()).toBe(0);
    await page.keyboard.press('Escape');
    await focusLandsOn(page, 'board-list', 'after F1 → Esc');

    const businessDate = (await page.getByTestId('business-date').textContent())?.slice(-10) ?? '';
    const request = makeDemoRequest(syntheticRandom(2026), businessDate, 'plain');
    const { applicant, pos, mobile, reason, verification, notification } = request;
    const keys = new CountedKeys(page);

    // Call the customer: F2 takes a ticket, Enter opens it, Enter starts the review.
    await keys.press('F2');
    await eventually(() => page.locator('.board-row[role=row]').count()).toBe(1);
    await eventually(() => page.locator('.board-row-selected').count()).toBe(1);
    await focusLandsOn(page, 'board-list', 'after F2');
    // The message 已登记 appears below the header: the business date and the teller stay readable. It slides
    // in from above (antd's motion), so it is measured where it comes to rest.
    const registered = page.locator('.ant-message-notice', { hasText: '已登记' });
    await registered.evaluate((notice) => Promise.all((notice.closest('.ant-message') ?? notice).getAnimations({ subtree: true }).map((a) => a.finished)));
    expect(await headerFactsCoveredBy(page, registered)).toEqual([]);
    await keys.press('Enter');
    await focusLandsOn(page, 'start-review', 'the waiting customer');
    await keys.press('Enter');
    await focusLandsOn(page, 'f-applicant-documentNumber', 'step 1');

    // Step 1, at 1280×720: 下一步 is on screen without scrolling.
    await desk.shot('keyboard-step1-zh-CN');
    const next = await page.getByTestId('form-next').boundingBox();
    expect(next && next.y + next.height <= 720, '下一步 is above the fold').toBe(true);
    await keys.type(applicant.documentNumber);
    await keys.press('Tab');
    await keys.type(applicant.name);
    await keys.press('Tab');
    expect(await focused(page)).toBe('f-applicant-documentExpiry');
    // The expiry as the hint teaches it (20300512), and Enter moves on: no detour through Tab.
    await keys.type(applicant.documentExpiry.replaceAll('-', ''));
    // The customer's card goes on the reader: the chip confirms what was typed, so the request counts as
    // read from the chip (读取证件芯片 is never chosen by hand) and needs no supervisor.
    await placeApplicantCard(page, request);
    expect(await focused(page)).toBe('f-applicant-documentExpiry');
    await keys.press('Enter');
    await focusLandsOn(page, 'f-pos-merchantNumber', 'step 2');
    expect(await page.locator('#f-applicant-documentExpiry').inputValue()).toBe(applicant.documentExpiry);

    // Step 2.
    for (const [value, last] of [[pos.merchantNumber, false], [pos.terminalId, false], [pos.terminalSerial, false], [mobile.bound, false], [mobile.boundConfirm, true]] as const) {
      await keys.type(value ?? '');
      await keys.press(last ? 'Enter' : 'Tab');
    }
    await focusLandsOn(page, 'f-reason-code', 'step 3');
    expect(await page.locator('.ant-form-item-has-error').allTextContents(), 'on arrival at step 3').toEqual([]);

    // Step 3. Passing the unanswered questions (Tab, then back) marks none of them in red (not counted:
    // a detour to check the rule, not part of the walk-in).
    for (let i = 0; i < 4; i += 1) await page.keyboard.press('Tab');
    for (let i = 0; i < 4; i += 1) await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('f-reason-code');
    expect(await page.locator('.ant-form-item-has-error').allTextContents()).toEqual([]);
    await choose(keys, REASON_CODES.indexOf(reason.code));
    const answers = [
      VERIFICATION_METHODS.indexOf(verification.method),
      ONLINE_CHECK_RESULTS.indexOf(verification.onlineCheck),
      FACE_COMPARISON_RESULTS.indexOf(verification.faceComparison),
      verification.holdsBoundPhone ? 0 : 1,
    ];
    for (const answer of answers) {
      await keys.press('Tab');
      await choose(keys, answer);
    }
    await keys.press('Enter');
    await focusLandsOn(page, 'f-notification-channel', 'step 4');

    // Step 4: the risk warnings on screen are the slip's own words.
    expect(await page.locator('.risk-points li').allTextContents()).toEqual([...RISK_WARNINGS]);
    expect(await page.locator('label[for], .ant-checkbox-wrapper').allTextContents()).not.toContain('已向客户逐条进行风险提示（已进行风险提示）');
    expect(NOTIFICATION_CHANNELS.indexOf(notification.channel)).toBe(0); // SMS, already chosen
    await keys.press('Tab');
    expect(await focused(page)).toBe('f-verification-riskWarningAcknowledged');
    await keys.press('Space');
    await keys.press('Tab');
    await keys.press('Space');
    await keys.press('Enter');

    // 提交申请 → the signature, in view.
    await eventually(() => statusOnScreen(page)).toBe('approved');
    await focusLandsOn(page, 'signature-capture', 'after 提交申请');
    await withoutToasts(page);
    await desk.shot('keyboard-signature-zh-CN');
    await sign(page); // the one thing not done with keys
    await focusLandsOn(page, 'signature-save', 'after the customer signed');
    await keys.press('Enter');
    await page.getByTestId('signature-saved').waitFor();
    await focusLandsOn(page, 'issue-slip', 'after 保存签名');
    await withoutToasts(page);
    await desk.shot('keyboard-print-zh-CN');

    // 打印回执: the slip is issued and verifies; Enter closes the dialog and the keyboard is on 返回看板.
    await keys.press('Enter');
    await page.getByTestId('issued-slip').waitFor();
    await focusLandsOn(page, 'slip-done', 'the slip dialog');
    // The preview has no printer: it offers the slip as a PDF, taken here without a key (the test's, not the teller's).
    const slipFile = await downloadSlip(page, 'keyboard-walk-in-slip.pdf', () => page.getByTestId('slip-download').evaluate((link: HTMLAnchorElement) => link.click()));
    expect(verifyReceipt(readFileSync(slipFile), installationPublicKey(dataDir)).ok).toBe(true);
    await keys.press('Enter');
    await eventually(() => statusOnScreen(page)).toBe('completed');
    await focusLandsOn(page, 'back-to-board', 'after the slip dialog');

    // Esc with no dialog open: back to the board, the keyboard on it.
    await keys.press('Escape');
    await focusLandsOn(page, 'board-list', 'back on the board');
    await page.locator('[data-filter=all]').click();
    await eventually(() => page.locator('.board-row[role=row] [role=gridcell]').count()).toBeGreaterThan(0);

    // The bound, from what the request asks and nothing else: 3 keys to call the customer (F2, open, start);
    // one key to leave each of the 8 fields typed into (Tab, or Enter for a step's last field, which moves
    // the step on); in step 3 the keys to pick each answer (Space for the first option, else one arrow per
    // place), a Tab to each of the next four questions and Enter; in step 4 Tab and Space for each of the two
    // confirmations and Enter (提交申请); then 保存签名, 打印回执, closing the slip and Esc to the board.
    // No key goes to finding the focus again: before, after F1→Esc, the slip dialog and 提交申请 it was on
    // <body>, and reaching the next action took up to 18 Tabs each time.
    const call = 3;
    const textFields = 8;
    const step3 = [REASON_CODES.indexOf(reason.code), ...answers].reduce((sum, index) => sum + Math.max(1, index), 0) + 4 + 1;
    const step4 = 2 * 2 + 1;
    const finish = 4;
    const bound = call + textFields + step3 + step4 + finish;
    // The script presses exactly these keys, so the count is a figure, not a check: what makes the walk-in
    // fail is a focus that does not land on the next action after a key (focusLandsOn, at every step above).
    console.log(`keyboard walk-in: ${keys.moves} keys to move and act (bound ${bound}), ${keys.typed} characters typed: ${keys.log.join(' ')}`);
    expect(desk.errors).toEqual([]);
  }, 180_000);

  it('asks before 退出登录 loses a half-typed request, warns (not a green tick) that a supervisor must authorize, and dates the day close in Chinese', async () => {
    const preview = await suite.startPreview();
    const desk = await openDesk(suite.browser, preview.url);
    const { page } = desk;
    await setUpAndLogIn(desk, preview);

    // Half a request typed, then 退出登录 in the header: a question, with 返回继续办理 as the default.
    await registerAndOpen(page);
    await page.keyboard.press('Enter');
    const businessDate = (await page.getByTestId('business-date').textContent())?.slice(-10) ?? '';
    const request = makeDemoRequest(syntheticRandom(77), businessDate, 'exception');
    await page.locator('#f-applicant-documentNumber').fill(request.applicant.documentNumber);
    await page.locator('#f-applicant-name').fill(request.applicant.name);
    await page.getByTestId('header-logout').click();
    const question = page.locator('.ant-modal-confirm');
    await eventually(() => question.textContent()).toContain('有 1 笔申请已录入但尚未提交，退出登录后这些录入内容将丢失。');
    await eventually(() => focused(page)).not.toBe('body');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('返回继续办理');
    await settle(page);
    await desk.shot('logout-question-zh-CN');
    await page.keyboard.press('Enter');
    await eventually(() => question.count()).toBe(0);
    expect(await page.locator('#f-applicant-name').inputValue()).toBe(request.applicant.name);
    expect(await page.getByTestId('current-teller').isVisible()).toBe(true);

    // The rest typed and submitted: a supervisor must authorize — a warning below the header, not a success.
    await keyRequest(page, request);
    await eventually(() => statusOnScreen(page)).toBe('pending_authorization');
    const note = page.locator('.ant-message-notice', { hasText: '申请须经主管授权' });
    await note.waitFor();
    expect(await note.locator('.anticon-exclamation-circle').count()).toBe(1);
    expect(await note.locator('.anticon-check-circle').count()).toBe(0);
    expect(await headerFactsCoveredBy(page, note)).toEqual([]);
    await desk.shot('pending-note-zh-CN');
    await page.keyboard.press('Escape');

    // Logging out now (the request was sent) asks nothing.
    await withoutToasts(page);
    await page.getByTestId('header-logout').click();
    await page.locator('#login-employeeNo').waitFor();
    await login(page, ADMIN.employeeNo, ADMIN.password);

    // The day close's date picker speaks Chinese: placeholder and calendar.
    await page.getByTestId('nav-dayclose').click();
    const picker = page.locator('#dayclose-date-input');
    await picker.waitFor();
    expect(await picker.getAttribute('placeholder')).toBe('请选择日期');
    await picker.click();
    await eventually(() => page.locator('.ant-picker-dropdown thead').textContent()).toBe('一二三四五六日');
    await picker.fill('20261201');
    await picker.press('Enter');
    await eventually(() => picker.inputValue()).toBe('2026-12-01');
    await desk.shot('dayclose-picker-zh-CN');
    expect(desk.errors).toEqual([]);
  }, 180_000);
});
