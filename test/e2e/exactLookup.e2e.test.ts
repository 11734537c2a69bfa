import { describe, expect, it } from 'vitest';
import { syntheticRandom } from '../../shared';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { EXACT_LOOKUP_LIMITS } from '../../electron/core/applications/lookupBudget';
import { useDeskSuite } from './deskSuite';
import { eventually, login, openDesk, ADMIN, TELLER, SUPERVISOR } from './counterDesk';
import { callCore, setUpBranchOverBridge } from './coreOverBridge';

const suite = useDeskSuite();

const tab = (name: string) => `lookup-tab-${name}`;

describe('the board search by full phone number, once the teller’s budget is spent', () => {
  it('says the budget is spent, and finds the request after a supervisor authorizes on the teller’s screen', { timeout: 120_000 }, async () => {
    const preview = await suite.startPreview();
    await setUpBranchOverBridge(preview);
    await callCore(preview, tab('admin'), 'auth.login', { employeeNo: ADMIN.employeeNo, password: ADMIN.password });
    for (const [account, role] of [[TELLER, 'teller'], [SUPERVISOR, 'supervisor']] as const) {
      await callCore(preview, tab('admin'), 'tellers.create', { employeeNo: account.employeeNo, name: account.name, role, password: account.first });
      await callCore(preview, tab(account.employeeNo), 'auth.login', { employeeNo: account.employeeNo, password: account.first });
      await callCore(preview, tab(account.employeeNo), 'auth.changePassword', { current: account.first, next: account.own });
    }
    const { businessDate } = await callCore(preview, tab('admin'), 'system.info', {});
    const registered = await callCore(preview, tab('admin'), 'applications.register', { channel: 'counter' });
    const started = await callCore(preview, tab('admin'), 'applications.startReview', { id: registered.id, version: registered.version });
    const request = makeDemoRequest(syntheticRandom(77), businessDate, 'plain');
    await callCore(preview, tab('admin'), 'applications.submit', { id: registered.id, version: started.version, request });

    const desk = await openDesk(suite.browser, preview.url);
    const { page } = desk;
    await login(page, TELLER.employeeNo, TELLER.own);
    await page.locator('[data-testid=board-list]').waitFor();

    // Then, right before the search, the teller's minute is spent from two other windows of theirs (misses cost the same as hits).
    const phone = request.mobile.bound;
    const misses = Array.from({ length: EXACT_LOOKUP_LIMITS.tellerPerMinute }, (_, i) => `${phone.slice(0, 7)}${String((Number(phone.slice(7)) + 1 + i) % 10_000).padStart(4, '0')}`);
    for (const window of ['teller-0', 'teller-1']) await callCore(preview, tab(window), 'auth.login', { employeeNo: TELLER.employeeNo, password: TELLER.own });
    for (const [i, miss] of misses.entries()) await callCore(preview, tab(`teller-${i % 2}`), 'applications.search', { query: miss });
    await page.locator('#board-search').fill(phone);
    await page.locator('#board-search').press('Enter');
    await eventually(() => page.getByTestId('board-search-error').textContent()).toContain('查询次数已达上限');
    expect(await page.locator('.board-search-result').count()).toBe(1);

    await page.getByTestId('board-search-grant').click();
    await page.getByTestId('lookup-grant-dialog').waitFor();
    await page.locator('#lookup-grant-employeeNo').fill(SUPERVISOR.employeeNo);
    await page.locator('#lookup-grant-password').fill(SUPERVISOR.own);
    await page.getByTestId('lookup-grant-confirm').click();
    // The supervisor's check takes its scrypt time: the dialog closes once the grant is given.
    await eventually(() => page.getByTestId('lookup-grant-dialog').count()).toBe(0);
    await eventually(() => page.locator('.board-row').count()).toBe(1);
    // The search result (not the refusal) shows the phone masked, as the board does.
    await eventually(() => page.getByTestId('board-search-error').count()).toBe(0);
    const shown = (await page.locator('.board-search-result').first().textContent()) ?? '';
    expect(shown).not.toContain(phone);
    expect(shown).toContain(`${phone.slice(0, 3)}****${phone.slice(7)}`);
  });
});
