import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticRandom } from '../../shared';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { demoSignaturePng } from '../../electron/core/demo/demoSignature';
import { openRequest } from '../../electron/core/applications/personalData';
import { findApplication } from '../../electron/core/applications/repository';
import { verifyAuditChain } from '../../electron/core/audit/auditLog';
import { dayRows } from '../../electron/core/dayclose/dayCloseService';
import { openPayload, outboxEntry, retryHandoff, type OutboxRow } from '../../electron/core/acquirer/outbox';
import { recordAcquirerOutcome } from '../../electron/core/acquirer/outcomes';
import { AcquirerDispatcher, backoffMs } from '../../electron/core/acquirer/dispatcher';
import { HttpsAcquirerChannel } from '../../electron/core/acquirer/httpsChannel';
import { keyFingerprint } from '../../electron/core/crypto/installationKeys';
import { DomainError } from '../../electron/core/rpc/domainError';
import { useHarnesses, tellerId, PASSWORDS, type Harness } from '../support/coreHarness';
import { useTempDirs } from '../support/tempDir';
import { AcquirerSim, makeOutcomeSigningKey, makePki, writeSignedOutcomeFile, type SimOptions, type ThrowawayPki } from '../support/acquirerSim';

const tempDir = useTempDirs();
const { harness } = useHarnesses(tempDir);

let pki: ThrowawayPki;
const sims: AcquirerSim[] = [];
beforeAll(async () => {
  pki = await makePki();
}, 60_000);
afterAll(async () => {
  for (const sim of sims) await sim.stop();
});

async function sim(options: Partial<SimOptions> = {}, h?: Harness): Promise<AcquirerSim> {
  const started = await new AcquirerSim({ pki, ...(h ? { publicKey: h.core.context.keys.publicKey } : {}), ...options }).start();
  sims.push(started);
  return started;
}

/** A request taken through the counter to its first slip (completed). */
async function completed(h: Harness, seed: number, day = '2026-11-25') {
  const app = await h.ok('t1', 'applications.register', {});
  const review = await h.ok('t1', 'applications.startReview', { id: app.id, version: app.version });
  const approved = await h.ok('t1', 'applications.submit', { id: review.id, version: review.version, request: makeDemoRequest(syntheticRandom(seed), day) });
  const signed = await h.ok('t1', 'applications.setSignature', { id: approved.id, version: approved.version, pngBase64: demoSignaturePng(syntheticRandom(seed)).toString('base64') });
  await h.ok('t1', 'receipts.issue', { id: signed.id, version: signed.version });
  return must(findApplication(h.core.db, signed.id));
}

function must<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('expected a value');
  return value;
}

function channel(h: Harness, s: AcquirerSim, extra: { timeoutMs?: number; client?: boolean; ca?: string } = {}) {
  return new HttpsAcquirerChannel(
    {
      url: s.url,
      caPem: extra.ca ?? pki.caPem,
      ...(extra.client ? { clientCertPem: pki.clientCertPem, clientKeyPem: pki.clientKeyPem } : {}),
      timeoutMs: extra.timeoutMs ?? 5_000,
    },
    keyFingerprint(h.core.context.keys.publicKey),
  );
}

/** Real time for the backoff and polls, so a drain sees entries fall due. */
function dispatcher(h: Harness, c: HttpsAcquirerChannel, options: ConstructorParameters<typeof AcquirerDispatcher>[2] = {}) {
  return new AcquirerDispatcher(h.core.context, c, { baseDelayMs: 20, maxDelayMs: 100, pollIntervalMs: 30, idleMs: 20, now: () => new Date(), ...options });
}

const outcomeEvents = (h: Harness) =>
  h.core.db.prepare('SELECT application_id, number, outcome, reason, acquirer_reference, business_date, source FROM outcome_events ORDER BY id').all() as {
    application_id: number; number: string; outcome: string; reason: string | null; acquirer_reference: string | null; business_date: string; source: string;
  }[];

