import { createPublicKey, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { ApplicationFormValues } from '../../shared';
import { expect } from 'vitest';
import { parseInstallationSecret } from '../../electron/core/crypto/installationKeys';
import { syntheticPhoto } from '../../electron/core/cardReader/syntheticCards';
import { buildTextBlock, type ChipCardFacts } from '../../electron/core/cardReader/textBlock';
import { chipFactsFor } from '../support/chipCards';

/**
 * expect.poll with room for the real core: a login or a supervisor's credentials cost a scrypt hash
 * (~0.4 s, more on a busy CI machine).
 */
export function eventually<T>(read: () => Promise<T> | T): ReturnType<typeof expect.poll<T>> {
  return expect.poll(read, { timeout: 15_000, interval: 50 });
}

/** Where every screenshot goes; the README's pictures are chosen from here. */
export const SHOTS = 'test-results';

export interface DeskPage {
  page: Page;
  /** Page errors and console errors seen so far; a test ends by expecting none. */
  errors: string[];
  shot(name: string): Promise<void>;
}

/** A counter window: a fresh Chromium page on the preview, collecting every error the page reports. */
export async function openDesk(browser: Browser, url: string, options: { width?: number; height?: number; scale?: number; clock?: boolean } = {}): Promise<DeskPage> {
  mkdirSync(SHOTS, { recursive: true });
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 720 },
    deviceScaleFactor: options.scale ?? 1,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  if (options.clock) await page.clock.install();
  await page.goto(url);
  return { page, errors, shot: (name) => page.screenshot({ path: `${SHOTS}/${name}.png` }).then(() => undefined) };
}

export const BRANCH = { code: '310101', desk: '01', name: '上海分行营业部', bank: '示例银行' };
export const ADMIN = { employeeNo: 'A001', name: '管理员', password: 'Brass-Lantern-61' };
/** Accounts an admin creates in a test: the first password the admin gives, and the one the owner then chooses. */
export const TELLER = { employeeNo: 'T001', name: '王柜员', first: 'Pebble-Comet-19', own: 'Quiet-Harbor-27' };
export const SUPERVISOR = { employeeNo: 'S001', name: '赵主管', first: 'Amber-Fjord-45', own: 'Cobalt-Ridge-34' };

/** 首次设置 through the screen. */
export async function completeSetup(page: Page): Promise<void> {
  await page.locator('#f-branchCode').fill(BRANCH.code);
  await page.locator('#f-desk').fill(BRANCH.desk);
  await page.locator('#f-branchName').fill(BRANCH.name);
  await page.locator('#f-bankName').fill(BRANCH.bank);
  await page.locator('#f-admin-employeeNo').fill(ADMIN.employeeNo);
  await page.locator('#f-admin-name').fill(ADMIN.name);
  await page.locator('#f-admin-password').fill(ADMIN.password);
  await page.locator('#f-admin-passwordAgain').fill(ADMIN.password);
  await page.keyboard.press('Enter');
  await page.locator('#login-employeeNo').waitFor();
}

export async function login(page: Page, employeeNo: string, password: string): Promise<void> {
  await page.locator('#login-employeeNo').fill(employeeNo);
  await page.locator('#login-password').fill(password);
  await page.keyboard.press('Enter');
}

export async function changeFirstPassword(page: Page, current: string, next: string): Promise<void> {
  await page.locator('#f-current').waitFor();
  await page.locator('#f-current').fill(current);
  await page.locator('#f-next').fill(next);
  await page.locator('#f-nextAgain').fill(next);
  await page.keyboard.press('Enter');
}

export async function logout(page: Page): Promise<void> {
  await page.getByRole('button', { name: /退出登录|Log out/ }).click();
  await page.locator('#login-employeeNo').waitFor();
}

/** F2, then Enter on the new row (the board selects it): the waiting panel of the new request. */
export async function registerAndOpen(page: Page): Promise<void> {
  await page.locator('[data-testid=board-list]').waitFor();
  const before = await page.locator('.board-row').count();
  await page.keyboard.press('F2');
  await eventually(() => page.locator('.board-row').count()).toBe(before + 1);
  // Tickets run in order, so the new walk-in is the last row; the board selects it.
  const last = await page.locator('.board-row').last().getAttribute('data-ticket');
  await eventually(() => page.locator('.board-row-selected').getAttribute('data-ticket')).toBe(last);
  await page.locator('[data-testid=board-list]').focus();
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=start-review]').waitFor();
}

/**
 * Acts on the preview's simulated card reader (its panel's own routes, `--reader-sim`), with the tab's token:
 * puts a demo card (by id) or a card with these facts on the reader, takes it off, or injects a fault.
 */
