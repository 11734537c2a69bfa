import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { openCore } from '../../electron/core';
import { silentEventLog } from '../../electron/core/eventLog';
import { openHarness } from '../support/coreHarness';
import { AcquirerSim, makePki } from '../support/acquirerSim';

// Completing a request renders a slip (about 0.3 s), so fewer kills than the queue's crash test.
const KILLS = process.env.CI ? 8 : 20;

let folder: string;
let sim: AcquirerSim;
let caFile: string;
let dataDir: string;
let publicKey: KeyObject;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'crash-handoff-'));
  dataDir = join(folder, 'data');
  const h = await openHarness(dataDir);
  publicKey = h.core.context.keys.publicKey;
  h.core.close();
  const pki = await makePki();
  caFile = join(folder, 'ca.pem');
  writeFileSync(caFile, pki.caPem);
  // Decides a while after the accept, so kills land between the accept and the outcome too.
  sim = await new AcquirerSim({ pki, publicKey, decideAfterMs: 150, decide: (r) => (Number(r.applicationNumber.slice(-1)) % 3 === 0 ? { outcome: 'unbind_failed', reason: '终端已注销' } : { outcome: 'unbound' }) }).start();
}, 60_000);

afterAll(async () => {
  await sim.stop();
  rmSync(folder, { recursive: true, force: true });
});

function runChild(seed: number, afterMs: number | null): Promise<{ acked: Map<number, string>; drained: boolean }> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', 'test/fixtures/crashHandoff.ts', dataDir, String(seed), sim.url, caFile, ...(afterMs === null ? ['drain'] : [])];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked = new Map<number, string>();
    let buffer = '';
    let errors = '';
    let drained = false;
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'READY' && afterMs !== null) setTimeout(() => child.kill('SIGKILL'), afterMs);
        if (line === 'DRAINED') drained = true;
        const match = /^ACK (\d+) (\S+)$/.exec(line);
        if (match) acked.set(Number(match[1]), match[2] as string);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('exit', (code, signal) => {
      if (afterMs !== null && signal === 'SIGKILL') resolve({ acked, drained });
      else if (afterMs === null && code === 0) resolve({ acked, drained });
      else reject(new Error(`child ended with ${code ?? signal}: ${errors.slice(-2000)}`));
    });
  });
}

describe(`the hand-off across ${KILLS} SIGKILLs`, () => {
  it('delivers every completed request, each time with the same bytes, and records each outcome once', async () => {
    const acknowledged = new Map<number, string>();
    for (let kill = 0; kill < KILLS; kill += 1) {
      const { acked } = await runChild(kill + 1, 500 + Math.floor(Math.random() * 2500));
      for (const [id, number] of acked) acknowledged.set(id, number);
      const core = await openCore({ dataDir, appVersion: 'check', log: silentEventLog });
      try {
        expect(core.db.pragma('integrity_check', { simple: true })).toBe('ok');
        // Every acknowledged completion has its outbox entry: none is forgotten.
        for (const id of acknowledged.keys()) {
          const entry = core.db.prepare('SELECT state FROM acquirer_outbox WHERE application_id = ?').get(id) as { state: string } | undefined;
          expect(entry, `outbox entry of request ${id}`).toBeDefined();
        }
      } finally {
        core.close();
      }
    }
    // The kills landed while requests were being completed and sent (on a loaded machine a completion takes about a second).
    expect(acknowledged.size).toBeGreaterThanOrEqual(Math.ceil(KILLS / 4));
    // Started again, with time to finish: everything is delivered and decided.
    expect((await runChild(999, null)).drained).toBe(true);
    const core = await openCore({ dataDir, appVersion: 'check', log: silentEventLog });
    try {
      const completedIds = (core.db.prepare("SELECT id, number FROM applications WHERE completed_at IS NOT NULL").all() as { id: number; number: string }[]);
      for (const id of acknowledged.keys()) expect(completedIds.some((row) => row.id === id)).toBe(true);
      for (const { id, number } of completedIds) {
        const bodies = sim.bodiesOf(number);
        expect(bodies.length, `POSTs for ${number}`).toBeGreaterThanOrEqual(1);
        expect(new Set(bodies).size, `every POST for ${number} the same bytes`).toBe(1);
        const row = core.db.prepare('SELECT status FROM applications WHERE id = ?').get(id) as { status: string };
        const expected = Number(number.slice(-1)) % 3 === 0 ? 'unbind_failed' : 'unbound';
        expect(row.status, number).toBe(expected);
        const events = core.db.prepare('SELECT outcome FROM outcome_events WHERE application_id = ?').all(id) as { outcome: string }[];
        expect(events).toEqual([{ outcome: expected }]);
      }
      expect(sim.received.every((r) => r.signatureValid)).toBe(true);
      // Some request was sent more than once (a kill between its send and its recorded answer) or none was: both are fine, but say which.
      const resent = completedIds.filter(({ number }) => sim.bodiesOf(number).length > 1).length;
      console.info(`hand-off crash test: ${completedIds.length} completed, ${resent} sent more than once (same bytes)`);
    } finally {
      core.close();
    }
  }, 600_000);
});
