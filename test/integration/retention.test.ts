import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { syntheticRandom } from '../../shared';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { demoSignaturePng } from '../../electron/core/demo/demoSignature';
import { verifyAuditChain } from '../../electron/core/audit/auditLog';
import { DATABASE_FILE } from '../../electron/core';
import { purgeExpired, retentionCutoff } from '../../electron/core/retention/retentionPurge';
import { openHarness, PASSWORDS, type Harness } from '../support/coreHarness';
import { useTempDirs } from '../support/tempDir';

const tempDir = useTempDirs();
const harnesses: Harness[] = [];
afterEach(() => {
  for (const h of harnesses.splice(0)) h.core.close();
});

/** Moves the clock to 10:00 Beijing time on `date` and logs everyone in again (the idle lock has long struck). */
async function workOn(h: Harness, date: string) {
  h.clock.set(`${date}T02:00:00Z`);
  await h.ok('t1', 'auth.login', { employeeNo: 'T001', password: PASSWORDS.teller });
  await h.ok('s1', 'auth.login', { employeeNo: 'S001', password: PASSWORDS.supervisor });
}

/** A request taken to the end on the open business date: approved, signed, slip issued. */
async function completedWithSlip(h: Harness, seed: number) {
  const app = await h.ok('t1', 'applications.register', {});
  const review = await h.ok('t1', 'applications.startReview', { id: app.id, version: app.version });
  const request = makeDemoRequest(syntheticRandom(seed), app.businessDate);
  const approved = await h.ok('t1', 'applications.submit', { id: review.id, version: review.version, request });
  const signed = await h.ok('t1', 'applications.setSignature', { id: approved.id, version: approved.version, pngBase64: demoSignaturePng(syntheticRandom(seed)).toString('base64') });
  const issued = await h.ok('t1', 'receipts.issue', { id: signed.id, version: signed.version });
  return { id: signed.id, number: signed.number, request, version: issued.version };
}

describe('the retention cut-off', () => {
  it('keeps the same calendar day the configured years back, 29 February falling back to the 28th', () => {
    expect(retentionCutoff('2026-11-25', 10)).toBe('2016-11-25');
    expect(retentionCutoff('2028-02-29', 1)).toBe('2027-02-28');
    expect(retentionCutoff('2028-02-29', 4)).toBe('2024-02-29');
    expect(retentionCutoff('2026-01-01', 5)).toBe('2021-01-01');
  });
});