export async function readerSim(page: Page, action: 'place' | 'lift' | 'fault', body: { card?: string; facts?: ChipCardFacts; fault?: string } = {}): Promise<void> {
  const payload: Record<string, string> = {};
  if (body.card !== undefined) payload.card = body.card;
  if (body.fault !== undefined) payload.fault = body.fault;
  if (body.facts !== undefined) {
    payload.textBlock = buildTextBlock(body.facts).toString('base64');
    payload.photo = syntheticPhoto(body.facts.documentNumber).toString('base64');
  }
  const result = await page.evaluate(
    async ({ action, payload }) => {
      const token = sessionStorage.getItem('counter.previewToken') ?? '';
      const response = await fetch(`/reader-sim/${action}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Counter-Token': token }, body: JSON.stringify(payload) });
      return (await response.json()) as { ok: boolean };
    },
    { action, payload },
  );
  if (!result.ok) throw new Error(`reader-sim ${action} refused: ${JSON.stringify(result)}`);
}

/** The applicant's card on the reader, and the form filled from it. */
export async function placeApplicantCard(page: Page, request: ApplicationFormValues): Promise<void> {
  await readerSim(page, 'lift');
  await readerSim(page, 'place', { facts: chipFactsFor(request.applicant, request.businessDate) });
  await eventually(() => page.locator('#f-applicant-documentNumber').inputValue()).toBe(request.applicant.documentNumber);
  await page.getByTestId('chip-facts').waitFor();
}

async function choose(page: Page, field: string, value: string | boolean): Promise<void> {
  await page.locator(`#${field} label:has(input[value="${String(value)}"])`).click();
}

/** Types a request into the four steps the way a teller would, moving on with Enter. */
export async function keyRequest(page: Page, request: ApplicationFormValues, options: { submit?: boolean; checkedOnline?: boolean } = {}): Promise<void> {
  const { applicant, pos, mobile, verification, notification, reason } = request;
  if (verification.method === 'chip') {
    // 读取证件芯片 is set only by a read: the applicant's card goes on the (simulated) reader, unless this
    // applicant's card was read already (a second read would race the keys typed after it).
    const alreadyRead =
      (await page.getByTestId('chip-facts').count()) > 0 && (await page.locator('#f-applicant-documentNumber').inputValue()) === applicant.documentNumber;
    if (!alreadyRead) await placeApplicantCard(page, request);
  } else {
    await page.locator('#f-applicant-documentNumber').fill(applicant.documentNumber);
    await page.locator('#f-applicant-name').fill(applicant.name);
    if (applicant.documentExpiry === 'long_term') await page.locator('#f-applicant-documentExpiry-long-term').check();
    else await page.locator('#f-applicant-documentExpiry').fill(applicant.documentExpiry);
  }
  await page.locator('#f-applicant-name').press('Enter');

  await page.locator('#f-pos-merchantNumber').waitFor({ state: 'visible' });
  await page.locator('#f-pos-merchantNumber').fill(pos.merchantNumber ?? '');
  await page.locator('#f-pos-terminalId').fill(pos.terminalId ?? '');
  await page.locator('#f-pos-terminalSerial').fill(pos.terminalSerial ?? '');
  await page.locator('#f-mobile-bound').fill(mobile.bound);
  await page.locator('#f-mobile-boundConfirm').fill(mobile.boundConfirm);
  await page.locator('#f-mobile-boundConfirm').press('Enter');

  await page.locator('#f-reason-code').waitFor({ state: 'visible' });
  await choose(page, 'f-reason-code', reason.code);
  if (verification.method === 'manual') await choose(page, 'f-verification-method', verification.method);
  if (verification.method === 'manual') await page.locator('#f-verification-documentNumberReentry').fill(verification.documentNumberReentry ?? '');
  // With a 联网核查 middleware the core fills the result from its answer; there is nothing to pick.
  if (options.checkedOnline !== true) await choose(page, 'f-verification-onlineCheck', verification.onlineCheck);
  await choose(page, 'f-verification-faceComparison', verification.faceComparison);
  await choose(page, 'f-verification-holdsBoundPhone', verification.holdsBoundPhone);
  await page.getByTestId('form-next').click();

  await page.locator('#f-notification-channel').waitFor({ state: 'visible' });
  await choose(page, 'f-notification-channel', notification.channel);
  await page.locator('#f-verification-riskWarningAcknowledged').check();
  await page.locator('#f-consent-personalInformation').check();
  if (options.submit !== false) await page.getByTestId('form-submit').click();
}

/** The supervisor types their own credentials into the authorization dialog and approves. */
export async function authorizeAs(page: Page, employeeNo: string, password: string): Promise<void> {
  const dialog = page.getByTestId('authorization-dialog');
  await dialog.waitFor();
  await page.locator('#authorize-employeeNo').fill(employeeNo);
  await page.locator('#authorize-password').fill(password);
  await page.getByTestId('authorize-approve').click();
}

/** A few strokes of a pen across the signature box. */
export async function sign(page: Page): Promise<void> {
  const box = await page.getByTestId('signature-canvas').boundingBox();
  if (!box) throw new Error('no signature canvas');
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + 40, y);
  await page.mouse.down();
  for (let i = 1; i <= 20; i += 1) await page.mouse.move(box.x + 40 + i * 12, y + Math.sin(i / 2) * 30, { steps: 2 });
  await page.mouse.up();
  await page.mouse.move(box.x + 120, y - 40);
  await page.mouse.down();
  await page.mouse.move(box.x + 140, y + 50, { steps: 6 });
  await page.mouse.up();
}

/** The status of the request on screen, by its stable code. */
/** The customer signs, the slip is issued and downloaded into test-results/NAME; returns the PDF's path. */
export async function signAndDownloadSlip(page: Page, name: string): Promise<string> {
  await page.getByTestId('signature-canvas').scrollIntoViewIfNeeded();
  await sign(page);
  await page.getByTestId('signature-save').click();
  await page.getByTestId('signature-saved').waitFor();
  await page.getByTestId('issue-slip').click();
  await page.getByTestId('issued-slip').waitFor();
  return downloadSlip(page, name, () => page.getByTestId('slip-download').click());
}

/**
 * The slip offered as a file, saved into test-results/NAME once `take` (a click on 下载回执) has started the
 * download; returns the PDF's path. The wait and the click are awaited together, so a click that fails leaves
 * no wait behind to time out later in another test.
 */
export async function downloadSlip(page: Page, name: string, take: () => Promise<void>): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), take()]);
  const slipFile = join(SHOTS, name);
  await download.saveAs(slipFile);
  return slipFile;
}

