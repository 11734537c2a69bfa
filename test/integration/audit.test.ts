import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { afterEach, describe, expect, it } from 'vitest';
import { syntheticRandom } from '../../shared';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { signAuditHead, verifyAuditChain } from '../../electron/core/audit/auditLog';
import { verifyCanonical } from '../../electron/core/crypto/signing';
import { openHarness, type Harness } from '../support/coreHarness';
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

  it('hashes each row as the README says, so branch IT can recompute the chain without our code', async () => {
    const h = await withHistory();
    const rows = h.core.db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Record<string, string | number | null>[];
    let prev = '0'.repeat(64);
    for (const row of rows) {
      // SHA-256(prev_hash ‖ RFC 8785 canonical row), the row as a JSON object with its details parsed.
      const canonical = canonicalize({ seq: row.seq, at: row.at, actorId: row.actor_id, action: row.action, entity: row.entity, entityId: row.entity_id, details: JSON.parse(String(row.details)) as unknown });
      expect(row.prev_hash).toBe(prev);
      expect(row.hash).toBe(createHash('sha256').update(`${prev}${canonical ?? ''}`, 'utf8').digest('hex'));
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