describe('purging personal data past the retention years', () => {
  it('keeps the business record and history, drops the personal data and slip files, and tells anyone who asks', async () => {
    const h = await openHarness(tempDir(), { now: '2016-11-24T02:00:00Z' });
    harnesses.push(h);
    // Two closed days ten years back: the 24th falls before the cut-off, the 25th is the first day kept.
    const expired = await completedWithSlip(h, 1);
    await h.ok('s1', 'dayclose.close', { businessDate: '2016-11-24' });
    await workOn(h, '2016-11-25');
    const kept = await completedWithSlip(h, 2);
    await h.ok('s1', 'dayclose.close', { businessDate: '2016-11-25' });
    expect((await h.ok('t1', 'applications.get', { id: expired.id })).purgedAt).toBeNull();
    const slipFolder = join(h.dataDir, 'receipts', '20161124');
    expect(readdirSync(slipFolder)).toHaveLength(1);

    const sealed = (h.core.db.prepare('SELECT request_enc FROM applications WHERE id = ?').get(expired.id) as { request_enc: Buffer }).request_enc;

    await workOn(h, '2026-11-25');
    expect(purgeExpired(h.core.context, { actorId: null, dryRun: true })).toMatchObject({ cutoff: '2016-11-25', applications: 1, receipts: 1, dryRun: true });
    // Closing today's business day does the daily housekeeping.
    await h.ok('s1', 'dayclose.close', { businessDate: '2026-11-25' });

    const purged = await h.ok('t1', 'applications.get', { id: expired.id });
    expect(purged).toMatchObject({
      number: expired.number,
      status: 'completed',
      businessDate: '2016-11-24',
      request: null,
      hasSignature: false,
      applicantNameMasked: null,
      documentNumberMasked: null,
      mobileMasked: null,
      merchantNumber: expired.request.pos.merchantNumber ?? null,
      printCount: 1,
    });
    expect(purged.purgedAt).toBe('2026-11-25T02:00:00.000Z');
    expect(purged.history.map((entry) => entry.action)).toContain('application.complete');
    const stillThere = await h.ok('t1', 'applications.get', { id: kept.id });
    expect(stillThere.purgedAt).toBeNull();
    expect(stillThere.request?.applicantNameMasked).toMatch(/\*/);

    // Nothing personal is left in the row, and the sealed slip file is gone.
    const row = h.core.db.prepare('SELECT * FROM applications WHERE id = ?').get(expired.id) as Record<string, unknown>;
    for (const column of ['request_enc', 'signature_enc', 'signature_sha256', 'applicant_name_masked', 'document_number_masked', 'document_number_bidx', 'mobile_masked', 'mobile_bidx', 'new_mobile_masked', 'new_mobile_bidx']) {
      expect(row[column], column).toBeNull();
    }
    expect(existsSync(slipFolder)).toBe(false);
    // The sealed hand-off to the acquirer (the unmasked request) goes with it; the kept day's stays.
    expect(h.core.db.prepare('SELECT NOT EXISTS (SELECT 1 FROM acquirer_outbox_payload WHERE application_id = ?) AS purged').get(expired.id)).toEqual({ purged: 1 });
    expect(h.core.db.prepare('SELECT NOT EXISTS (SELECT 1 FROM acquirer_outbox_payload WHERE application_id = ?) AS purged').get(kept.id)).toEqual({ purged: 0 });
    // Not even the ciphertext is left in free pages of the database or in the WAL.
    const needle = sealed.subarray(40, 72);
    for (const file of [DATABASE_FILE, `${DATABASE_FILE}-wal`]) {
      const path = join(h.dataDir, file);
      if (existsSync(path)) expect(readFileSync(path).includes(needle), file).toBe(false);
    }
    expect(readdirSync(join(h.dataDir, 'receipts', '20161125'))).toHaveLength(1);

    // Found by its number, no longer by the customer's phone; no full view, no reprint.
    expect((await h.ok('t1', 'applications.search', { query: expired.number })).rows.map((r) => r.id)).toEqual([expired.id]);
    expect((await h.ok('t1', 'applications.search', { query: expired.request.mobile.bound })).rows.map((r) => r.id)).not.toContain(expired.id);
    const viewGrant = await h.ok('t1', 'authorization.grant', { action: 'unmasked_view', applicationId: expired.id, supervisor: { employeeNo: 'S001', password: PASSWORDS.supervisor } });
    expect(await h.call('t1', 'applications.reveal', { id: expired.id, grantId: viewGrant.grantId })).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: 'retention.purged' } });
    const reprintGrant = await h.ok('t1', 'authorization.grant', { action: 'reprint', applicationId: expired.id, supervisor: { employeeNo: 'S001', password: PASSWORDS.supervisor } });
    expect(await h.call('t1', 'receipts.issue', { id: expired.id, version: purged.version, grantId: reprintGrant.grantId })).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: 'retention.purged' } });

    // Audited once, the chain intact; a second run has nothing to do and writes nothing.
    const purges = () => h.core.db.prepare("SELECT details FROM audit_log WHERE action = 'retention.purged'").all() as { details: string }[];
    expect(purges().map((p) => JSON.parse(p.details) as unknown)).toEqual([
      { retentionYears: 10, cutoff: '2016-11-25', applications: 1, receipts: 1, first: expired.number, last: expired.number },
    ]);
    // The day-close screen says what its close purged.
    expect((await h.ok('s1', 'dayclose.status', { businessDate: '2026-11-25' })).purged).toEqual({ applications: 1, receipts: 1, cutoff: '2016-11-25' });
    expect((await h.ok('s1', 'dayclose.status', { businessDate: '2016-11-25' })).purged).toBeNull();
    expect(purgeExpired(h.core.context, { actorId: null, asOf: '2026-11-25' })).toMatchObject({ applications: 0, receipts: 0, filesRemoved: 0 });
    expect(purges()).toHaveLength(1);
    expect(verifyAuditChain(h.core.db).ok).toBe(true);
  });

  it('never purges a day that is still open, and follows a shorter retention set by an admin', async () => {
    const h = await openHarness(tempDir(), { now: '2019-03-01T02:00:00Z' });
    harnesses.push(h);
    const open = await completedWithSlip(h, 3);
    // Years later the 2019 day was never closed: its requests are not touched.
    h.clock.set('2026-11-25T02:00:00Z');
    expect(purgeExpired(h.core.context, { actorId: null, dryRun: true }).applications).toBe(0);
    await workOn(h, '2019-03-01');
    await h.ok('s1', 'dayclose.close', { businessDate: '2019-03-01' });
    await workOn(h, '2026-11-25');
    expect((await h.ok('t1', 'applications.get', { id: open.id })).purgedAt).toBeNull();
    // Ten years have not passed; at five they have.
    await h.ok('admin', 'auth.login', { employeeNo: 'A001', password: PASSWORDS.admin });
    await h.ok('admin', 'settings.update', { retentionYears: 5 });
    const report = purgeExpired(h.core.context, { actorId: null });
    expect(report).toMatchObject({ retentionYears: 5, cutoff: '2021-11-25', applications: 1, receipts: 1, filesRemoved: 1 });
    expect((await h.ok('t1', 'applications.get', { id: open.id })).request).toBeNull();
  });

  it('stops at its limit (a day close sets one) and goes on from there the next time', async () => {
    const h = await openHarness(tempDir(), { now: '2015-06-01T02:00:00Z' });
    harnesses.push(h);
    const requests = [await completedWithSlip(h, 4), await completedWithSlip(h, 5), await completedWithSlip(h, 6)];
    await h.ok('s1', 'dayclose.close', { businessDate: '2015-06-01' });
    h.clock.set('2026-11-25T02:00:00Z');
    expect(purgeExpired(h.core.context, { actorId: null, limit: 2 })).toMatchObject({ applications: 2, receipts: 2, filesRemoved: 2, more: true });
    expect(purgeExpired(h.core.context, { actorId: null, limit: 2 })).toMatchObject({ applications: 1, receipts: 1, filesRemoved: 1, more: false });
    const purgedAt = requests.map((r) => (h.core.db.prepare('SELECT purged_at FROM applications WHERE id = ?').get(r.id) as { purged_at: string | null }).purged_at);
    expect(purgedAt.every((at) => at !== null)).toBe(true);
    expect(verifyAuditChain(h.core.db).ok).toBe(true);
  });
});