export function statusOnScreen(page: Page) {
  return page.locator('.application-header .status-tag').getAttribute('data-status');
}

/**
 * What does not fit on screen: a page wider than the window, or a label, heading, button or tab whose
 * text is cut off; and a time shown as a machine's timestamp. Empty when the layout holds.
 */
export function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > window.innerWidth + 1) problems.push(`page is ${root.scrollWidth}px wide in a ${window.innerWidth}px window`);
    // Text that must fit its box: labels, headings, buttons, tabs, tags and table cells.
    const boxes = [
      '.ant-form-item-label > label',
      '.board-filter',
      '.ant-table-cell',
      '.ant-tag',
      '.ant-btn',
      '.ant-steps-item-title',
      '.ant-tabs-tab-btn',
      '.ant-descriptions-item-label',
      '.ant-descriptions-item-content',
      '.app-header-facts > span',
      '.ant-radio-button-wrapper',
      '.ant-checkbox-wrapper',
      'legend',
    ];
    for (const element of document.querySelectorAll<HTMLElement>(boxes.join(','))) {
      if (element.offsetParent === null || element.closest('[hidden]')) continue;
      // A virtual table's cells scroll horizontally inside the table; its own width is what matters.
      if (element.closest('.ant-table-tbody-virtual-holder') && element.classList.contains('ant-table-cell') && element.scrollWidth <= element.clientWidth + 1) continue;
      if (element.scrollWidth > element.clientWidth + 1) problems.push(`does not fit (${element.scrollWidth} > ${element.clientWidth}): "${element.textContent?.trim().slice(0, 60)}"`);
    }
    // A column heading may wrap between words, never inside one ("Applican / t"): each Latin word of a heading
    // must lie on one line.
    for (const heading of document.querySelectorAll<HTMLElement>('.ant-table-thead .ant-table-cell')) {
      if (heading.offsetParent === null) continue;
      const walker = document.createTreeWalker(heading, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        for (const match of text.matchAll(/[A-Za-z][A-Za-z.'-]+/g)) {
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          const lines = new Set([...range.getClientRects()].filter((rect) => rect.width > 0).map((rect) => Math.round(rect.top)));
          if (lines.size > 1) problems.push(`heading word broken across lines: "${match[0]}" in "${heading.textContent?.trim().slice(0, 60)}"`);
        }
      }
    }
    // Times are shown as the branch's wall clock (2026-12-04 01:37:56), never as a machine's timestamp
    // (2026-12-03T17:37:56.398Z, another date in UTC): the chip evidence showed one.
    for (const match of document.body.innerText.matchAll(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}[^\s，）)]*/g)) problems.push(`machine timestamp on screen: ${match[0]}`);
    return problems;
  });
}

/** Waits until passing messages ("已创建…") are gone, for a picture without them. */
export async function withoutToasts(page: Page): Promise<void> {
  await eventually(() => page.locator('.ant-message-notice').count()).toBe(0);
}

/**
 * Confirms a confirmation dialog (antd's `modal.confirm`, OK focused) with Enter, once its button holds the
 * focus. A pointer click in the opening animation can be lost on a loaded machine; a key goes to the focus.
 */
export async function confirmWithEnter(page: Page, name: string): Promise<void> {
  const button = page.getByRole('button', { name });
  await eventually(() => button.evaluate((element) => element === document.activeElement)).toBe(true);
  await page.keyboard.press('Enter');
}

/** Lets an animation (a dialog opening, the form's steps moving) finish before a screenshot. */
export function settle(page: Page): Promise<void> {
  return page.waitForTimeout(400);
}

/** The public key of the installation in a preview's data folder: what verifies the slips it printed. */
export function installationPublicKey(dataDir: string): KeyObject {
  const { signingKey } = parseInstallationSecret(readFileSync(join(dataDir, 'installation.key')));
  return createPublicKey(signingKey);
}
