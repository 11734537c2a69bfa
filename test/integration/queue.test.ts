import { afterEach, describe, expect, it } from 'vitest';
import { syntheticRandom } from '../../shared';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { verifyAuditChain } from '../../electron/core/audit/auditLog';
import { openHarness, PASSWORDS, type Harness } from '../support/coreHarness';
import { useTempDirs } from '../support/tempDir';

const tempDir = useTempDirs();
const harnesses: Harness[] = [];
afterEach(() => {
  for (const h of harnesses.splice(0)) h.core.close();
});

async function harness() {
  const h = await openHarness(tempDir());
  harnesses.push(h);
  return h;
}

const BUSINESS_DATE = '2026-11-25';

async function walkInToReview(h: Harness, session = 't1') {
  const registered = await h.ok(session, 'applications.register', {});
  return h.ok(session, 'applications.startReview', { id: registered.id, version: registered.version });
}

describe('the queue: a request from walk-in to approval', () => {
  it('issues a ticket and an application number, then approves a plain request without a supervisor', async () => {
    const h = await harness();
    const registered = await h.ok('t1', 'applications.register', {});
    expect(registered).toMatchObject({ status: 'waiting', ticketNo: 1, number: '310101-01-20261125-0001', businessDate: BUSINESS_DATE, createdBy: 'T001' });
    const inReview = await h.ok('t1', 'applications.startReview', { id: registered.id, version: registered.version });
    expect(inReview.status).toBe('in_review');
    const request = makeDemoRequest(syntheticRandom(1), BUSINESS_DATE);
    const submitted = await h.ok('t1', 'applications.submit', { id: inReview.id, version: inReview.version, request });
    expect(submitted.status).toBe('approved');
    expect(submitted.authorizationReasons).toEqual([]);
    expect(submitted.documentNumberMasked).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
    expect(submitted.mobileMasked).toMatch(/^\d{3}\*{4}\d{4}$/);
    const second = await h.ok('t2', 'applications.register', {});
    expect(second.ticketNo).toBe(2);
  });

  it('sends an exception to a supervisor, refuses self-approval and a teller, and records who approved', async () => {
    const h = await harness();
    const inReview = await walkInToReview(h);
    const request = makeDemoRequest(syntheticRandom(2), BUSINESS_DATE, 'exception');
    const pending = await h.ok('t1', 'applications.submit', { id: inReview.id, version: inReview.version, request });
    expect(pending.status).toBe('pending_authorization');
    expect(pending.authorizationReasons).toEqual(expect.arrayContaining(['manual_entry', 'virtual_or_satellite_number']));

    const byTeller = await h.call('t1', 'applications.authorize', {
      id: pending.id, version: pending.version, decision: 'approve', supervisor: { employeeNo: 'T002', password: PASSWORDS.teller2 },
    });
    expect(byTeller).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: 'authorization.not_supervisor' } });

    // A supervisor who keyed the request cannot approve it.
    await h.ok('s1', 'applications.register', {});
    const own = await h.ok('s1', 'applications.startReview', { id: pending.id + 1, version: 1 });
    const ownPending = await h.ok('s1', 'applications.submit', { id: own.id, version: own.version, request: makeDemoRequest(syntheticRandom(3), BUSINESS_DATE, 'exception') });
    const self = await h.call('s1', 'applications.authorize', {
      id: ownPending.id, version: ownPending.version, decision: 'approve', supervisor: { employeeNo: 'S001', password: PASSWORDS.supervisor },
    });
    expect(self).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: 'authorization.self' } });

    const approved = await h.ok('t1', 'applications.authorize', {
      id: pending.id, version: pending.version, decision: 'approve', supervisor: { employeeNo: 'S001', password: PASSWORDS.supervisor },
    });
    expect(approved.status).toBe('approved');
    const detail = await h.ok('t1', 'applications.get', { id: pending.id });
    expect(detail.authorizerNo).toBe('S001');
    expect(detail.keyedBy).toBe('T001');
    expect(detail.history.map((entry) => entry.action)).toEqual([
      'application.register', 'application.start_review', 'application.submit', 'application.authorize_approve',
    ]);
    expect(detail.request?.applicantNameMasked).toMatch(/\*/);
    expect(verifyAuditChain(h.core.db).ok).toBe(true);
  });

  it('answers INVALID_TRANSITION for an illegal move and CONFLICT for a stale version, changing nothing', async () => {
    const h = await harness();
    const registered = await h.ok('t1', 'applications.register', {});
    const submitEarly = await h.call('t1', 'applications.submit', { id: registered.id, version: registered.version, request: makeDemoRequest(syntheticRandom(4), BUSINESS_DATE) });
    expect(submitEarly).toMatchObject({ ok: false, error: { code: 'INVALID_TRANSITION' } });
    const inReview = await h.ok('t1', 'applications.startReview', { id: registered.id, version: registered.version });
    const stale = await h.call('t2', 'applications.reject', { id: registered.id, version: registered.version, reasonCode: 'document_invalid' });
    expect(stale).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const after = await h.ok('t1', 'applications.get', { id: registered.id });
    expect(after.status).toBe('in_review');
    expect(after.version).toBe(inReview.version);
  });

  it('answers each command with the request exactly as the board shows it afterwards', async () => {
    const h = await harness();
    const onBoard = async (id: number) => {
      const page = await h.ok('t1', 'applications.board', { businessDate: BUSINESS_DATE, page: 1, pageSize: 50 });
      return page.rows.find((row) => row.id === id);
    };
    const registered = await h.ok('t1', 'applications.register', {});
    expect(await onBoard(registered.id)).toEqual(registered);
    const inReview = await h.ok('t1', 'applications.startReview', { id: registered.id, version: registered.version });
    expect(await onBoard(registered.id)).toEqual(inReview);
    const request = makeDemoRequest(syntheticRandom(6), BUSINESS_DATE, 'exception');
    const pending = await h.ok('t1', 'applications.submit', { id: inReview.id, version: inReview.version, request });
    expect(await onBoard(registered.id)).toEqual(pending);
    const declined = await h.ok('t1', 'applications.authorize', {
      id: pending.id, version: pending.version, decision: 'decline', reasonCode: 'document_invalid', supervisor: { employeeNo: 'S001', password: PASSWORDS.supervisor },
    });
    expect(declined.status).toBe('rejected');
    expect(await onBoard(registered.id)).toEqual(declined);
  });

  it('refuses a request for another business date than the open one', async () => {
    const h = await harness();
    const inReview = await walkInToReview(h);
    const result = await h.call('t1', 'applications.submit', { id: inReview.id, version: inReview.version, request: makeDemoRequest(syntheticRandom(5), '2026-11-24') });
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { businessDate: 'business_date.not_open_day' } } });
  });
});

