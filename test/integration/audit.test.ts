import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import { afterEach, describe, expect, it } from 'vitest';
import { syntheticRandom } from '../../shared';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { signAuditHead, verifyAuditChain } from '../../electron/core/audit/auditLog';
import { verifyCanonical } from '../../electron/core/crypto/signing';
import { openHarness, PASSWORDS, type Harness } from '../support/coreHarness';
import { demoSignaturePng } from '../../electron/core/demo/demoSignature';
import { readReceipt } from '../../electron/core/receipts/receiptVerification';
import { DATABASE_FILE } from '../../electron/core';
import { openDatabase } from '../../electron/core/db/connection';
import { loadMigrations, migrate } from '../../electron/core/db/migrations';
import { KEY_FILE } from '../../electron/core/crypto/keyFileStore';
import { keyFingerprint, parseInstallationSecret } from '../../electron/core/crypto/installationKeys';
import { useTempDirs } from '../support/tempDir';

const tempDir = useTempDirs();
const harnesses: Harness[] = [];
afterEach(() => {
  for (const h of harnesses.splice(0)) h.core.close();
});

async function withHistory(): Promise<Harness> {
  const h = await openHarness(tempDir());
  harnesses.push(h);
  for (let i = 0; i < 4; i += 1) {
    const app = await h.ok('t1', 'applications.register', {});
    const review = await h.ok('t1', 'applications.startReview', { id: app.id, version: app.version });
    await h.ok('t1', 'applications.submit', { id: review.id, version: review.version, request: makeDemoRequest(syntheticRandom(i), '2026-11-25') });
  }
  return h;
}

/** What an attacker with the file could do: the triggers are in the file too. */
function tamper(h: Harness, sql: string, ...params: unknown[]) {
  h.core.db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  h.core.db.prepare(sql).run(...params);
}

describe('the audit log', () => {
  it('is append-only: UPDATE and DELETE fail', async () => {
    const h = await withHistory();
    expect(() => h.core.db.prepare("UPDATE audit_log SET action = 'x' WHERE seq = 3").run()).toThrow(/append-only/);
    expect(() => h.core.db.prepare('DELETE FROM audit_log WHERE seq = 3').run()).toThrow(/append-only/);
    expect(verifyAuditChain(h.core.db).ok).toBe(true);
  });

  it('detects an edited row', async () => {
    const h = await withHistory();
    tamper(h, `UPDATE audit_log SET details = json_set(details, '$.to', 'approved') WHERE seq = 10`);
    expect(verifyAuditChain(h.core.db)).toMatchObject({ ok: false, firstBadSeq: 10 });
  });

  it('keys each row as the README says, so branch IT can recompute the chain with the installation key', async () => {
    const h = await withHistory();
    const rows = h.core.db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Record<string, string | number | null>[];
    const auditKey = Buffer.from(hkdfSync('sha256', h.core.context.keys.dataKey, Buffer.alloc(0), 'unbinddesk audit chain v1', 32));
    let prev = '0'.repeat(64);
    // A new database is keyed from its first row.
    expect(rows[0]).toMatchObject({ seq: 1, action: 'audit.chain_keyed' });
    for (const row of rows) {
      // HMAC-SHA256(audit key, prev_hash ‖ RFC 8785 canonical row), the row as a JSON object with its details parsed.
      const canonical = canonicalize({ seq: row.seq, at: row.at, actorId: row.actor_id, action: row.action, entity: row.entity, entityId: row.entity_id, details: JSON.parse(String(row.details)) as unknown });
      expect(row.prev_hash).toBe(prev);
      expect(row.hash).toBe(createHmac('sha256', auditKey).update(`${prev}${canonical ?? ''}`, 'utf8').digest('hex'));
      prev = String(row.hash);
    }
    // Setup, logins and the four requests of three commands each: the loop above really ran.
    expect(rows.length).toBeGreaterThanOrEqual(12);
  });

  it('detects details re-written with the same meaning in other bytes', async () => {
    const h = await withHistory();
    tamper(h, `UPDATE audit_log SET details = json_pretty(details) WHERE seq = 6`);
    expect(verifyAuditChain(h.core.db)).toMatchObject({ ok: false, firstBadSeq: 6 });
  });

  it('detects a deleted row', async () => {
    const h = await withHistory();
    tamper(h, 'DELETE FROM audit_log WHERE seq = 7');
    expect(verifyAuditChain(h.core.db)).toMatchObject({ ok: false, firstBadSeq: 8 });
  });

  it('detects an inserted row', async () => {
    const h = await withHistory();
    const rows = h.core.db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Record<string, unknown>[];
    h.core.db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    // Shift rows up by one from seq 6, then put a forged row at 6 that copies row 5's link.
    for (const row of [...rows].reverse()) if ((row.seq as number) >= 6) h.core.db.prepare('UPDATE audit_log SET seq = seq + 1 WHERE seq = ?').run(row.seq);
    const five = rows[4] as Record<string, unknown>;
    h.core.db.prepare('INSERT INTO audit_log (seq, at, actor_id, action, entity, entity_id, details, prev_hash, hash) VALUES (6, ?, 1, ?, ?, ?, ?, ?, ?)').run(five.at, 'application.cancel', 'application', '1', '{}', five.hash, five.hash);
    expect(verifyAuditChain(h.core.db)).toMatchObject({ ok: false });
  });

  it('detects two rows swapped', async () => {
    const h = await withHistory();
    const [a, b] = h.core.db.prepare('SELECT * FROM audit_log WHERE seq IN (4, 5) ORDER BY seq').all() as Record<string, unknown>[];
    h.core.db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    const swap = h.core.db.prepare('UPDATE audit_log SET at = @at, actor_id = @actor_id, action = @action, entity = @entity, entity_id = @entity_id, details = @details, prev_hash = @prev_hash, hash = @hash WHERE seq = @target');
    swap.run({ ...b, target: 4 });
    swap.run({ ...a, target: 5 });
    expect(verifyAuditChain(h.core.db)).toMatchObject({ ok: false, firstBadSeq: 4 });
  });

  it('signs the chain head, so a truncation shows against a head printed earlier', async () => {
    const h = await withHistory();
    const head = signAuditHead(h.core.db, h.core.context.keys.signingKey, new Date('2026-11-25T08:00:00Z'));
    const { signature, ...signed } = head;
    expect(verifyCanonical(h.core.context.keys.publicKey, signed, signature)).toBe(true);
    tamper(h, 'DELETE FROM audit_log WHERE seq > ?', head.seq - 2);
    const after = verifyAuditChain(h.core.db);
    // The shortened chain is internally consistent; only the signed head shows what was lost.
    expect(after.ok).toBe(true);
    if (after.ok) expect(after.head.seq).toBeLessThan(head.seq);
    expect(verifyCanonical(h.core.context.keys.publicKey, { ...signed, seq: signed.seq - 2 }, signature)).toBe(false);
  });
});

