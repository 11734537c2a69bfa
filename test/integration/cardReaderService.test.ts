import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { syntheticRandom } from '../../shared';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { SYNTHETIC_CARDS } from '../../electron/core/cardReader/syntheticCards';
import { buildTextBlock } from '../../electron/core/cardReader/textBlock';
import { chipFactsFor } from '../support/chipCards';
import { PASSWORDS, useHarnesses, type Harness } from '../support/coreHarness';
import { useTempDirs } from '../support/tempDir';

const tempDir = useTempDirs();
const { harness } = useHarnesses(tempDir);
const DAY = '2026-11-25';
const SERIAL = { kind: 'serial', path: '/dev/ttyUSB0', baudRate: 115200 } as const;

async function until<T>(what: () => Promise<T>, ok: (v: T) => boolean, ms = 3000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (ok(v) || Date.now() > end) return v;
    await sleep(50);
  }
}

async function configured(): Promise<Harness> {
  const h = await harness();
  await h.ok('admin', 'settings.update', { cardReader: SERIAL });
  return h;
}

async function inReview(h: Harness, session = 't1') {
  const app = await h.ok(session, 'applications.register', {});
  return h.ok(session, 'applications.startReview', { id: app.id, version: app.version });
}

describe('reader settings (branch IT)', () => {
  it('keeps a serial port or a vendor library, validated in the core; refuses bad ones and non-admins', async () => {
    const h = await harness();
    expect((await h.ok('admin', 'settings.get', {})).cardReader).toEqual({ kind: 'none' });
    const lib = { kind: 'vendor_library', libraryPath: 'C:\\Program Files\\Reader\\sdtapi.dll', port: 1001 } as const;
    expect((await h.ok('admin', 'settings.update', { cardReader: lib })).cardReader).toEqual(lib);
    expect((await h.ok('admin', 'settings.update', { cardReader: SERIAL })).cardReader).toEqual(SERIAL);
    const refusals = [
      { kind: 'serial', path: '/dev/ttyUSB0', baudRate: 12345 },
      { kind: 'serial', path: '../../etc/passwd', baudRate: 115200 },
      { kind: 'vendor_library', libraryPath: 'sdtapi.dll', port: 1001 },
      { kind: 'vendor_library', libraryPath: '/opt/reader/libsdtapi.so', port: 17 },
      { kind: 'bluetooth' },
    ];
    for (const cardReader of refusals) {
      const result = await h.call('admin', 'settings.update', { cardReader } as never);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('VALIDATION');
    }
    const byTeller = await h.call('t1', 'settings.update', { cardReader: { kind: 'none' } });
    expect(!byTeller.ok && byTeller.error.code).toBe('FORBIDDEN');
    expect((await h.ok('admin', 'settings.get', {})).cardReader).toEqual(SERIAL);
  });
});