describe('cancel and edit after submission need a supervisor grant', () => {
  it('cancels a waiting request freely, but an approved one only with a single-use grant', async () => {
    const h = await harness();
    const waiting = await h.ok('t1', 'applications.register', {});
    expect((await h.ok('t1', 'applications.cancel', { id: waiting.id, version: waiting.version, reasonCode: 'customer_left' })).status).toBe('cancelled');

    const inReview = await walkInToReview(h);
    const approved = await h.ok('t1', 'applications.submit', { id: inReview.id, version: inReview.version, request: makeDemoRequest(syntheticRandom(6), BUSINESS_DATE) });
    const without = await h.call('t1', 'applications.cancel', { id: approved.id, version: approved.version, reasonCode: 'customer_withdrew' });
    expect(without).toMatchObject({ ok: false, error: { code: 'AUTHORIZATION_REQUIRED' } });

    const grant = await h.ok('t1', 'authorization.grant', { action: 'cancel_after_submit', applicationId: approved.id, supervisor: { employeeNo: 'S001', password: PASSWORDS.supervisor } });
    // A grant is bound to the session that asked for it.
    const elsewhere = await h.call('t2', 'applications.cancel', { id: approved.id, version: approved.version, reasonCode: 'customer_withdrew', grantId: grant.grantId });
    expect(elsewhere).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: 'authorization.invalid' } });
    const cancelled = await h.ok('t1', 'applications.cancel', { id: approved.id, version: approved.version, reasonCode: 'customer_withdrew', grantId: grant.grantId });
    expect(cancelled.status).toBe('cancelled');

    // Replay on another request is refused.
    const other = await walkInToReview(h);
    const otherApproved = await h.ok('t1', 'applications.submit', { id: other.id, version: other.version, request: makeDemoRequest(syntheticRandom(7), BUSINESS_DATE) });
    const replay = await h.call('t1', 'applications.cancel', { id: otherApproved.id, version: otherApproved.version, reasonCode: 'customer_withdrew', grantId: grant.grantId });
    expect(replay).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('refuses a replayed grant and an expired one', async () => {
    const h = await harness();
    const inReview = await walkInToReview(h);
    const approved = await h.ok('t1', 'applications.submit', { id: inReview.id, version: inReview.version, request: makeDemoRequest(syntheticRandom(8), BUSINESS_DATE) });
    const grant = await h.ok('t1', 'authorization.grant', { action: 'unmasked_view', applicationId: approved.id, supervisor: { employeeNo: 'S001', password: PASSWORDS.supervisor } });
    const full = await h.ok('t1', 'applications.reveal', { id: approved.id, grantId: grant.grantId });
    expect(full.documentNumber).toMatch(/^\d{17}[\dX]$/);
    const replay = await h.call('t1', 'applications.reveal', { id: approved.id, grantId: grant.grantId });
    expect(replay).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: 'authorization.used' } });

    const late = await h.ok('t1', 'authorization.grant', { action: 'unmasked_view', applicationId: approved.id, supervisor: { employeeNo: 'S001', password: PASSWORDS.supervisor } });
    h.clock.advanceMinutes(3);
    const expired = await h.call('t1', 'applications.reveal', { id: approved.id, grantId: late.grantId });
    expect(expired).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: 'authorization.expired' } });
    const detail = await h.ok('t1', 'applications.get', { id: approved.id });
    expect(detail.history.filter((entry) => entry.action === 'application.unmasked_view')).toHaveLength(1);
  });

  it('edits an approved request with a grant and judges it again', async () => {
    const h = await harness();
    const inReview = await walkInToReview(h);
    const approved = await h.ok('t1', 'applications.submit', { id: inReview.id, version: inReview.version, request: makeDemoRequest(syntheticRandom(9), BUSINESS_DATE) });
    const grant = await h.ok('t1', 'authorization.grant', { action: 'edit_after_submit', applicationId: approved.id, supervisor: { employeeNo: 'S002', password: PASSWORDS.supervisor2 } });
    const edited = await h.ok('t1', 'applications.edit', {
      id: approved.id, version: approved.version, grantId: grant.grantId, request: makeDemoRequest(syntheticRandom(10), BUSINESS_DATE, 'exception'),
    });
    expect(edited.status).toBe('pending_authorization');
  });
});

