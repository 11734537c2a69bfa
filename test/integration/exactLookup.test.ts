import { describe, expect, it } from 'vitest';
import { syntheticRandom } from '../../shared';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { EXACT_LOOKUP_LIMITS } from '../../electron/core/applications/lookupBudget';
import { verifyAuditChain } from '../../electron/core/audit/auditLog';
import { PASSWORDS, tellerId, useHarnesses, type Harness } from '../support/coreHarness';
import { useTempDirs } from '../support/tempDir';

const tempDir = useTempDirs();
const { harness, close } = useHarnesses(tempDir);

const BUSINESS_DATE = '2026-11-25';

/** What a call was refused with ('answered' when it was not refused). */
const refusal = (result: { ok: true } | { ok: false; error: { message: string } }) => (result.ok ? 'answered' : result.error.message);

/** A submitted request whose masked phone and ID the attacker can read from `applications.get`. */
async function submittedRequest(h: Harness) {
  const registered = await h.ok('t2', 'applications.register', {});
  const inReview = await h.ok('t2', 'applications.startReview', { id: registered.id, version: registered.version });
  const request = makeDemoRequest(syntheticRandom(18), BUSINESS_DATE);
  const submitted = await h.ok('t2', 'applications.submit', { id: inReview.id, version: inReview.version, request });
  return { id: submitted.id, phone: request.mobile.bound, document: request.applicant.documentNumber };
}

/** Every phone the mask 150****3252 leaves open, the true one last (the attacker's worst case is ours to test). */
function candidatesFor(phone: string): string[] {
  const all = Array.from({ length: 10_000 }, (_, i) => `${phone.slice(0, 3)}${String(i).padStart(4, '0')}${phone.slice(7)}`);
  return [...all.filter((candidate) => candidate !== phone), phone];
}

interface LedgerRow {
  actor_id: number;
  action: string;
  details: string;
}

function lookupRows(h: Harness): LedgerRow[] {
  return h.core.db.prepare("SELECT actor_id, action, details FROM audit_log WHERE action = 'search.exact_lookup' ORDER BY seq").all() as LedgerRow[];
}

