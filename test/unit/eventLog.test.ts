import { describe, expect, it, vi } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileEventLog } from '../../electron/core/eventLog';
import { useTempDirs } from '../support/tempDir';

const tempDir = useTempDirs();

describe('the event log file', () => {
  it('appends one JSON line per event to the day’s file, private to the counter account', () => {
    const dir = join(tempDir(), 'logs');
    let now = new Date('2026-11-25T23:59:59Z');
    const log = fileEventLog(dir, { now: () => now });
    log.info('core.opened', { schemaTo: 5 });
    log.error('rpc.handler_failed', { method: 'applications.submit', code: 'SQLITE_FULL' });
    now = new Date('2026-11-26T00:00:01Z');
    log.info('retention.purged', { applications: 3 });
    expect(readdirSync(dir).sort()).toEqual(['events-2026-11-25.log', 'events-2026-11-26.log']);
    const first = readFileSync(join(dir, 'events-2026-11-25.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as unknown);
    expect(first).toEqual([
      { at: '2026-11-25T23:59:59.000Z', level: 'info', event: 'core.opened', schemaTo: 5 },
      { at: '2026-11-25T23:59:59.000Z', level: 'error', event: 'rpc.handler_failed', method: 'applications.submit', code: 'SQLITE_FULL' },
    ]);
    if (process.platform !== 'win32') {
      expect(statSync(join(dir, 'events-2026-11-26.log')).mode & 0o777).toBe(0o600);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
    }
  });

  it('removes files past the days it keeps, and only its own', () => {
    const dir = tempDir();
    for (const name of ['events-2026-05-28.log', 'events-2026-05-29.log', 'events-2026-11-24.log', 'notes.txt']) writeFileSync(join(dir, name), 'x\n');
    fileEventLog(dir, { keepDays: 180, now: () => new Date('2026-11-25T08:00:00Z') });
    expect(readdirSync(dir).sort()).toEqual(['events-2026-05-29.log', 'events-2026-11-24.log', 'notes.txt']);
  });

  it('never stops the work when the folder cannot be written', () => {
    const blocked = join(tempDir(), 'a-file');
    writeFileSync(blocked, '');
    const log = fileEventLog(join(blocked, 'logs'));
    const written: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
    try {
      expect(() => log.error('rpc.handler_failed', { code: 'SQLITE_IOERR' })).not.toThrow();
    } finally {
      stderr.mockRestore();
    }
    expect(existsSync(join(blocked, 'logs'))).toBe(false);
    // The line is not lost: it goes to stderr instead.
    expect(written.map((line) => JSON.parse(line) as unknown)).toEqual([expect.objectContaining({ level: 'error', event: 'rpc.handler_failed', code: 'SQLITE_IOERR' })]);
  });
});