describe('the hand-off outbox', () => {
  it('is written with the completion, sealed, holding the unmasked data the acquirer needs', async () => {
    const h = await harness();
    const app = await completed(h, 11);
    const entry = outboxEntry(h.core.db, app.id) as OutboxRow;
    expect(entry).toMatchObject({ number: app.number, state: 'waiting', attempts: 0 });
    const request = must(openRequest(h.core.context.keys, app));
    // Sealed at rest: neither the ID number nor the phone appears in the stored bytes.
    expect(must(entry.payload_enc).includes(Buffer.from(request.applicant.documentNumber))).toBe(false);
    expect(must(entry.payload_enc).includes(Buffer.from(request.mobile.bound))).toBe(false);
    const opened = must(openPayload(h.core.context.keys, entry));
    expect(opened.payload).toMatchObject({
      contract: 'unbinddesk.acquirer.v1',
      applicationNumber: app.number,
      branch: { code: '310101' },
      applicant: { documentNumber: request.applicant.documentNumber, boundMobile: request.mobile.bound, name: request.applicant.name },
      merchant: { terminalSerial: request.pos.terminalSerial ?? null },
    });
    // A reprint is not a second hand-off.
    const grant = await h.ok('t1', 'authorization.grant', { action: 'reprint', applicationId: app.id, supervisor: { employeeNo: 'S001', password: 'Cobalt-Ridge-34' } });
    await h.ok('t1', 'receipts.issue', { id: app.id, version: app.version, grantId: grant.grantId });
    expect(h.core.db.prepare('SELECT count(*) AS n FROM acquirer_outbox').get()).toEqual({ n: 1 });
  });

  it('is not written when the completion fails, and an unfinished request has none', async () => {
    const h = await harness();
    const app = await h.ok('t1', 'applications.register', {});
    const review = await h.ok('t1', 'applications.startReview', { id: app.id, version: app.version });
    const approved = await h.ok('t1', 'applications.submit', { id: review.id, version: review.version, request: makeDemoRequest(syntheticRandom(3), '2026-11-25') });
    // No signature yet: the slip is refused, and nothing goes to the acquirer.
    expect(await h.call('t1', 'receipts.issue', { id: approved.id, version: approved.version })).toMatchObject({ ok: false });
    expect(h.core.db.prepare('SELECT count(*) AS n FROM acquirer_outbox').get()).toEqual({ n: 0 });
  });

  it('backs off exponentially, capped, with jitter in [½, 1] of each step', () => {
    expect(backoffMs(1, 1000, 60_000, () => 0)).toBe(500);
    expect(backoffMs(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(backoffMs(4, 1000, 60_000, () => 1)).toBe(8000);
    expect(backoffMs(30, 1000, 60_000, () => 1)).toBe(60_000);
    expect(backoffMs(30, 1000, 60_000, () => 0)).toBe(30_000);
  });
});

describe('recording the acquirer outcome', () => {
  it('records it on the business date it arrives, and the closed day of the request still lists it as completed', async () => {
    const h = await harness();
    const app = await completed(h, 21);
    await h.ok('s1', 'dayclose.close', { businessDate: '2026-11-25' });
    const before = JSON.stringify(dayRows(h.core.context, '2026-11-25').rows);
    h.clock.set('2026-11-27T03:00:00Z');
    const recorded = recordAcquirerOutcome(h.core.context, { number: app.number, outcome: 'unbind_failed', reason: '终端已注销', acquirerReference: 'R1', decidedAt: '2026-11-27T02:59:00Z', source: 'batch' });
    expect(recorded).toMatchObject({ result: 'recorded', businessDate: '2026-11-27' });
    expect(findApplication(h.core.db, app.id)?.status).toBe('unbind_failed');
    expect(outcomeEvents(h)).toEqual([{ application_id: app.id, number: app.number, outcome: 'unbind_failed', reason: '终端已注销', acquirer_reference: 'R1', business_date: '2026-11-27', source: 'batch' }]);
    expect(JSON.stringify(dayRows(h.core.context, '2026-11-25').rows)).toBe(before);
    expect(dayRows(h.core.context, '2026-11-25').rows[0]?.status).toBe('completed');
    // The audit row says what moved, with no acquirer text and no personal data.
    const audit = h.core.db.prepare("SELECT details FROM audit_log WHERE action = 'application.acquirer_outcome'").get() as { details: string };
    expect(JSON.parse(audit.details)).toMatchObject({ from: 'completed', to: 'unbind_failed', businessDate: '2026-11-27', source: 'batch' });
    expect(audit.details).not.toContain('终端已注销');
    expect(verifyAuditChain(h.core.db).ok).toBe(true);
    // The request's history (detail) shows it, on the day it arrived.
    await h.ok('t9', 'auth.login', { employeeNo: 'T001', password: PASSWORDS.teller });
    const detail = await h.ok('t9', 'applications.get', { id: app.id });
    expect(detail.status).toBe('unbind_failed');
    // Search finds it with its new status.
    const found = await h.ok('t9', 'applications.search', { query: app.number });
    expect(found.rows.map((row) => row.status)).toEqual(['unbind_failed']);
    // Its history: the outcome, then the customer's message queued with it.
    expect(detail.history.slice(-2)).toMatchObject([
      { action: 'application.acquirer_outcome', actorNo: null, details: { from: 'completed', to: 'unbind_failed', businessDate: '2026-11-27', acquirerReference: 'R1' } },
      { action: 'notification.queued', actorNo: null, details: { outcome: 'unbind_failed' } },
    ]);
  });

  it('takes the same outcome twice as one, and refuses a contradicting one, an unknown number, a failure without reason', async () => {
    const h = await harness();
    const app = await completed(h, 22);
    const input = { number: app.number, outcome: 'unbound' as const, reason: null, acquirerReference: 'R2', decidedAt: null, source: 'https' as const };
    const told = () => h.core.db.prepare('SELECT application_id AS applicationId, outcome FROM notification_messages').all();
    expect(told()).toEqual([]);
    expect(recordAcquirerOutcome(h.core.context, input).result).toBe('recorded');
    // The customer's message is queued with the outcome (customer notifications, issue 15), once.
    expect(told()).toEqual([{ applicationId: app.id, outcome: 'unbound' }]);
    const version = findApplication(h.core.db, app.id)?.version;
    expect(recordAcquirerOutcome(h.core.context, input).result).toBe('duplicate');
    expect(findApplication(h.core.db, app.id)?.version).toBe(version);
    expect(told()).toHaveLength(1);
    expect(() => recordAcquirerOutcome(h.core.context, { ...input, outcome: 'unbind_failed', reason: '拒绝' })).toThrow(expect.objectContaining({ messageKey: 'acquirer.outcome_conflict' }));
    expect(() => recordAcquirerOutcome(h.core.context, { ...input, number: '310101-20261125-9999' })).toThrow(expect.objectContaining({ messageKey: 'acquirer.unknown_number' }));
    const other = await completed(h, 23);
    expect(() => recordAcquirerOutcome(h.core.context, { ...input, number: other.number, outcome: 'unbind_failed', reason: null })).toThrow(expect.objectContaining({ messageKey: 'acquirer.reason_required' }));
    expect(findApplication(h.core.db, other.id)?.status).toBe('completed');
    expect(outcomeEvents(h)).toHaveLength(1);
    expect(told()).toHaveLength(1);
  });

  it('refuses an outcome for a request the counter has not completed, and records one arriving after the day was closed on the next business day', async () => {
    const h = await harness();
    const open = await h.ok('t1', 'applications.register', {});
    const app = await completed(h, 24);
    const openRow = must(findApplication(h.core.db, open.id));
    expect(() => recordAcquirerOutcome(h.core.context, { number: openRow.number, outcome: 'unbound', reason: null, acquirerReference: null, decidedAt: null, source: 'batch' })).toThrow(DomainError);
    // Carry the open one over, close today: the date moves to the next day, which is open, so the outcome lands there.
    await h.ok('s1', 'dayclose.carryOver', { id: openRow.id, version: openRow.version });
    await h.ok('s1', 'dayclose.close', { businessDate: '2026-11-25' });
    expect(recordAcquirerOutcome(h.core.context, { number: app.number, outcome: 'unbound', reason: null, acquirerReference: null, decidedAt: null, source: 'batch' }).businessDate).toBe('2026-11-26');
  });
});

describe('the HTTPS channel against the acquirer simulator', () => {
  it('delivers each completed request once, signed, then polls it to its outcome', async () => {
    const h = await harness();
    const s = await sim({ requireClientCert: true, decideAfterMs: 100, decide: (r) => (r.applicationNumber.endsWith('2') ? { outcome: 'unbind_failed', reason: '商户状态异常，无法解绑' } : { outcome: 'unbound' }) }, h);
    const apps = [await completed(h, 31), await completed(h, 32), await completed(h, 33)];
    const d = dispatcher(h, channel(h, s, { client: true }));
    d.start();
    await d.drain(20_000);
    await d.stop();
    for (const app of apps) {
      expect(s.bodiesOf(app.number)).toHaveLength(1);
      const received = must(s.received.find((r) => r.number === app.number));
      expect(received).toMatchObject({ signatureValid: true, idempotencyKey: app.number, clientCert: true });
      const expected = app.number.endsWith('2') ? 'unbind_failed' : 'unbound';
      expect(findApplication(h.core.db, app.id)?.status).toBe(expected);
      expect(outboxEntry(h.core.db, app.id)).toMatchObject({ state: 'done', acquirer_reference: s.entries.get(app.number)?.reference });
    }
    const events = outcomeEvents(h);
    expect(events.map((e) => e.outcome).sort()).toEqual(['unbind_failed', 'unbound', 'unbound']);
    expect(events.find((e) => e.outcome === 'unbind_failed')?.reason).toBe('商户状态异常，无法解绑');
    // Each went completed → forwarded → outcome, one audit row each.
    const moves = h.core.db.prepare("SELECT action FROM audit_log WHERE action LIKE 'application.acquirer_%' ORDER BY seq").all() as { action: string }[];
    expect(moves.filter((m) => m.action === 'application.acquirer_accept')).toHaveLength(3);
    expect(moves.filter((m) => m.action === 'application.acquirer_outcome')).toHaveLength(3);
  }, 30_000);

  it('survives slow answers, HTTP 500, dropped connections, malformed, wrong-shaped and oversized bodies, and answers about other numbers', async () => {
    const h = await harness();
    const s = await sim({ slowMs: 800 }, h);
    s.faultPosts('slow', 'http500', 'drop', 'malformed', 'wrong_shape', 'huge', 'unknown_number');
    s.faultPolls('http500', 'drop', 'malformed', 'unknown_number', 'wrong_shape');
    const app = await completed(h, 41);
    const d = dispatcher(h, channel(h, s, { timeoutMs: 300 }), { concurrency: 1 });
    const errors = new Set<string>();
    const watch = setInterval(() => {
      const e = outboxEntry(h.core.db, app.id)?.last_error;
      if (e) errors.add(e);
    }, 2);
    d.start();
    await d.drain(20_000);
    await d.stop();
    clearInterval(watch);
    // Eight POSTs (seven faults, then the answer), every one byte-identical under the same key.
    const bodies = s.bodiesOf(app.number);
    expect(bodies.length).toBe(8);
    expect(new Set(bodies).size).toBe(1);
    expect(findApplication(h.core.db, app.id)?.status).toBe('unbound');
    expect(outcomeEvents(h)).toHaveLength(1);
    // Nothing was recorded for the number the acquirer made up.
    expect(h.core.db.prepare("SELECT count(*) AS n FROM applications WHERE number = '999999-20990101-9999'").get()).toEqual({ n: 0 });
    const seen = [...errors].join('\n');
    expect(seen).toMatch(/no answer within 300 ms/);
    expect(seen).toMatch(/HTTP 500/);
    expect(seen).toMatch(/malformed answer: not JSON/);
    expect(seen).toMatch(/another application number/);
    expect(seen).toMatch(/answer longer than 16384 bytes/);
    expect(outboxEntry(h.core.db, app.id)).toMatchObject({ state: 'done', attempts: 8 });
  }, 30_000);

  it('gives up on an answer retrying cannot change, and a supervisor retry sends the same bytes again', async () => {
    const h = await harness();
    const s = await sim({}, h);
    const app = await completed(h, 51);
    // Signed with another key: the acquirer answers 401.
    const impostor = await sim({ publicKey: (await import('node:crypto')).generateKeyPairSync('ed25519').publicKey });
    const d1 = dispatcher(h, channel(h, impostor));
    d1.start();
    await d1.drain(10_000);
    await d1.stop();
    expect(outboxEntry(h.core.db, app.id)).toMatchObject({ state: 'failed', last_error: 'HTTP 401', attempts: 1 });
    expect(findApplication(h.core.db, app.id)?.status).toBe('completed');
    retryHandoff(h.core.context, tellerId(h, 'S001'), app.id);
    const d2 = dispatcher(h, channel(h, s));
    d2.start();
    await d2.drain(10_000);
    await d2.stop();
    expect(findApplication(h.core.db, app.id)?.status).toBe('unbound');
    expect(impostor.bodiesOf(app.number)[0]).toBe(s.bodiesOf(app.number)[0]);
  }, 30_000);

  it('refuses a server whose certificate the configured CA did not sign, and a plain-HTTP address', async () => {
    const h = await harness();
    const s = await sim({ wrongCa: true }, h);
    const app = await completed(h, 61);
    const d = dispatcher(h, channel(h, s), { maxAttempts: 2 });
    d.start();
    await d.drain(10_000);
    await d.stop();
    expect(s.received).toHaveLength(0);
    expect(outboxEntry(h.core.db, app.id)).toMatchObject({ state: 'failed', attempts: 2 });
    expect(outboxEntry(h.core.db, app.id)?.last_error).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|unable to verify/i);
    expect(() => new HttpsAcquirerChannel({ url: 'http://127.0.0.1:1/acq/' }, 'x')).toThrow(/https/);
  }, 30_000);

  it('an acquirer refusal is the outcome unbind_failed, with its reason', async () => {
    const h = await harness();
    const s = await sim({ refuse: () => '该终端不属于本收单机构' }, h);
    const app = await completed(h, 71);
    const d = dispatcher(h, channel(h, s));
    d.start();
    await d.drain(10_000);
    await d.stop();
    expect(findApplication(h.core.db, app.id)?.status).toBe('unbind_failed');
    expect(outcomeEvents(h)[0]).toMatchObject({ outcome: 'unbind_failed', reason: '该终端不属于本收单机构', source: 'https' });
  }, 30_000);

  it('pauses while the app is closed and resumes an interrupted send at start', async () => {
    const h = await harness();
    const s = await sim({}, h);
    const app = await completed(h, 81);
    // As a crash during its send leaves it: its answer never written, so still waiting (the claim is held in
    // memory only; crashHandoff.test.ts kills a real process mid-send).
    expect(h.core.db.prepare('SELECT state, attempts FROM acquirer_outbox WHERE application_id = ?').get(app.id)).toEqual({ state: 'waiting', attempts: 0 });
    // The app closed before its first look: nothing goes, however many of its 20 ms looks would have passed.
    const closed = dispatcher(h, channel(h, s));
    closed.start();
    await closed.stop();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(s.bodiesOf(app.number)).toHaveLength(0);
    // The next start: a dispatcher of its own, as a new process has.
    const d = dispatcher(h, channel(h, s));
    d.start();
    await d.drain(10_000);
    await d.stop();
    expect(findApplication(h.core.db, app.id)?.status).toBe('unbound');
    expect(s.bodiesOf(app.number)).toHaveLength(1);
  }, 30_000);

  it('loses nothing when the disk is full while answers arrive, and sends the same bytes again once there is room', async () => {
    const lines: { event: string; error?: unknown }[] = [];
    const log = { info: () => {}, error: (event: string, facts?: Record<string, unknown>) => lines.push({ event, ...(facts ?? {}) }) };
    const h = await harness(tempDir(), {});
    const s = await sim({}, h);
    const apps = [];
    for (let i = 0; i < 12; i += 1) apps.push(await completed(h, 90 + i));
    // SQLite's own limit on the file's size: the same SQLITE_FULL a full disk gives.
    const { page_count: pages } = h.core.db.prepare('PRAGMA page_count').get() as { page_count: number };
    h.core.db.pragma(`max_page_count = ${pages}`);
    const context = { ...h.core.context, log };
    const d = new AcquirerDispatcher(context, channel(h, s), { baseDelayMs: 20, maxDelayMs: 100, pollIntervalMs: 30, idleMs: 20, leaseMs: 300, now: () => new Date() });
    d.start();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(lines.some((line) => /full/i.test(String(line.error)))).toBe(true);
    h.core.db.pragma(`max_page_count = ${pages * 8}`);
    await d.drain(20_000);
    await d.stop();
    expect(h.core.db.pragma('integrity_check', { simple: true })).toBe('ok');
    for (const app of apps) {
      expect(findApplication(h.core.db, app.id)?.status).toBe('unbound');
      expect(new Set(s.bodiesOf(app.number)).size).toBe(1);
    }
    expect(outcomeEvents(h)).toHaveLength(apps.length);
    expect(verifyAuditChain(h.core.db).ok).toBe(true);
  }, 60_000);
});

describe('the acquirer settings and the hand-off service', () => {
  it('lets only an admin set the channel, https only, certificate and key in pairs; the running app picks the change up', async () => {
    const h = await harness();
    const s = await sim({ requireClientCert: true }, h);
    const folder = tempDir();
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    for (const [name, pem] of [['ca.pem', pki.caPem], ['client.pem', pki.clientCertPem], ['client.key', pki.clientKeyPem]] as const) writeFileSync(join(folder, name), pem);
    const base = (await h.ok('admin', 'settings.get', {})).acquirer;
    expect(base.channel).toBe('off');
    const https = { ...base, channel: 'https' as const, https: { ...base.https, url: s.url, caFile: join(folder, 'ca.pem'), clientCertFile: join(folder, 'client.pem'), clientKeyFile: join(folder, 'client.key'), timeoutSeconds: 5, pollMinutes: 1 } };
    expect(await h.call('t1', 'settings.update', { acquirer: https })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await h.call('admin', 'settings.update', { acquirer: { ...https, https: { ...https.https, url: s.url.replace('https:', 'http:') } } })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', fields: { 'acquirer.https.url': 'settings.acquirer_https_only' } },
    });
    expect(await h.call('admin', 'settings.update', { acquirer: { ...https, https: { ...https.https, clientKeyFile: null } } })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', fields: { 'acquirer.https.clientKeyFile': 'settings.acquirer_client_pair' } },
    });
    const app = await completed(h, 111);
    const { AcquirerService } = await import('../../electron/core/acquirer/service');
    const service = new AcquirerService(h.core.context, { checkMs: 50, baseDelayMs: 20, idleMs: 20, now: () => new Date() });
    service.start();
    try {
      // Channel off: the completed request waits in the outbox.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(s.received).toHaveLength(0);
      expect(outboxEntry(h.core.db, app.id)?.state).toBe('waiting');
      await h.ok('admin', 'settings.update', { acquirer: https });
      for (let i = 0; i < 100 && findApplication(h.core.db, app.id)?.status !== 'forwarded'; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(findApplication(h.core.db, app.id)?.status).toBe('forwarded');
      expect(s.received[0]).toMatchObject({ clientCert: true, signatureValid: true });
    } finally {
      await service.stop();
    }
  }, 30_000);

  it('a settings change while a send is under way starts the new sender only once the old one has finished: the request is sent once', async () => {
    const h = await harness();
    const s = await sim({ slowMs: 1_000 }, h);
    const folder = tempDir();
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    writeFileSync(join(folder, 'ca.pem'), pki.caPem);
    const base = (await h.ok('admin', 'settings.get', {})).acquirer;
    const https = { ...base, channel: 'https' as const, https: { ...base.https, url: s.url, caFile: join(folder, 'ca.pem'), timeoutSeconds: 5, pollMinutes: 1 } };
    await h.ok('admin', 'settings.update', { acquirer: https });
    const app = await completed(h, 113);
    s.faultPosts('slow');
    const { AcquirerService } = await import('../../electron/core/acquirer/service');
    const service = new AcquirerService(h.core.context, { checkMs: 50, baseDelayMs: 20, idleMs: 20, now: () => new Date() });
    service.start();
    try {
      for (let i = 0; i < 100 && s.received.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(s.received).toHaveLength(1);
      // The acquirer has the request and is slow to answer; an admin changes the poll interval meanwhile.
      await h.ok('admin', 'settings.update', { acquirer: { ...https, https: { ...https.https, pollMinutes: 2 } } });
      for (let i = 0; i < 100 && findApplication(h.core.db, app.id)?.status !== 'forwarded'; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(findApplication(h.core.db, app.id)?.status).toBe('forwarded');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(s.bodiesOf(app.number)).toHaveLength(1);
      expect(outboxEntry(h.core.db, app.id)).toMatchObject({ state: 'accepted', attempts: 1 });
      // The new sender did start: the next completed request goes out.
      const next = await completed(h, 114);
      for (let i = 0; i < 100 && findApplication(h.core.db, next.id)?.status !== 'forwarded'; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(s.bodiesOf(next.number)).toHaveLength(1);
    } finally {
      await service.stop();
    }
  }, 30_000);
});

describe('the outcome file', () => {
  const header = 'application_number,outcome,acquirer_reference,reason,decided_at';
  const countsOf = (h: Harness) => h.core.db.prepare('SELECT (SELECT count(*) FROM outcome_events) AS events, (SELECT count(*) FROM audit_log) AS audit, (SELECT group_concat(status) FROM applications) AS statuses').get();

  it('records every line of a good file, quoted reasons and duplicate lines included', async () => {
    const h = await harness();
    const [a, b, c] = [await completed(h, 121), await completed(h, 122), await completed(h, 123)];
    const text = `\uFEFF${header}\r\n${a.number},unbound,Q1,,2026-11-25T10:00:00+08:00\r\n${b.number},unbind_failed,Q2,"终端已注销，请联系收单机构",2026-11-25T10:01:00+08:00\r\n${a.number},unbound,Q1,,2026-11-25T10:00:00+08:00\r\n`;
    expect(await h.ok('s1', 'handoff.importOutcomes', { fileName: 'outcomes-20261125.csv', text })).toEqual({ lines: 2, recorded: 2, duplicates: 0 });
    expect(findApplication(h.core.db, a.id)?.status).toBe('unbound');
    expect(findApplication(h.core.db, b.id)?.status).toBe('unbind_failed');
    expect(findApplication(h.core.db, c.id)?.status).toBe('completed');
    expect(outcomeEvents(h).find((e) => e.application_id === b.id)).toMatchObject({ reason: '终端已注销，请联系收单机构', acquirer_reference: 'Q2', source: 'batch' });
    // The same file again: harmless.
    expect(await h.ok('s1', 'handoff.importOutcomes', { fileName: 'outcomes-20261125.csv', text })).toEqual({ lines: 2, recorded: 0, duplicates: 2 });
    expect(outcomeEvents(h)).toHaveLength(2);
    // A teller may not.
    expect(await h.call('t1', 'handoff.importOutcomes', { fileName: 'x.csv', text })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('refuses a bad file whole, naming the line, and changes nothing', async () => {
    const h = await harness();
    const [a, b] = [await completed(h, 131), await completed(h, 132)];
    const open = await h.ok('t1', 'applications.register', {});
    const good = `${a.number},unbound,Q1,,2026-11-25T10:00:00+08:00`;
    const cases: [string, string, Record<string, unknown>][] = [
      [`number,outcome\n${good}\n`, 'handoff.line_header', { line: 1 }],
      [`${header}\n${good}\n${b.number},unbind_failed,Q2,,2026-11-25T10:00:00+08:00\n`, 'handoff.line_reason_required', { line: 3 }],
      [`${header}\n${good}\n${b.number},done,Q2,,\n`, 'handoff.line_outcome', { line: 3 }],
      [`${header}\n${good}\n310101-20261125-9999,unbound,Q3,,\n`, 'handoff.line_unknown_number', { line: 3, number: '310101-20261125-9999' }],
      [`${header}\n${good}\n${open.number},unbound,Q3,,\n`, 'handoff.line_status', { line: 3, number: open.number }],
      [`${header}\n${good}\n${a.number},unbind_failed,Q1,拒绝,\n`, 'handoff.line_contradicts', { line: 3, other: 2 }],
      [`${header}\n${good}\n${b.number},unbound,Q2,,yesterday\n`, 'handoff.line_time', { line: 3 }],
      [`${header}\n${good}\n${b.number},unbound,Q2\n`, 'handoff.line_columns', { line: 3, found: 3 }],
      [`${header}\n${good}\n"${b.number},unbound,Q2,,\n`, 'handoff.line_quote', { line: 3 }],
      [`${header}\n${good}\n${b.number},unbind_failed,Q2,"two\nlines",\n`, 'handoff.line_reason', { line: 3 }],
      [`${header}\n`, 'handoff.line_empty', { line: 2 }],
    ];
    const before = countsOf(h);
    for (const [text, message, details] of cases) {
      const result = await h.call('s1', 'handoff.importOutcomes', { fileName: 'bad.csv', text });
      expect(result, message).toMatchObject({ ok: false, error: { code: 'VALIDATION', message, details } });
      expect(countsOf(h)).toEqual(before);
    }
    // A line that contradicts an outcome already recorded refuses the file, after a good line that would have been recorded.
    recordAcquirerOutcome(h.core.context, { number: b.number, outcome: 'unbound', reason: null, acquirerReference: 'Q2', decidedAt: null, source: 'https' });
    const recorded = countsOf(h);
    expect(await h.call('s1', 'handoff.importOutcomes', { fileName: 'bad.csv', text: `${header}\n${good}\n${b.number},unbind_failed,Q2,拒绝,\n` })).toMatchObject({ ok: false, error: { message: 'handoff.line_conflict', details: { line: 3 } } });
    expect(countsOf(h)).toEqual(recorded);
    expect(findApplication(h.core.db, a.id)?.status).toBe('completed');
  });
});

describe('交接与回执 (the supervisors\' hand-off panel)', () => {
  it('counts what waits, what was sent, what failed and why, and what is overdue; a retry sends a failed one again', async () => {
    const h = await harness();
    const [a, b, c] = [await completed(h, 141), await completed(h, 142), await completed(h, 143)];
    h.core.db.prepare("UPDATE acquirer_outbox SET state = 'failed', attempts = 12, last_error = 'HTTP 503' WHERE application_id = ?").run(a.id);
    h.core.db.prepare("UPDATE acquirer_outbox SET state = 'accepted', sent_at = '2026-11-20T02:00:00.000Z', acquirer_reference = 'R9' WHERE application_id = ?").run(b.id);
    const overview = await h.ok('s1', 'handoff.overview', {});
    expect(overview.counts).toEqual({ waiting: 1, sent: 1, failed: 1, overdue: 1, done: 0 });
    expect(overview.failed[0]).toMatchObject({ number: a.number, lastError: 'HTTP 503', attempts: 12 });
    expect(overview.overdue[0]).toMatchObject({ number: b.number, daysWaiting: 5, acquirerReference: 'R9' });
    expect(overview.waiting[0]).toMatchObject({ number: c.number });
    expect(await h.call('t1', 'handoff.overview', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const after = await h.ok('s1', 'handoff.retry', { applicationId: a.id });
    expect(after.counts).toMatchObject({ waiting: 2, failed: 0 });
    expect(outboxEntry(h.core.db, a.id)).toMatchObject({ state: 'waiting', attempts: 0 });
    expect(await h.call('s1', 'handoff.retry', { applicationId: a.id })).toMatchObject({ ok: false, error: { code: 'INVALID_TRANSITION', message: 'acquirer.retry_not_failed' } });
  });
});

describe('the day report of the date outcomes arrive', () => {
  it('lists the outcomes received that day, with the acquirer\'s reason; the request\'s own day lists it as completed', async () => {
    const { mkdirSync, readFileSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { execFileSync } = await import('node:child_process');
    const h = await harness();
    const exportDir = join(tempDir(), 'exports');
    mkdirSync(exportDir);
    await h.ok('admin', 'settings.update', { exportDir });
    const [a, b, c] = [await completed(h, 151), await completed(h, 152), await completed(h, 153)];
    await h.ok('s1', 'dayclose.close', { businessDate: '2026-11-25' });
    const ownDay = await h.ok('s1', 'dayclose.export', { businessDate: '2026-11-25' });
    h.clock.set('2026-11-26T03:00:00Z');
    recordAcquirerOutcome(h.core.context, { number: a.number, outcome: 'unbound', reason: null, acquirerReference: 'RA1', decidedAt: null, source: 'https' });
    recordAcquirerOutcome(h.core.context, { number: b.number, outcome: 'unbind_failed', reason: '终端已注销，无需解绑', acquirerReference: 'RB2', decidedAt: null, source: 'batch' });
    recordAcquirerOutcome(h.core.context, { number: c.number, outcome: 'unbind_failed', reason: 'terminal_frozen', acquirerReference: 'RC3', decidedAt: null, source: 'https' });
    await h.ok('s9', 'auth.login', { employeeNo: 'S001', password: PASSWORDS.supervisor });
    await h.ok('s9', 'dayclose.close', { businessDate: '2026-11-26' });
    const arrival = await h.ok('s9', 'dayclose.export', { businessDate: '2026-11-26' });
    const text = (dir: string) => {
      const file = join(tempDir(), 'report.pdf');
      writeFileSync(file, readFileSync(join(dir, 'report.pdf')));
      return execFileSync('pdftotext', ['-layout', file, '-']).toString();
    };
    const report = text(arrival.dir);
    if (process.env.KEEP_REPORT) writeFileSync(process.env.KEEP_REPORT, readFileSync(join(arrival.dir, 'report.pdf')));
    expect(report).toContain('六、收到的收单机构结果');
    // Each line says how the outcome came (the acquirer's answer over HTTPS, or an outcome file), as outcomes.csv does.
    expect(report).toMatch(new RegExp(`${a.number}\\s+已解绑\\s+RA1\\s+11:00:00\\s+HTTPS 接口`));
    expect(report).toMatch(new RegExp(`${b.number}\\s+解绑失败\\s+RB2\\s+11:00:00\\s+批量文件\\s+终端已注销，无需解绑`));
    // A reason code of the contract in the words the customer was sent, the code after them.
    expect(report).toMatch(new RegExp(`${c.number}\\s+解绑失败\\s+RC3\\s+11:00:00\\s+HTTPS 接口\\s+该终端已被冻结，须先解除冻结（terminal_frozen）`));
    // The request's own day: listed as completed (已完成), and its bundle, exported again, lists the same rows.
    const again = await h.ok('s9', 'dayclose.export', { businessDate: '2026-11-25' });
    expect(readFileSync(join(again.dir, 'applications.csv'))).toEqual(readFileSync(join(ownDay.dir, 'applications.csv')));
    expect(readFileSync(join(again.dir, 'applications.csv'), 'utf8')).toContain('已完成');
  }, 60_000);
});


describe('the batch channel', () => {
  it('writes one signed hand-off file per batch, verifiable by its manifest, and imports the outcome folder, refusing a bad file with the line in Chinese', async () => {
    const { existsSync, mkdirSync, readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { createHash } = await import('node:crypto');
    const { verifyCanonical } = await import('../../electron/core/crypto/signing');
    const { AcquirerService } = await import('../../electron/core/acquirer/service');
    const h = await harness();
    const out = join(tempDir(), 'handoff');
    const inbox = join(tempDir(), 'outcomes');
    mkdirSync(inbox);
    const base = (await h.ok('admin', 'settings.get', {})).acquirer;
    // The acquirer's outcome files are signed: its public key is configured beside the folders.
    const acquirerKey = makeOutcomeSigningKey();
    await h.ok('admin', 'settings.update', { acquirer: { ...base, channel: 'batch', batch: { outFolder: out, outcomeFolder: inbox, outcomePublicKey: acquirerKey.publicKeyPem } } });
    const [a, b] = [await completed(h, 161), await completed(h, 162)];
    const service = new AcquirerService(h.core.context, { checkMs: 60_000, batchEveryMs: 0 });
    service.start();
    await service.stop();
    const [folder] = readdirSync(out);
    expect(folder).toMatch(/^310101_01_\d{14}_1$/);
    const dir = join(out, folder ?? '');
    expect(readdirSync(dir).sort()).toEqual(['handoff.jsonl', 'manifest.json']);
    const body = readFileSync(join(dir, 'handoff.jsonl'));
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { signature: string; applicationNumbers: string[]; files: { sha256: string }[] };
    const { signature, ...signedPart } = manifest;
    expect(verifyCanonical(h.core.context.keys.publicKey, signedPart, signature)).toBe(true);
    expect(manifest.files[0]?.sha256).toBe(createHash('sha256').update(body).digest('hex'));
    expect(manifest.applicationNumbers).toEqual([a.number, b.number]);
    const lines = body.toString('utf8').trim().split('\n').map((line) => JSON.parse(line) as { applicationNumber: string; applicant: { documentNumber: string } });
    expect(lines.map((l) => l.applicationNumber)).toEqual([a.number, b.number]);
    expect(outboxEntry(h.core.db, a.id)).toMatchObject({ state: 'accepted', channel: 'batch', batch_file: folder });
    // Nothing waits: a second look writes no second batch.
    service.tick();
    expect(readdirSync(out)).toHaveLength(1);

    // The acquirer's outcome files arrive in the watched folder.
    const header = 'application_number,outcome,acquirer_reference,reason,decided_at';
    writeSignedOutcomeFile(inbox, 'bad.csv', `${header}\n${a.number},unbound,,,\n310101-20261125-9999,unbound,,,\n`, acquirerKey.privateKey);
    writeSignedOutcomeFile(inbox, 'good.csv', `${header}\n${a.number},unbound,B1,,\n${b.number},unbind_failed,B2,终端不存在,\n`, acquirerKey.privateKey);
    // A file is taken once it has stayed the same across two looks.
    service.tick();
    expect(readdirSync(inbox).sort()).toEqual(['bad.csv', 'bad.csv.sig', 'good.csv', 'good.csv.sig']);
    service.tick();
    expect(readdirSync(join(inbox, 'imported'))).toEqual(['good.csv', 'good.csv.sig']);
    expect(readdirSync(join(inbox, 'rejected')).sort()).toEqual(['bad.csv', 'bad.csv.error.txt', 'bad.csv.sig']);
    expect(readFileSync(join(inbox, 'rejected', 'bad.csv.error.txt'), 'utf8')).toContain('第 3 行：申请编号 310101-20261125-9999 在本网点不存在');
    expect(existsSync(join(inbox, 'bad.csv'))).toBe(false);
    expect(findApplication(h.core.db, a.id)?.status).toBe('unbound');
    expect(findApplication(h.core.db, b.id)?.status).toBe('unbind_failed');
  }, 30_000);
});