describe('the reader service', () => {
  it('says "not configured" when branch IT set no reader, and never polls', async () => {
    const h = await harness();
    const status = await h.ok('t1', 'reader.watch', { on: true });
    expect(status).toMatchObject({ configured: false, kind: 'none', error: 'not_configured', read: null });
    await sleep(700);
    expect(h.core.cardReader.polls).toBe(0);
  });

  it('polls only while the document step is open, and a card placed reaches the window', async () => {
    const h = await configured();
    await sleep(600);
    expect(h.core.cardReader.polls).toBe(0);
    await h.ok('t1', 'reader.watch', { on: true });
    h.readerSim.place(SYNTHETIC_CARDS.resident);
    const status = await until(() => h.ok('t1', 'reader.status', {}), (s) => s.read !== null);
    expect(status.read?.facts).toEqual(SYNTHETIC_CARDS.resident.facts);
    expect(status.read?.evidence).toMatchObject({ readerKind: 'simulated', samId: '05.01-20101216-0016541549-2212183410' });
    expect(status.read?.photoDataUrl).toBeNull();
    // Another window sees nothing of it.
    expect((await h.ok('t2', 'reader.status', {})).read).toBeNull();
    await h.ok('t1', 'reader.watch', { on: false });
    const after = h.core.cardReader.polls;
    await sleep(1200);
    expect(h.core.cardReader.polls - after).toBeLessThanOrEqual(1);
  });

  it('stops polling when the window stops asking (closed) and when it locks', async () => {
    const h = await configured();
    await h.ok('t1', 'reader.watch', { on: true });
    await sleep(3500); // the lease (2.5 s) runs out: nobody asked for the status
    const stopped = h.core.cardReader.polls;
    await sleep(1100);
    expect(h.core.cardReader.polls).toBe(stopped);
    expect(stopped).toBeGreaterThanOrEqual(3);

    await h.ok('t1', 'reader.watch', { on: true });
    await h.ok('t1', 'auth.lock', {});
    await sleep(700);
    const locked = h.core.cardReader.polls;
    await sleep(1100);
    expect(h.core.cardReader.polls).toBe(locked);
  });

  it('shows each failure once with its code, keeps nothing half-read, and reads cleanly after', async () => {
    const h = await configured();
    await h.ok('t1', 'reader.watch', { on: true });
    h.readerSim.place(SYNTHETIC_CARDS.resident);
    h.readerSim.injectFault('bad_checksum');
    const failed = await until(() => h.ok('t1', 'reader.status', {}), (s) => s.error !== null || s.read !== null);
    expect(failed).toMatchObject({ error: 'checksum', read: null, state: 'error' });
    const read = await until(() => h.ok('t1', 'reader.status', {}), (s) => s.read !== null);
    expect(read.error).toBeNull();
    expect(read.seq).toBeGreaterThan(failed.seq);
    h.readerSim.lift();
    h.readerSim.place(SYNTHETIC_CARDS.badNumber);
    const bad = await until(() => h.ok('t1', 'reader.status', {}), (s) => s.error !== null);
    expect(bad.error).toBe('chip_number_invalid');
    expect(bad.read?.facts.name).toBe('周建国'); // the earlier good read stays; the bad chip filled nothing
  });

  it('never offers one request\'s chip read to the next request, nor to whoever logs in next in the window', async () => {
    const h = await configured();
    await h.ok('t1', 'reader.watch', { on: true, applicationId: 1 });
    h.readerSim.place(SYNTHETIC_CARDS.resident);
    const first = await until(() => h.ok('t1', 'reader.status', {}), (s) => s.read !== null);
    expect(first.read?.facts.name).toBe('周建国');
    // The same request's document step again (the teller stepped back): its read is still there.
    await h.ok('t1', 'reader.watch', { on: false });
    expect((await h.ok('t1', 'reader.watch', { on: true, applicationId: 1 })).read?.readId).toBe(first.read?.readId);
    // The next customer's request in the same window: nothing of the last card.
    expect((await h.ok('t1', 'reader.watch', { on: true, applicationId: 2 })).read).toBeNull();
    expect((await h.ok('t1', 'reader.status', {})).read).toBeNull();
    // A read for it: hidden while the window is locked, the same teller's again after unlocking (the half-typed
    // form waits under the lock screen); after a logout another teller logging in there never sees it.
    const second = await h.ok('t1', 'reader.readAgain', {});
    expect(second.read?.facts.name).toBe('周建国');
    await h.ok('t1', 'auth.lock', {});
    expect(await h.call('t1', 'reader.status', {})).toEqual({ ok: false, error: { code: 'LOCKED', message: 'error.locked' } });
    expect(h.core.cardReader.claim('t1', second.read?.readId ?? '')).toBeNull();
    await h.ok('t1', 'auth.unlock', { password: PASSWORDS.teller });
    expect((await h.ok('t1', 'reader.status', {})).read?.readId).toBe(second.read?.readId);
    await h.ok('t1', 'auth.logout', {});
    await h.ok('t1', 'auth.login', { employeeNo: 'T002', password: PASSWORDS.teller2 });
    expect((await h.ok('t1', 'reader.watch', { on: true, applicationId: 2 })).read).toBeNull();
  });

  it('reads again on F4 even a card already read, and says "no card" when there is none', async () => {
    const h = await configured();
    expect((await h.ok('t1', 'reader.readAgain', {})).error).toBe('no_card');
    h.readerSim.place(SYNTHETIC_CARDS.hmt);
    const first = await h.ok('t1', 'reader.readAgain', {});
    const second = await h.ok('t1', 'reader.readAgain', {});
    expect(first.read?.facts.documentType).toBe('hmt_residence_permit');
    expect(second.read?.readId).not.toBe(first.read?.readId);
  });
});

