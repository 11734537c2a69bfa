// 联网核查 in the core, against the HTTPS middleware simulator (own CA, mutual TLS): the core runs the check,
// keeps the evidence, and a request can claim only what the core received.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { syntheticRandom, type ApplicationFormValues } from '../../shared';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { findApplication } from '../../electron/core/applications/repository';
import { demoSignaturePng } from '../../electron/core/demo/demoSignature';
import { verifySlipFile } from '../../electron/core/receipts/receiptVerification';
import type { EventLog } from '../../electron/core/eventLog';
import type { IdentityCheckSettings } from '../../electron/core/identity/identityCheckSettings';
import { openHarness, PASSWORDS, type Harness } from '../support/coreHarness';
import { useTempDirs } from '../support/tempDir';
import { makePki, startIdentityMiddleware, writeClientFiles, type IdentityMiddleware, type Pki } from '../support/identityMiddleware';

const DAY = '2026-11-25';
const tempDir = useTempDirs();
let pki: Pki;
let middleware: IdentityMiddleware;
let pemDir: string;
let files: ReturnType<typeof writeClientFiles>;
const harnesses: Harness[] = [];
const logLines: string[] = [];
const log: EventLog = {
  info: (event, facts) => logLines.push(JSON.stringify({ event, ...facts })),
  error: (event, facts) => logLines.push(JSON.stringify({ event, ...facts })),
};

beforeAll(async () => {
  pki = await makePki();
  middleware = await startIdentityMiddleware(pki);
  pemDir = mkdtempSync(join(tmpdir(), 'unbinddesk-pem-'));
  files = writeClientFiles(pki, pemDir);
}, 60_000);

afterAll(async () => {
  await middleware.close();
  pki.remove();
  rmSync(pemDir, { recursive: true, force: true });
});

afterEach(() => {
  for (const h of harnesses.splice(0)) h.core.close();
});

/** A branch with the middleware configured by its admin and the default policy (a keyed result needs a supervisor). */
async function branch(options: { middleware?: boolean; timeoutMs?: number } = {}): Promise<Harness> {
  const h = await openHarness(tempDir(), { log });
  harnesses.push(h);
  const { authorizationPolicy } = await h.ok('admin', 'settings.get', {});
  await h.ok('admin', 'settings.update', { authorizationPolicy: { ...authorizationPolicy, online_check_keyed: { enabled: true } } });
  if (options.middleware !== false) {
    await h.ok('admin', 'settings.update', { identityCheck: { url: middleware.url, timeoutMs: options.timeoutMs ?? 3000, ...files } });
  }
  return h;
}

async function inReview(h: Harness) {
  const app = await h.ok('t1', 'applications.register', {});
  return h.ok('t1', 'applications.startReview', { id: app.id, version: app.version });
}

function walkIn(seed: number): ApplicationFormValues {
  return makeDemoRequest(syntheticRandom(seed), DAY);
}

async function check(h: Harness, id: number, request: ApplicationFormValues) {
  return h.ok('t1', 'identityCheck.run', { id, name: request.applicant.name, documentType: request.applicant.documentType, documentNumber: request.applicant.documentNumber });
}

function withCheck(request: ApplicationFormValues, onlineCheckId: number, onlineCheck: 'match' | 'name_mismatch' | 'no_such_number' | 'not_checked'): ApplicationFormValues {
  return { ...request, verification: { ...request.verification, onlineCheck, onlineCheckId } };
}

function auditOf(h: Harness, action: string) {
  return (h.core.db.prepare('SELECT details FROM audit_log WHERE action = ? ORDER BY seq').all(action) as { details: string }[]).map((row) => row.details);
}