describe('exact lookups by full phone or ID number (issue 18, item 1)', () => {
  it('stops an attacker looping over the candidates a masked phone leaves open, minute after minute, at the daily budget', async () => {
    const h = await harness();
    const target = await submittedRequest(h);
    const detail = await h.ok('t1', 'applications.get', { id: target.id });
    expect(detail.mobileMasked).toBe(`${target.phone.slice(0, 3)}****${target.phone.slice(7)}`);

    let answered = 0;
    const tried: string[] = [];
    let refusedInARow = 0;
    let found = false;
    // The attacker waits out each per-minute refusal and carries on, for two hours of clock time.
    for (const candidate of candidatesFor(target.phone)) {
      const result = await h.call('t1', 'applications.search', { query: candidate });
      if (result.ok) {
        answered += 1;
        tried.push(candidate);
        refusedInARow = 0;
        if (result.value.rows.some((row) => row.id === target.id)) found = true;
        continue;
      }
      expect(result.error).toMatchObject({ code: 'AUTHORIZATION_REQUIRED', message: 'search.lookup_budget_exhausted', details: { action: 'exact_lookup' } });
      refusedInARow += 1;
      if (refusedInARow > 120) break;
      h.clock.advanceMinutes(1);
    }
    expect(answered).toBe(EXACT_LOOKUP_LIMITS.tellerPerDay);
    expect(found).toBe(false);

    // Each answered lookup left an audit row with the kind and the hit count, a miss exactly like a hit, and no value.
    const rows = lookupRows(h);
    expect(rows).toHaveLength(EXACT_LOOKUP_LIMITS.tellerPerDay);
    for (const row of rows) {
      expect(row.actor_id).toBe(tellerId(h, 'T001'));
      expect(JSON.parse(row.details)).toMatchObject({ kind: 'mobile', surface: 'search', hits: 0 });
    }
    const everything = JSON.stringify(h.core.db.prepare('SELECT * FROM audit_log').all());
    for (const candidate of [...tried, target.phone]) expect(everything).not.toContain(candidate);
    expect(verifyAuditChain(h.core.db).ok).toBe(true);

    // The ID number is behind the same budget, and so is repeatCheck's phone count.
    const byId = await h.call('t1', 'applications.search', { query: target.document });
    expect(byId.ok ? 'answered' : byId.error.message).toBe('search.lookup_budget_exhausted');
    const repeat = await h.call('t1', 'applications.repeatCheck', { businessDate: BUSINESS_DATE, mobile: target.phone });
    expect(repeat.ok ? 'answered' : repeat.error.message).toBe('search.lookup_budget_exhausted');
    // What the board shows anyway (merchant number, SN) stays free.
    const pos = await h.call('t1', 'applications.repeatCheck', { businessDate: BUSINESS_DATE, merchantNumber: detail.merchantNumber ?? '' });
    expect(pos.ok).toBe(true);

    // A day later the budget is back.
    h.clock.advanceMinutes(24 * 60);
    await h.ok('t1next', 'auth.login', { employeeNo: 'T001', password: PASSWORDS.teller });
    const nextDay = await h.ok('t1next', 'applications.search', { query: target.phone });
    expect(nextDay.rows.map((row) => row.id)).toEqual([target.id]);
    expect(JSON.parse(lookupRows(h).at(-1)?.details ?? '{}')).toMatchObject({ kind: 'mobile', hits: 1 });
  });

  it('limits each window per minute, and the teller over all windows; another teller has their own budget', async () => {
    const h = await harness();
    const target = await submittedRequest(h);
    const phones = candidatesFor(target.phone);
    const search = (session: string, i: number) => h.call(session, 'applications.search', { query: phones[i] ?? '' });
    for (let i = 0; i < EXACT_LOOKUP_LIMITS.sessionPerMinute; i += 1) expect((await search('t1', i)).ok).toBe(true);
    expect(refusal(await search('t1', 100))).toBe('search.lookup_budget_exhausted');
    // A second window of the same teller gets the rest of the teller's minute, not a fresh budget.
    await h.ok('t1b', 'auth.login', { employeeNo: 'T001', password: PASSWORDS.teller });
    for (let i = 0; i < EXACT_LOOKUP_LIMITS.tellerPerMinute - EXACT_LOOKUP_LIMITS.sessionPerMinute; i += 1) expect((await search('t1b', 200 + i)).ok).toBe(true);
    expect(refusal(await search('t1b', 300))).toBe('search.lookup_budget_exhausted');
    await h.ok('t1c', 'auth.login', { employeeNo: 'T001', password: PASSWORDS.teller });
    expect(refusal(await search('t1c', 400))).toBe('search.lookup_budget_exhausted');
    // T002 is not charged for T001's lookups.
    expect((await search('t2', 500)).ok).toBe(true);
    // Asking the very same question again in the same window costs nothing and answers nothing new.
    h.clock.advanceMinutes(1);
    const asked = await h.ok('t1', 'applications.repeatCheck', { businessDate: BUSINESS_DATE, mobile: target.phone, excludeId: target.id });
    const again = await h.ok('t1', 'applications.repeatCheck', { businessDate: BUSINESS_DATE, mobile: target.phone, excludeId: target.id });
    expect(again).toEqual(asked);
    expect(lookupRows(h).filter((row) => JSON.parse(row.details).surface === 'repeat_check')).toHaveLength(1);
  });

  it('keeps the spent budget across a restart and a new login', async () => {
    const dataDir = tempDir();
    const h = await harness(dataDir);
    const target = await submittedRequest(h);
    const phones = candidatesFor(target.phone);
    for (let minute = 0; minute * EXACT_LOOKUP_LIMITS.sessionPerMinute < EXACT_LOOKUP_LIMITS.tellerPerDay; minute += 1) {
      for (let i = 0; i < EXACT_LOOKUP_LIMITS.sessionPerMinute; i += 1) {
        await h.ok('t1', 'applications.search', { query: phones[minute * 10 + i] ?? '' });
      }
      h.clock.advanceMinutes(1);
    }
    close(h);
    const reopened = await harness(dataDir, { setup: false });
    reopened.clock.set(h.clock.now().toISOString());
    await reopened.ok('fresh', 'auth.login', { employeeNo: 'T001', password: PASSWORDS.teller });
    const result = await reopened.call('fresh', 'applications.search', { query: target.phone });
    expect(result.ok ? 'answered' : result.error.message).toBe('search.lookup_budget_exhausted');
  });

  it('lets a supervisor grant pay for one lookup beyond the budget, recorded with the grant', async () => {
    const h = await harness();
    const target = await submittedRequest(h);
    const phones = candidatesFor(target.phone);
    for (let i = 0; i < EXACT_LOOKUP_LIMITS.sessionPerMinute; i += 1) await h.ok('t1', 'applications.search', { query: phones[i] ?? '' });
    expect(refusal(await h.call('t1', 'applications.search', { query: target.document }))).toBe('search.lookup_budget_exhausted');

    const grant = await h.ok('t1', 'authorization.grant', { action: 'exact_lookup', supervisor: { employeeNo: 'S001', password: PASSWORDS.supervisor } });
    const found = await h.ok('t1', 'applications.search', { query: target.document, grantId: grant.grantId });
    expect(found).toMatchObject({ kind: 'document' });
    expect(found.rows.map((row) => row.id)).toEqual([target.id]);
    // The answer is the board's row: masked, nothing more.
    expect(found.rows[0]?.documentNumberMasked).not.toBe(target.document);
    expect(Object.keys(found.rows[0] ?? {})).not.toContain('request');
    expect(JSON.parse(lookupRows(h).at(-1)?.details ?? '{}')).toMatchObject({ kind: 'document', hits: 1, grantId: grant.grantId, supervisorId: tellerId(h, 'S001') });
    expect(JSON.stringify(lookupRows(h))).not.toContain(target.document.slice(4, 14));

    // One grant, one lookup; another teller's window cannot use it.
    const reused = await h.call('t1', 'applications.search', { query: target.phone, grantId: grant.grantId });
    expect(reused.ok ? 'answered' : reused.error.message).toBe('authorization.used');
    const other = await h.ok('t1', 'authorization.grant', { action: 'exact_lookup', supervisor: { employeeNo: 'S001', password: PASSWORDS.supervisor } });
    await h.ok('t1b', 'auth.login', { employeeNo: 'T001', password: PASSWORDS.teller });
    const elsewhere = await h.call('t1b', 'applications.search', { query: phones[9000] ?? '', grantId: other.grantId });
    expect(elsewhere.ok ? 'answered' : elsewhere.error.message).toBe('authorization.invalid');
  });
});