describe('a request that says the chip was read', () => {
  it('is refused without a read the core made in this window, or with facts that differ from it', async () => {
    const h = await configured();
    const request = makeDemoRequest(syntheticRandom(41), DAY);
    const review = await inReview(h);
    const invoke = (session: string, chipReadId: string, req = request) =>
      h.core.router.invoke(session, 'applications.submit', { id: review.id, version: review.version, request: { ...req, verification: { ...req.verification, chipReadId } } });
    const forged = await invoke('t1', '6f1c2b1e-3d4a-4b5c-8d9e-0a1b2c3d4e5f');
    expect(!forged.ok && forged.error.fields).toEqual({ 'verification.method': 'verification.chip_read_required' });
    h.readerSim.place({ textBlock: buildTextBlock(chipFactsFor(request.applicant, DAY)), photo: SYNTHETIC_CARDS.resident.photo });
    const read = await h.ok('t2', 'reader.readAgain', {});
    const readId = read.read?.readId ?? '';
    const otherWindow = await invoke('t1', readId);
    expect(!otherWindow.ok && otherWindow.error.fields).toEqual({ 'verification.method': 'verification.chip_read_required' });
    const own = await h.ok('t1', 'reader.readAgain', {});
    const changed = { ...request, applicant: { ...request.applicant, name: `${request.applicant.name}明` } };
    const mismatch = await invoke('t1', own.read?.readId ?? '', changed);
    expect(!mismatch.ok && mismatch.error.fields).toEqual({ 'verification.method': 'verification.chip_read_mismatch' });
    const row = h.core.db.prepare('SELECT status, chip_evidence FROM applications WHERE id = ?').get(review.id);
    expect(row).toEqual({ status: 'in_review', chip_evidence: null });
  });

  it('is approved without a supervisor with its evidence on the row and in the audit (hashes and SAM id only)', async () => {
    const h = await configured();
    const request = makeDemoRequest(syntheticRandom(42), DAY);
    const review = await inReview(h);
    const approved = await h.ok('t1', 'applications.submit', { id: review.id, version: review.version, request });
    expect(approved.status).toBe('approved');
    const row = h.core.db.prepare('SELECT chip_evidence FROM applications WHERE id = ?').get(review.id) as { chip_evidence: string };
    const evidence = JSON.parse(row.chip_evidence) as Record<string, string>;
    expect(evidence).toMatchObject({ readerKind: 'simulated', samId: '05.01-20101216-0016541549-2212183410' });
    expect(evidence.textSha256).toMatch(/^[0-9a-f]{64}$/);
    const audit = h.core.db.prepare("SELECT details FROM audit_log WHERE action = 'application.submit' AND entity_id = ?").get(String(review.id)) as { details: string };
    const details = JSON.parse(audit.details) as Record<string, unknown>;
    expect(details).toMatchObject({ verificationMethod: 'chip', chipSamId: evidence.samId, chipTextSha256: evidence.textSha256, chipPhotoSha256: evidence.photoSha256 });
    expect(audit.details).not.toContain(request.applicant.documentNumber);
    expect(audit.details).not.toContain(request.applicant.name);
  });

  it('keyed by hand needs a supervisor (manual entry), and carries no chip evidence', async () => {
    const h = await configured();
    const request = makeDemoRequest(syntheticRandom(43), DAY, 'exception');
    const review = await inReview(h);
    const pending = await h.ok('t1', 'applications.submit', { id: review.id, version: review.version, request });
    expect(pending.status).toBe('pending_authorization');
    expect(pending.authorizationReasons).toContain('manual_entry');
    const row = h.core.db.prepare('SELECT chip_evidence FROM applications WHERE id = ?').get(review.id);
    expect(row).toEqual({ chip_evidence: null });
  });
});

describe('where the evidence shows', () => {
  it('in the detail (SAM id, time, hashes), the day CSV column and the day report count', async () => {
    const h = await configured();
    const exportDir = join(tempDir(), 'exports');
    mkdirSync(exportDir);
    await h.ok('admin', 'settings.update', { exportDir });
    const review = await inReview(h);
    const approved = await h.ok('t1', 'applications.submit', { id: review.id, version: review.version, request: makeDemoRequest(syntheticRandom(44), DAY) });
    const keyedReview = await inReview(h);
    await h.ok('t1', 'applications.submit', { id: keyedReview.id, version: keyedReview.version, request: makeDemoRequest(syntheticRandom(45), DAY, 'exception') });
    const detail = await h.ok('t1', 'applications.get', { id: approved.id });
    expect(detail.request?.verification.chip).toMatchObject({ readerKind: 'simulated', samId: '05.01-20101216-0016541549-2212183410' });
    expect(detail.request?.verification.chip?.photoSha256).toMatch(/^[0-9a-f]{64}$/);
    const keyed = await h.ok('t1', 'applications.get', { id: keyedReview.id });
    expect(keyed.request?.verification.chip).toBeNull();

    for (const item of (await h.ok('s1', 'dayclose.status', { businessDate: DAY })).openItems) {
      await h.ok('s1', 'dayclose.carryOver', { id: item.id, version: item.version });
    }
    await h.ok('s1', 'dayclose.close', { businessDate: DAY });
    const bundle = await h.ok('s1', 'dayclose.export', { businessDate: DAY });
    const csv = readFileSync(join(bundle.dir, 'applications.csv'), 'utf8').replace(/^\uFEFF/, '').split('\r\n');
    expect(csv[0]?.split(',').at(-1)).toBe('芯片读卡机具SAM号');
    const cells = csv.slice(1).filter((line) => line !== '').map((line) => line.split(',').at(-1));
    expect(cells.sort()).toEqual(['05.01-20101216-0016541549-2212183410', '—']);
    const report = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', join(bundle.dir, 'report.pdf'), '-'], { encoding: 'utf8' });
    expect(report.replace(/\s+/g, ' ')).toMatch(/芯片读取 1/);
  });
});