describe('the days a request was carried through', () => {
  it('lose the masked columns kept for their bundles with the rest of the personal data', async () => {
    const h = await openHarness(tempDir(), { now: '2016-11-23T02:00:00Z' });
    harnesses.push(h);
    const app = await h.ok('t1', 'applications.register', {});
    const review = await h.ok('t1', 'applications.startReview', { id: app.id, version: app.version });
    const approved = await h.ok('t1', 'applications.submit', { id: review.id, version: review.version, request: makeDemoRequest(syntheticRandom(5), app.businessDate) });
    const carried = await h.ok('s1', 'dayclose.carryOver', { id: approved.id, version: approved.version });
    await h.ok('s1', 'dayclose.close', { businessDate: '2016-11-23' });
    const snapshot = () => (h.core.db.prepare('SELECT snapshot FROM application_carry_overs WHERE application_id = ?').get(approved.id) as { snapshot: string | null }).snapshot;
    expect(JSON.parse(snapshot() ?? '{}')).toMatchObject({ applicant_name_masked: carried.applicantNameMasked, mobile_masked: carried.mobileMasked });
    await workOn(h, '2016-11-24');
    const signed = await h.ok('t1', 'applications.setSignature', { id: carried.id, version: carried.version, pngBase64: demoSignaturePng(syntheticRandom(5)).toString('base64') });
    await h.ok('t1', 'receipts.issue', { id: signed.id, version: signed.version });
    await h.ok('s1', 'dayclose.close', { businessDate: '2016-11-24' });

    await workOn(h, '2026-11-25');
    expect(purgeExpired(h.core.context, { actorId: null })).toMatchObject({ applications: 1 });
    expect(snapshot()).toBeNull();
  });
});
