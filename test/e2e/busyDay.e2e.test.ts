import { describe, expect, it } from 'vitest';
import { syntheticRandom } from '../../shared';
import { openCore } from '../../electron/core';
import { silentEventLog } from '../../electron/core/eventLog';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { SamReaderSimulator } from '../../electron/core/cardReader/samReaderSimulator';
import { openInProcessReader } from '../../electron/core/cardReader/inProcessReader';
import { placeCardFor } from '../support/chipCards';
import { useDeskSuite } from './deskSuite';
import { ADMIN, BRANCH, eventually, login, openDesk } from './counterDesk';

const suite = useDeskSuite();

const REQUESTS = 5000;

/** A busy day written straight through the core's router (in-process, fast), before the preview opens it. */
async function fillDay(dataDir: string): Promise<void> {
  const readerSim = new SamReaderSimulator();
  const core = await openCore({ dataDir, appVersion: '0.0.0-test', log: silentEventLog, passwordCost: 12, openCardReader: () => Promise.resolve(openInProcessReader(readerSim, 0)) });
  const ask = async (method: string, input: unknown) => {
    const result = await core.router.invoke('seed', method, input);
    if (!result.ok) throw new Error(`${method}: ${JSON.stringify(result.error)}`);
    return result.value as { id: number; version: number; businessDate: string };
  };
  await ask('auth.setup', { branchCode: BRANCH.code, desk: BRANCH.desk, branchName: BRANCH.name, bankName: BRANCH.bank, admin: { employeeNo: ADMIN.employeeNo, name: ADMIN.name, password: ADMIN.password } });
  await ask('auth.login', { employeeNo: ADMIN.employeeNo, password: ADMIN.password });
  const random = syntheticRandom(5000);
  for (let i = 0; i < REQUESTS; i += 1) {
    const registered = await ask('applications.register', { channel: 'counter' });
    // One in ten keyed, so the board has names, phones and terminals to show.
    if (i % 10 === 0) {
      const started = await ask('applications.startReview', { id: registered.id, version: registered.version });
      // Read from the applicant's card first, as at the counter (读取证件芯片 only with a read).
      const request = makeDemoRequest(random, registered.businessDate, 'plain');
      const chipReadId = await placeCardFor(core, readerSim, 'seed', request);
      await ask('applications.submit', { id: registered.id, version: started.version, request: { ...request, verification: { ...request.verification, chipReadId } } });
    }
  }
  core.close();
}

describe('a busy day', () => {
  it(`shows ${REQUESTS} requests on the board, rendering only the rows in view, and keeps ↑/↓/End quick`, async () => {
    const dataDir = suite.tempDir();
    await fillDay(dataDir);
    const preview = await suite.startPreview(dataDir);
    const desk = await openDesk(suite.browser, preview.url);
    const { page } = desk;
    await login(page, ADMIN.employeeNo, ADMIN.password);
    await page.locator('.board-row').first().waitFor();

    const started = Date.now();
    await page.locator('[data-filter=all]').click();
    await eventually(() => page.locator('[data-filter=all] .board-filter-count').textContent()).toBe(String(REQUESTS));
    // The grid's row count includes its header row (ARIA counts every row).
    await eventually(() => page.locator('[data-testid=board-list]').getAttribute('aria-rowcount')).toBe(String(REQUESTS + 1));
    const loadMs = Date.now() - started;
    // Virtual: a screenful of rows in the DOM, not five thousand.
    expect(await page.locator('.board-row').count()).toBeLessThan(60);

    // The keyboard walks the list without the page stalling: each key answered within a frame or two.
    await page.locator('[data-testid=board-list]').focus();
    const keyMs = await page.evaluate(async () => {
      const list = document.querySelector('[data-testid=board-list]') as HTMLElement;
      const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      const timings: number[] = [];
      for (let i = 0; i < 30; i += 1) {
        const start = performance.now();
        list.dispatchEvent(new KeyboardEvent('keydown', { key: i % 10 === 9 ? 'PageDown' : 'ArrowDown', bubbles: true }));
        await frame();
        timings.push(performance.now() - start);
      }
      return timings.sort((a, b) => a - b)[Math.floor(timings.length / 2)] ?? 0;
    });
    await page.keyboard.press('End');
    await eventually(() => page.locator('.board-row-selected').getAttribute('data-ticket')).toBe(String(REQUESTS));
    expect(await page.locator('.board-row-selected').isVisible()).toBe(true);
    // The longest ticket of the day, called with its desk, is whole inside its cell.
    const lastTicket = page.locator('.board-row-selected .ticket-no');
    expect(await lastTicket.textContent()).toBe(`${BRANCH.desk}-${REQUESTS}`);
    const fit = await lastTicket.evaluate((element) => {
      const cell = element.parentElement?.closest('[role="cell"], .ant-table-cell') ?? element.parentElement;
      const inner = cell?.getBoundingClientRect();
      const text = element.getBoundingClientRect();
      return { textRight: text.right, cellRight: inner ? inner.right : 0 };
    });
    expect(fit.textRight).toBeLessThanOrEqual(fit.cellRight);
    await desk.shot('board-busy-day-end-zh-CN');
    await page.keyboard.press('Home');
    await eventually(() => page.locator('.board-row-selected').getAttribute('data-ticket')).toBe('1');
    await desk.shot('board-busy-day-zh-CN');
    process.stdout.write(`board with ${REQUESTS} requests: loaded in ${loadMs} ms, median ${Math.round(keyMs)} ms per key\n`);
    expect(keyMs).toBeLessThan(200);
    expect(desk.errors).toEqual([]);
  }, 180_000);
});