describe('the middleware settings (admin only, checked in the core)', () => {
  it('saves a working configuration and refuses http, a key that is not the certificate’s, a missing file, a non-certificate CA — changing nothing', async () => {
    const h = await branch({ middleware: false });
    const good: IdentityCheckSettings = { url: middleware.url, timeoutMs: 3000, ...files };
    const refused = async (input: typeof good, field: string, code: string) => {
      const answer = await h.call('admin', 'settings.update', { identityCheck: input });
      expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { [field]: code } } });
    };
    await refused({ ...good, url: middleware.url.replace('https:', 'http:') }, 'identityCheck.url', 'settings.identity_check_https_only');
    await refused({ ...good, clientKeyPath: files.caPath }, 'identityCheck.clientKeyPath', 'settings.identity_check_key');
    await refused({ ...good, clientCertPath: files.caPath }, 'identityCheck.clientKeyPath', 'settings.identity_check_key_mismatch');
    await refused({ ...good, caPath: join(pemDir, 'missing.crt') }, 'identityCheck.caPath', 'settings.identity_check_file');
    await refused({ ...good, caPath: files.clientKeyPath }, 'identityCheck.caPath', 'settings.identity_check_certificate');
    await refused({ ...good, clientKeyPath: null }, 'identityCheck.clientKeyPath', 'settings.identity_check_pair');
    expect((await h.ok('t1', 'settings.get', {})).identityCheck).toBeNull();
    expect(await h.call('t1', 'settings.update', { identityCheck: good })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await h.ok('admin', 'settings.update', { identityCheck: good })).identityCheck).toEqual(good);
  });
});