async function completedWithSlip(h: Harness, seed: number) {
  const app = await h.ok('t1', 'applications.register', {});
  const review = await h.ok('t1', 'applications.startReview', { id: app.id, version: app.version });
  const approved = await h.ok('t1', 'applications.submit', { id: review.id, version: review.version, request: makeDemoRequest(syntheticRandom(seed), '2026-11-25') });
  const signed = await h.ok('t1', 'applications.setSignature', { id: approved.id, version: approved.version, pngBase64: demoSignaturePng(syntheticRandom(seed)).toString('base64') });
  const issued = await h.ok('t1', 'receipts.issue', { id: signed.id, version: signed.version });
  const read = readReceipt(Buffer.from(issued.pdfBase64 ?? '', 'base64'));
  if (!read) throw new Error('no payload in the slip');
  return { number: signed.number, id: signed.id, head: JSON.parse(read.payloadText) as { q: number } };
}

type StoredAuditRow = { seq: number; at: string; actor_id: number | null; action: string; entity: string; entity_id: string | null; details: string; prev_hash: string; hash: string };

/** What an attacker with the file but not the key can do: rewrite the rows, then hash them again (SHA-256, or an HMAC with a key of their own). */
function rewriteHistory(h: Harness, keep: (row: StoredAuditRow) => boolean, hashWith: (prev: string, canonical: string) => string) {
  const rows = (h.core.db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as StoredAuditRow[]).filter(keep);
  h.core.db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log;');
  const insert = h.core.db.prepare('INSERT INTO audit_log (seq, at, actor_id, action, entity, entity_id, details, prev_hash, hash) VALUES (@seq, @at, @actor_id, @action, @entity, @entity_id, @details, @prev_hash, @hash)');
  let prev = '0'.repeat(64);
  rows.forEach((row, index) => {
    const seq = index + 1;
    const canonical = canonicalize({ seq, at: row.at, actorId: row.actor_id, action: row.action, entity: row.entity, entityId: row.entity_id, details: JSON.parse(row.details) as unknown }) ?? '';
    const hash = hashWith(prev, canonical);
    insert.run({ ...row, seq, prev_hash: prev, hash });
    prev = hash;
  });
  // …and the triggers put back, as the review did.
  h.core.db.exec(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;`);
}

describe('the keyed audit chain, checked against signed heads and the tables', () => {
  it('refuses a request history deleted and re-hashed without the installation key, and signs no head', async () => {
    const h = await withHistory();
    expect(await h.ok('s1', 'audit.verify', {})).toMatchObject({ ok: true, differences: [] });
    const sha256 = (prev: string, canonical: string) => createHash('sha256').update(`${prev}${canonical}`, 'utf8').digest('hex');
    const ownKey = randomBytes(32);
    const hmacOwnKey = (prev: string, canonical: string) => createHmac('sha256', ownKey).update(`${prev}${canonical}`, 'utf8').digest('hex');
    const dropRequestTwo = (row: StoredAuditRow) => !(row.entity === 'application' && row.entity_id === '2');

    rewriteHistory(h, dropRequestTwo, sha256);
    const answer = await h.ok('s1', 'audit.verify', {});
    expect(answer).toMatchObject({ ok: false, head: null, firstBadSeq: 1 });
    expect(answer.differences[0]).toMatchObject({ code: 'audit.chain_broken', seq: 1 });

    rewriteHistory(h, dropRequestTwo, hmacOwnKey);
    expect(verifyAuditChain(h.core.db)).toMatchObject({ ok: false, firstBadSeq: 1 });
    // Without the keying row the whole chain is plain SHA-256 again: still refused, it was never keyed.
    rewriteHistory(h, (row) => row.action !== 'audit.chain_keyed', sha256);
    expect(verifyAuditChain(h.core.db)).toMatchObject({ ok: false, reason: expect.stringContaining('no keying row') });
    expect(await h.ok('s1', 'audit.verify', {})).toMatchObject({ ok: false, head: null });
  });

  it('shows rows cut off the end against the head signed into a stored slip', async () => {
    const h = await withHistory();
    const slip = await completedWithSlip(h, 11);
    await completedWithSlip(h, 12);
    tamper(h, 'DELETE FROM audit_log WHERE seq >= ?', slip.head.q);
    // The shortened chain is consistent in itself: only the signed head shows what was lost.
    expect(verifyAuditChain(h.core.db).ok).toBe(true);
    const answer = await h.ok('s1', 'audit.verify', {});
    expect(answer.ok).toBe(false);
    expect(answer.head).toBeNull();
    expect(answer.differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'audit.rows_cut_off', seq: slip.head.q, subject: `slip ${slip.number} #1`, found: String(slip.head.q - 1) }),
      ]),
    );
  });

  it('shows rows cut off the end against the head signed into a day bundle in the export folder', async () => {
    const h = await openHarness(tempDir());
    harnesses.push(h);
    await completedWithSlip(h, 13);
    await h.ok('s1', 'dayclose.close', { businessDate: '2026-11-25' });
    const bundle = await h.ok('s1', 'dayclose.export', { businessDate: '2026-11-25' });
    const manifest = JSON.parse(readFileSync(join(bundle.dir, 'manifest.json'), 'utf8')) as { auditHead: { seq: number } };
    expect(await h.ok('s1', 'audit.verify', {})).toMatchObject({ ok: true, differences: [] });
    // Everything from the bundle's head on: the export's own row, and the head itself.
    tamper(h, 'DELETE FROM audit_log WHERE seq >= ?', manifest.auditHead.seq);
    const answer = await h.ok('s1', 'audit.verify', {});
    expect(answer).toMatchObject({ ok: false, head: null });
    expect(answer.differences).toContainEqual({ code: 'audit.rows_cut_off', seq: manifest.auditHead.seq, subject: `bundle ${bundle.dir}`, expected: String(manifest.auditHead.seq), found: String(manifest.auditHead.seq - 1) });
  });

  it('reports every request whose status or authorizer the table holds otherwise than its audit rows say', async () => {
    const h = await withHistory();
    const app = await h.ok('t1', 'applications.register', {});
    const review = await h.ok('t1', 'applications.startReview', { id: app.id, version: app.version });
    const pending = await h.ok('t1', 'applications.submit', { id: review.id, version: review.version, request: makeDemoRequest(syntheticRandom(21), '2026-11-25', 'exception') });
    await h.ok('t1', 'applications.authorize', { id: pending.id, version: pending.version, decision: 'approve', supervisor: { employeeNo: 'S001', password: PASSWORDS.supervisor } });
    expect(await h.ok('s1', 'audit.verify', {})).toMatchObject({ ok: true, differences: [] });

    const s2 = (h.core.db.prepare("SELECT id FROM tellers WHERE employee_no = 'S002'").get() as { id: number }).id;
    h.core.db.prepare('UPDATE applications SET authorizer_id = ? WHERE id = ?').run(s2, pending.id);
    h.core.db.prepare("UPDATE applications SET status = 'cancelled' WHERE id = 1").run();
    h.core.db.prepare("UPDATE applications SET status = 'completed' WHERE id = 2").run();
    const number = (id: number) => (h.core.db.prepare('SELECT number FROM applications WHERE id = ?').get(id) as { number: string }).number;
    const answer = await h.ok('s1', 'audit.verify', {});
    expect(answer).toMatchObject({ ok: false, head: null, firstBadSeq: null });
    expect(answer.differences.map(({ code, subject, expected, found }) => ({ code, subject, expected, found }))).toEqual([
      { code: 'audit.status_differs', subject: number(1), expected: 'approved', found: 'cancelled' },
      { code: 'audit.status_differs', subject: number(2), expected: 'approved', found: 'completed' },
      { code: 'audit.authorizer_differs', subject: pending.number, expected: 'S001', found: 'S002' },
    ]);
  });

  it('keys a database from before the keyed chain at its first start; its old rows can then not be rewritten', async () => {
    const dir = tempDir();
    const h = await openHarness(dir);
    const secret = readFileSync(join(dir, KEY_FILE));
    h.core.close();
    // The same file as the version before the keyed chain left it: plain SHA-256 rows, no keying row.
    const legacy = tempDir();
    const db = openDatabase(join(legacy, DATABASE_FILE));
    migrate(db, loadMigrations());
    db.prepare("INSERT INTO installation_key (id, fingerprint, recorded_at) SELECT 1, ?, '2026-01-01T00:00:00Z'").run(
      keyFingerprint(parseInstallationSecret(secret).publicKey),
    );
    let prev = '0'.repeat(64);
    for (let seq = 1; seq <= 3; seq += 1) {
      const row = { seq, at: '2026-01-01T00:00:00.000Z', actor_id: null, action: 'legacy.event', entity: 'branch', entity_id: null, details: '{}' };
      const canonical = canonicalize({ seq, at: row.at, actorId: null, action: row.action, entity: row.entity, entityId: null, details: {} }) ?? '';
      const hash = createHash('sha256').update(`${prev}${canonical}`, 'utf8').digest('hex');
      db.prepare('INSERT INTO audit_log (seq, at, actor_id, action, entity, entity_id, details, prev_hash, hash) VALUES (@seq, @at, @actor_id, @action, @entity, @entity_id, @details, @prev_hash, @hash)').run({ ...row, prev_hash: prev, hash });
      prev = hash;
    }
    db.close();
    writeFileSync(join(legacy, KEY_FILE), secret, { mode: 0o600 });

    const upgraded = await openHarness(legacy, { setup: false });
    harnesses.push(upgraded);
    const rows = upgraded.core.db.prepare('SELECT seq, action, hash FROM audit_log ORDER BY seq').all() as { seq: number; action: string; hash: string }[];
    expect(rows.map((r) => r.action)).toEqual(['legacy.event', 'legacy.event', 'legacy.event', 'audit.chain_keyed']);
    expect(rows[2]?.hash).toBe(prev); // the old rows keep their hashes: heads printed on old slips still match
    expect(verifyAuditChain(upgraded.core.db)).toMatchObject({ ok: true, rows: 4, keyedFromSeq: 4 });
    // A second start keys nothing again.
    upgraded.core.close();
    const again = await openHarness(legacy, { setup: false });
    harnesses.push(again);
    expect(verifyAuditChain(again.core.db)).toMatchObject({ ok: true, rows: 4 });
    // Rewriting an old row and re-hashing the plain part breaks the keying row's link.
    rewriteHistory(again, () => true, (p, canonical) => createHash('sha256').update(`${p}${canonical.replace('legacy.event', 'forged.event')}`, 'utf8').digest('hex'));
    expect(verifyAuditChain(again.core.db)).toMatchObject({ ok: false });
  });
});
