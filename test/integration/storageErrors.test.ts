import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_FILE } from '../../electron/core';
import { openDatabase, withDeferredSync } from '../../electron/core/db/connection';
import { loadMigrations } from '../../electron/core/db/migrations';
import { fileEventLog } from '../../electron/core/eventLog';
import { verifyAuditChain } from '../../electron/core/audit/auditLog';
import { openHarness, type Harness } from '../support/coreHarness';
import { useTempDirs } from '../support/tempDir';

const tempDir = useTempDirs();

const counts = (h: Harness) => h.core.db.prepare('SELECT (SELECT count(*) FROM applications) AS requests, (SELECT count(*) FROM audit_log) AS audit').get();

describe('when the disk or the database refuses a change', () => {
  it('says the disk is full, saves nothing, logs the cause for branch IT, and works again once there is room', async () => {
    const dataDir = tempDir();
    const h = await openHarness(dataDir, { log: fileEventLog(join(dataDir, 'logs')) });
    // SQLite's own limit on the file's size: the same SQLITE_FULL a full disk gives.
    const { page_count: pages } = h.core.db.prepare('PRAGMA page_count').get() as { page_count: number };
    h.core.db.pragma(`max_page_count = ${pages}`);
    let refused = null;
    for (let i = 0; i < 500 && !refused; i += 1) {
      const before = counts(h);
      const result = await h.call('t1', 'applications.register', {});
      if (!result.ok) {
        refused = result.error;
        expect(counts(h)).toEqual(before);
      }
    }
    expect(refused).toEqual({ code: 'INTERNAL', message: 'error.storage_full' });
    const logged = readdirSync(join(dataDir, 'logs')).map((name) => readFileSync(join(dataDir, 'logs', name), 'utf8')).join('');
    const lines = logged.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ level: 'info', event: 'core.opened', schemaTo: loadMigrations().length });
    expect(lines.at(-1)).toMatchObject({ level: 'error', event: 'rpc.handler_failed', method: 'applications.register', code: 'SQLITE_FULL' });
    expect(verifyAuditChain(h.core.db).ok).toBe(true);
    h.core.db.pragma(`max_page_count = ${pages * 4}`);
    expect((await h.call('t1', 'applications.register', {})).ok).toBe(true);
    h.core.close();
  });

  it('says another program holds the database, saves nothing, and works again once it lets go', async () => {
    const dataDir = tempDir();
    const h = await openHarness(dataDir);
    h.core.db.pragma('busy_timeout = 50');
    // A second program (a backup tool, say) holding the write lock.
    const other = openDatabase(join(dataDir, DATABASE_FILE));
    other.exec('BEGIN IMMEDIATE');
    const before = counts(h);
    const result = await h.call('t1', 'applications.register', {});
    expect(result).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'error.storage_busy' } });
    expect(counts(h)).toEqual(before);
    other.exec('ROLLBACK');
    other.close();
    expect((await h.call('t1', 'applications.register', {})).ok).toBe(true);
    h.core.close();
  });
});

describe('a write whose commit is not forced to disk (the acquirer\'s answers)', () => {
  it('runs with synchronous=NORMAL and leaves the connection at FULL afterwards, also when the write fails', () => {
    const db = openDatabase(join(tempDir(), 'deferred.sqlite'));
    const level = () => db.pragma('synchronous', { simple: true });
    expect(level()).toBe(2);
    expect(withDeferredSync(db, () => level())).toBe(1);
    expect(level()).toBe(2);
    expect(() => withDeferredSync(db, () => { throw new Error('refused'); })).toThrow('refused');
    expect(level()).toBe(2);
    // Again on the same connection (the statements are prepared once and run again).
    expect(withDeferredSync(db, () => level())).toBe(1);
    expect(level()).toBe(2);
    db.close();
  });
});