describe('联网核查 run by the core, kept as evidence', () => {
  it('00: shows the registered photo, keeps only its hash and the serial, and a clean walk-in is approved without a supervisor', async () => {
    const h = await branch();
    const app = await inReview(h);
    const request = walkIn(1);
    middleware.answers.set(request.applicant.documentNumber, { code: '00' });
    const result = await check(h, app.id, request);
    expect(result).toMatchObject({ outcome: 'answered', code: '00', onlineCheck: 'match', transactionNo: `${app.number}-C1`, issuingAuthority: '测试市公安局测试分局' });
    expect(Buffer.from(result.photoBase64 ?? '', 'base64').equals(middleware.photo)).toBe(true);
    const photoSha256 = createHash('sha256').update(middleware.photo).digest('hex');
    expect(result.photoSha256).toBe(photoSha256);
    expect(middleware.received.at(-1)).toMatchObject({ transactionNo: result.transactionNo, branchCode: '310101', tellerNo: 'T001', clientAuthorized: true });

    const approved = await h.ok('t1', 'applications.submit', { id: app.id, version: app.version, request: withCheck(request, result.checkId, 'match') });
    expect(approved).toMatchObject({ status: 'approved', authorizationReasons: [] });
    const detail = await h.ok('t1', 'applications.get', { id: app.id });
    expect(detail.identityCheck).toEqual({ source: 'online', transactionNo: result.transactionNo, resultCode: '00', notCheckedReason: null, serial: result.serial, checkedAt: result.checkedAt, photoSha256 });

    // The database holds no photo and no plain name or number; the audit rows carry serials and hashes only.
    const stored = h.core.db.prepare('SELECT * FROM identity_checks').all() as Record<string, unknown>[];
    expect(stored).toHaveLength(1);
    expect(Object.values(stored[0] ?? {}).some((value) => Buffer.isBuffer(value) && value.length > 64)).toBe(false);
    const audit = auditOf(h, 'identity_check.answered').join('\n') + auditOf(h, 'application.submit').join('\n');
    expect(audit).toContain(result.serial ?? 'no serial');
    expect(audit).toContain(photoSha256);
    expect(audit).not.toContain(request.applicant.name);
    expect(audit).not.toContain(request.applicant.documentNumber);
    expect(logLines.join('\n')).not.toContain(request.applicant.documentNumber);
  });

  it('refuses a claim the core did not receive: another result, another person, another request’s check, an older check', async () => {
    const h = await branch();
    const app = await inReview(h);
    const request = walkIn(2);
    middleware.answers.set(request.applicant.documentNumber, { code: '02' });
    const first = await check(h, app.id, request);
    expect(first).toMatchObject({ code: '02', onlineCheck: 'name_mismatch' });
    const claim = async (submitted: ApplicationFormValues, code: string) => {
      const answer = await h.call('t1', 'applications.submit', { id: app.id, version: app.version, request: submitted });
      expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { 'verification.onlineCheck': code } } });
    };
    await claim(withCheck(request, first.checkId, 'match'), 'identity_check.result_differs');
    await claim(withCheck({ ...request, applicant: { ...request.applicant, name: '测试乙' } }, first.checkId, 'name_mismatch'), 'identity_check.evidence_other_person');
    const other = await inReview(h);
    const otherRequest = walkIn(3);
    const foreign = await check(h, other.id, otherRequest);
    await claim(withCheck(request, foreign.checkId, 'match'), 'identity_check.evidence_unknown');
    middleware.answers.set(request.applicant.documentNumber, { code: '01' });
    const second = await check(h, app.id, request);
    expect(second.transactionNo).toBe(`${app.number}-C2`);
    await claim(withCheck(request, first.checkId, 'name_mismatch'), 'identity_check.evidence_unknown');
    expect(findApplication(h.core.db, app.id)).toMatchObject({ status: 'in_review', version: app.version, online_check_source: null });
    expect(await h.ok('t1', 'applications.submit', { id: app.id, version: app.version, request: withCheck(request, second.checkId, 'match') })).toMatchObject({ status: 'approved' });
  });

  it('02/03: a supervisor approves only having named the other document seen, which is recorded', async () => {
    const h = await branch();
    for (const [seed, code, result] of [[4, '02', 'name_mismatch'], [5, '03', 'no_such_number']] as const) {
      const app = await inReview(h);
      const request = walkIn(seed);
      middleware.answers.set(request.applicant.documentNumber, { code });
      const checked = await check(h, app.id, request);
      const pending = await h.ok('t1', 'applications.submit', { id: app.id, version: app.version, request: withCheck(request, checked.checkId, result) });
      expect(pending).toMatchObject({ status: 'pending_authorization', authorizationReasons: ['online_check_exception'] });
      const supervisor = { employeeNo: 'S001', password: PASSWORDS.supervisor };
      const bare = await h.call('t1', 'applications.authorize', { id: app.id, version: pending.version, decision: 'approve', supervisor });
      expect(bare).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { otherDocument: 'authorization.other_document_required' } } });
      const approved = await h.ok('t1', 'applications.authorize', { id: app.id, version: pending.version, decision: 'approve', supervisor, otherDocument: 'passport' });
      expect(approved.status).toBe('approved');
      expect((await h.ok('t1', 'applications.get', { id: app.id })).otherDocument).toBe('passport');
    }
    expect(auditOf(h, 'application.authorize_approve').map((d) => JSON.parse(d) as { otherDocument?: string }).map((d) => d.otherDocument)).toEqual(['passport', 'passport']);
  });

  it('04, 05, a timeout and a malformed answer are "not checked", which always needs a supervisor', async () => {
    const h = await branch({ timeoutMs: 1000 });
    const cases = [
      [6, { code: '04' }, '04', null],
      [7, { code: '05' }, '05', null],
      [8, 'silent', null, 'timeout'],
      [9, 'not_json', null, 'malformed'],
    ] as const;
    for (const [seed, behaviour, code, reason] of cases) {
      const app = await inReview(h);
      const request = walkIn(seed);
      middleware.answers.set(request.applicant.documentNumber, behaviour);
      const checked = await check(h, app.id, request);
      expect(checked).toMatchObject({ code, notCheckedReason: reason, onlineCheck: 'not_checked', photoBase64: null });
      const pending = await h.ok('t1', 'applications.submit', { id: app.id, version: app.version, request: withCheck(request, checked.checkId, 'not_checked') });
      expect(pending).toMatchObject({ status: 'pending_authorization', authorizationReasons: ['online_check_not_checked'] });
    }
    const notChecked = auditOf(h, 'identity_check.not_checked').map((d) => JSON.parse(d) as { reason: string });
    expect(notChecked.map((d) => d.reason)).toEqual(['timeout', 'malformed']);
  });

  it('two checks at once on one request send different transaction numbers and both answers are recorded and audited', async () => {
    const h = await branch();
    const app = await inReview(h);
    const request = walkIn(12);
    middleware.answers.set(request.applicant.documentNumber, { code: '00' });
    const [first, second] = await Promise.all([check(h, app.id, request), check(h, app.id, request)]);
    expect(first.transactionNo).not.toBe(second.transactionNo);
    const rows = h.core.db.prepare('SELECT transaction_no, outcome, result_code FROM identity_checks WHERE application_id = ? ORDER BY id').all(app.id);
    expect(rows).toEqual([
      { transaction_no: first.transactionNo, outcome: 'answered', result_code: '00' },
      { transaction_no: second.transactionNo, outcome: 'answered', result_code: '00' },
    ].sort((a, b) => (a.transaction_no < b.transaction_no ? -1 : 1)));
    const audited = auditOf(h, 'identity_check.answered').map((d) => (JSON.parse(d) as { transactionNo: string }).transactionNo);
    expect(audited.sort()).toEqual([first.transactionNo, second.transactionNo].sort());
    const sent = middleware.received.map((body) => (body as { transactionNo: string }).transactionNo);
    expect(sent).toContain(first.transactionNo);
    expect(sent).toContain(second.transactionNo);
  });

  it('only the teller reviewing a request may check, only while it is in review, at most 3 times; the audit shows the masked number', async () => {
    const h = await branch();
    const app = await inReview(h);
    const request = walkIn(13);
    const run = (session: string, id: number) =>
      h.call(session, 'identityCheck.run', { id, name: request.applicant.name, documentType: request.applicant.documentType, documentNumber: request.applicant.documentNumber });
    middleware.answers.set(request.applicant.documentNumber, { code: '00' });
    const before = middleware.received.length;
    // Another teller, not reviewing it: refused, nothing sent.
    expect(await run('t2', app.id)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: 'identity_check.not_your_review' } });
    // A request still waiting (not in review): refused.
    const waiting = await h.ok('t1', 'applications.register', {});
    expect(await run('t1', waiting.id)).toMatchObject({ ok: false, error: { code: 'INVALID_TRANSITION', message: 'identity_check.not_in_review' } });
    expect(middleware.received.length).toBe(before);
    // The reviewer: three checks, then the cap.
    await check(h, app.id, request);
    await check(h, app.id, request);
    const third = await check(h, app.id, request);
    expect(await run('t1', app.id)).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: 'identity_check.limit_reached' } });
    expect(middleware.received.length).toBe(before + 3);
    const audited = auditOf(h, 'identity_check.answered').slice(-3);
    for (const details of audited) {
      expect(details).toContain(`"documentNumberMasked":"${request.applicant.documentNumber.slice(0, 4)}`);
      expect(details).not.toContain(request.applicant.documentNumber);
    }
    // Submitted (pending a supervisor or approved): no more checks, even by the reviewer.
    const submitted = await h.ok('t1', 'applications.submit', { id: app.id, version: app.version, request: withCheck(request, third.checkId, 'match') });
    expect(submitted.status).not.toBe('in_review');
    const other = await inReview(h);
    await h.ok('t1', 'applications.submit', { id: other.id, version: other.version, request: walkIn(14) });
    expect(await run('t1', other.id)).toMatchObject({ ok: false, error: { code: 'INVALID_TRANSITION', message: 'identity_check.not_in_review' } });
    expect(middleware.received.length).toBe(before + 3);
    expect(h.core.db.prepare('SELECT count(*) AS n FROM identity_checks WHERE application_id = ?').get(other.id)).toEqual({ n: 0 });
  });

  it('without a middleware the check is refused plainly and a keyed result needs a supervisor', async () => {
    const h = await branch({ middleware: false });
    const app = await inReview(h);
    const request = walkIn(10);
    const refused = await h.call('t1', 'identityCheck.run', { id: app.id, name: request.applicant.name, documentType: 'resident_id', documentNumber: request.applicant.documentNumber });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: 'identity_check.not_configured' } });
    const pending = await h.ok('t1', 'applications.submit', { id: app.id, version: app.version, request });
    expect(pending).toMatchObject({ status: 'pending_authorization', authorizationReasons: ['online_check_keyed'] });
    expect((await h.ok('t1', 'applications.get', { id: app.id })).identityCheck).toMatchObject({ source: 'keyed', serial: null });
  });

  it('refuses a check with a number that fails its check digit, before anything is sent', async () => {
    const h = await branch();
    const app = await inReview(h);
    const before = middleware.received.length;
    const request = walkIn(11);
    const wrong = request.applicant.documentNumber.slice(0, 17) + (request.applicant.documentNumber.endsWith('1') ? '2' : '1');
    const answer = await h.call('t1', 'identityCheck.run', { id: app.id, name: request.applicant.name, documentType: 'resident_id', documentNumber: wrong });
    expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(middleware.received.length).toBe(before);
  });

  it('prints the evidence on the slip (联网核查 00 …（流水号 …）) and signs it; verify-receipt still verifies', async () => {
    const h = await branch();
    const dir = tempDir();
    const issue = async (seed: number, online: boolean) => {
      const app = await inReview(h);
      let request = walkIn(seed);
      if (online) {
        middleware.answers.set(request.applicant.documentNumber, { code: '00' });
        const checked = await check(h, app.id, request);
        request = withCheck(request, checked.checkId, 'match');
      }
      let summary = await h.ok('t1', 'applications.submit', { id: app.id, version: app.version, request });
      if (summary.status === 'pending_authorization') {
        summary = await h.ok('t1', 'applications.authorize', { id: app.id, version: summary.version, decision: 'approve', supervisor: { employeeNo: 'S001', password: PASSWORDS.supervisor } });
      }
      const signed = await h.ok('t1', 'applications.setSignature', { id: app.id, version: summary.version, pngBase64: demoSignaturePng(syntheticRandom(seed)).toString('base64') });
      const issued = await h.ok('t1', 'receipts.issue', { id: signed.id, version: signed.version });
      const file = join(dir, `${app.number}.pdf`);
      if (!issued.pdfBase64) throw new Error('receipts.issue returned no slip to download');
      writeFileSync(file, Buffer.from(issued.pdfBase64, 'base64'));
      const detail = await h.ok('t1', 'applications.get', { id: app.id });
      return { file, detail, text: execFileSync('pdftotext', ['-layout', file, '-']).toString() };
    };
    const online = await issue(12, true);
    const serial = online.detail.identityCheck?.serial ?? 'no serial';
    expect(online.text.replace(/\s+/g, '')).toContain(`联网核查：一致（流水号${serial}）`);
    const verified = await verifySlipFile(online.file, h.core.context.keys.publicKey);
    expect(verified).toMatchObject({ ok: true, fields: { onlineCheck: { source: 'online', code: '00' } }, payload: { j: '00' } });

    const keyed = await issue(13, false);
    expect(keyed.text.replace(/\s+/g, '')).toContain('联网核查：姓名与号码一致（柜员录入）');
    expect(await verifySlipFile(keyed.file, h.core.context.keys.publicKey)).toMatchObject({ ok: true, fields: { onlineCheck: { source: 'keyed', result: 'match' } }, payload: { j: 'KM' } });

    // The day's export: the evidence in applications.csv, and the day report's counts.
    const exportDir = join(tempDir(), 'exports');
    mkdirSync(exportDir);
    await h.ok('admin', 'settings.update', { exportDir });
    await h.ok('s1', 'dayclose.close', { businessDate: DAY });
    const bundle = await h.ok('s1', 'dayclose.export', { businessDate: DAY });
    const csv = readFileSync(join(bundle.dir, 'applications.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toContain('联网核查结果,核查结果来源,联网核查流水号');
    expect(csv).toContain(`一致,联网核查系统返回 00,${serial},`);
    expect(csv).toContain('一致,柜员录入结果,—,');
    const report = readdirSync(bundle.dir).find((name) => name.endsWith('.pdf')) ?? 'no report';
    const reportText = execFileSync('pdftotext', ['-layout', join(bundle.dir, report), '-']).toString().replace(/\s+/g, '');
    expect(reportText).toContain('联网核查系统返回1');
    expect(reportText).toContain('核查结果柜员录入1');
  }, 30_000);
});