describe('finding requests', () => {
  it('finds by number, ticket, merchant, terminal, SN, and exact phone or ID number through the blind index', async () => {
    const h = await harness();
    const inReview = await walkInToReview(h);
    const request = makeDemoRequest(syntheticRandom(11), BUSINESS_DATE);
    const approved = await h.ok('t1', 'applications.submit', { id: inReview.id, version: inReview.version, request });
    await walkInToReview(h);
    const full = request.applicant.documentNumber;
    const phone = request.mobile.bound;
    const queries: [string, string][] = [
      [approved.number, 'number'],
      ['1', 'ticket'],
      [request.pos.merchantNumber ?? '', 'merchant'],
      [request.pos.terminalId ?? '', 'terminal'],
      [request.pos.terminalSerial ?? '', 'serial'],
      [`+86 ${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`, 'mobile'],
      [full.toLowerCase(), 'document'],
    ];
    for (const [query, kind] of queries) {
      const found = await h.ok('t1', 'applications.search', { query });
      expect(found.kind, query).toBe(kind);
      expect(found.rows.map((row) => row.id), query).toEqual([approved.id]);
    }
    expect((await h.ok('t1', 'applications.search', { query: '13900000000' })).rows).toEqual([]);
  });

  it('shows the board by status with counts, newest first, paged', async () => {
    const h = await harness();
    for (let i = 0; i < 5; i += 1) await h.ok('t1', 'applications.register', {});
    const inReview = await walkInToReview(h);
    const page = await h.ok('t1', 'applications.board', { statuses: ['waiting'], page: 1, pageSize: 3 });
    expect(page.total).toBe(5);
    expect(page.rows.map((row) => row.ticketNo)).toEqual([5, 4, 3]);
    expect(page.counts).toEqual({ waiting: 5, in_review: 1 });
    const all = await h.ok('t1', 'applications.board', {});
    expect(all.rows[0]?.id).toBe(inReview.id);
  });

  it('counts repeat requests for the same SN, merchant or phone within the window', async () => {
    const h = await harness();
    const request = makeDemoRequest(syntheticRandom(12), BUSINESS_DATE);
    const first = await walkInToReview(h);
    await h.ok('t1', 'applications.submit', { id: first.id, version: first.version, request });
    const second = await walkInToReview(h);
    const repeat = await h.ok('t1', 'applications.submit', { id: second.id, version: second.version, request });
    expect(repeat.status).toBe('pending_authorization');
    expect(repeat.authorizationReasons).toContain('repeat_request');
    const check = await h.ok('t1', 'applications.repeatCheck', { businessDate: BUSINESS_DATE, mobile: request.mobile.bound, excludeId: second.id });
    expect(check).toEqual({ serial: 0, merchant: 0, mobile: 1, windowDays: 30 });
    // Each key counts on its own: the SN and the merchant number find the first request too.
    const byPos = await h.ok('t1', 'applications.repeatCheck', {
      businessDate: BUSINESS_DATE,
      terminalSerial: request.pos.terminalSerial,
      merchantNumber: request.pos.merchantNumber,
      excludeId: second.id,
    });
    expect(byPos).toEqual({ serial: 1, merchant: 1, mobile: 0, windowDays: 30 });
    const everything = await h.ok('t1', 'applications.repeatCheck', { businessDate: BUSINESS_DATE, terminalSerial: request.pos.terminalSerial, merchantNumber: request.pos.merchantNumber, mobile: request.mobile.bound });
    expect(everything).toEqual({ serial: 2, merchant: 2, mobile: 2, windowDays: 30 });
    // 41 days on, both requests are outside the 30-day window.
    const later = await h.ok('t1', 'applications.repeatCheck', { businessDate: '2027-01-05', terminalSerial: request.pos.terminalSerial, merchantNumber: request.pos.merchantNumber, mobile: request.mobile.bound });
    expect(later).toEqual({ serial: 0, merchant: 0, mobile: 0, windowDays: 30 });
  });
});
