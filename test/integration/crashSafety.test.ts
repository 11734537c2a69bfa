import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { openCore } from '../../electron/core';
import { silentEventLog } from '../../electron/core/eventLog';
import { findApplication } from '../../electron/core/applications/repository';
import { openRequest } from '../../electron/core/applications/personalData';
import { applicationInputSchema } from '../../shared';
import { openHarness } from '../support/coreHarness';
import { useTempDirs } from '../support/tempDir';

const tempDir = useTempDirs();
// A local run kills 50 times; CI (2 cores, shared with the other suites) kills 12 times.
const KILLS = process.env.CI ? 12 : 50;

/** Runs the writer until a random moment after it is ready, then SIGKILLs it; returns the acknowledged ids. */
function runAndKill(dataDir: string, seed: number, afterMs: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    // One process: the tsx wrapper would start node as a grandchild that SIGKILL would miss.
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/crashWriter.ts', dataDir, String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: number[] = [];
    let buffer = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'READY') setTimeout(() => child.kill('SIGKILL'), afterMs);
        const match = /^ACK (\d+)$/.exec(line);
        if (match) acked.push(Number(match[1]));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(acked) : reject(new Error(`writer ended without the kill: ${errors}`))));
  });
}

describe(`crash safety (${KILLS} SIGKILLs${process.env.CI ? ' in CI; 50 locally' : ''})`, () => {
  it('keeps every acknowledged request whole, and the database passes integrity_check after each kill', async () => {
    const dataDir = tempDir();
    (await openHarness(dataDir)).core.close();
    const acknowledged = new Set<number>();
    for (let kill = 0; kill < KILLS; kill += 1) {
      for (const id of await runAndKill(dataDir, kill + 1, 50 + Math.floor(Math.random() * 400))) acknowledged.add(id);
      const core = await openCore({ dataDir, appVersion: 'check', log: silentEventLog });
      try {
        expect(core.db.pragma('integrity_check', { simple: true })).toBe('ok');
        for (const id of acknowledged) {
          const row = findApplication(core.db, id);
          expect(row?.status, `request ${id}`).toBe('approved');
          const request = row ? openRequest(core.context.keys, row) : null;
          expect(applicationInputSchema.safeParse(request).success, `request ${id} whole`).toBe(true);
        }
      } finally {
        core.close();
      }
    }
    expect(acknowledged.size).toBeGreaterThan(KILLS);
  }, 600_000);
});
