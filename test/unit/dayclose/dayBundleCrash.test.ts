import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyDayBundle } from '../../../electron/core/dayclose/bundleVerification';
import { writeDayBundle } from '../../../electron/core/dayclose/bundleWriter';
import { dayTotals } from '../../../electron/core/dayclose/dayTotals';
import { useTempDirs } from '../../support/tempDir';
import { SAMPLE_META, sampleDay, sampleSigningKey } from './sampleDay';

const tempDir = useTempDirs();
const APPLICATIONS = 20_000;
const FIXTURE = join(import.meta.dirname, 'fixtures', 'exportSampleDay.ts');
const TEMPORARY_NAME = /^\..+\.tmp-[0-9a-f]{12}$/;

interface ChildRun {
  /** Milliseconds from the start of the export to the kill or the exit. */
  elapsed: number;
  finished: boolean;
}

/**
 * Runs the fixture in its own node process (not through the tsx CLI, which would run it in a grandchild
 * that SIGKILL never reaches), and kills it `killAfter` ms into the export.
 */
function exportInChild(root: string, killAfter?: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, root, String(APPLICATIONS)], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let started = 0;
    let finished = false;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      if (text.includes('exporting') && started === 0) {
        started = performance.now();
        if (killAfter !== undefined) setTimeout(() => child.kill('SIGKILL'), killAfter);
      }
      if (text.includes('exported')) finished = true;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`export child failed (${code}): ${stderr}`));
      else resolve({ elapsed: performance.now() - started, finished });
    });
  });
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

describe('a kill during export', () => {
  it('never leaves a partial file under a final name', { timeout: 240_000 }, async () => {
    // The reference: the same day exported in this process. Exports are reproducible, so every file of
    // a child's export must be byte for byte one of these.
    const { rows, fullData } = sampleDay(APPLICATIONS);
    const reference = await writeDayBundle({
      destinationRoot: tempDir(),
      meta: SAMPLE_META,
      rows,
      totals: dayTotals(rows),
      signingKey: sampleSigningKey(),
      fullData,
    });
    const expected = new Map(readdirSync(reference.dir).map((name) => [name, sha256(join(reference.dir, name))]));
    expect([...expected.keys()].sort()).toEqual(['applications.csv', 'applications.xlsx', 'full-data.csv', 'manifest.json', 'outcomes.csv', 'report.pdf']);

    // An uninterrupted child export gives the same bytes, and tells how long an export takes there.
    const completeRoot = tempDir();
    const complete = await exportInChild(completeRoot);
    expect(complete.finished).toBe(true);
    const [completeDir = ''] = readdirSync(completeRoot);
    for (const [name, hash] of expected) expect(sha256(join(completeRoot, completeDir, name)), name).toBe(hash);

    // Kills spread over the whole export (one per eighth of its duration, at a random point inside it).
    const kills = 8;
    const span = Math.max(complete.elapsed, 1_500);
    let killedMidway = 0;
    const seen: string[][] = [];
    for (let i = 0; i < kills; i++) {
      const killAfter = Math.round(50 + ((span - 50) * (i + Math.random())) / kills);
      const root = tempDir();
      const run = await exportInChild(root, killAfter);
      if (!run.finished) killedMidway += 1;
      const bundles = readdirSync(root);
      expect(bundles.length).toBeLessThanOrEqual(1);
      const names: string[] = [];
      for (const bundle of bundles) {
        const dir = join(root, bundle);
        expect(bundle).toBe('110105001_03_20261125_1');
        for (const name of readdirSync(dir)) {
          if (TEMPORARY_NAME.test(name)) continue;
          names.push(name);
          expect(sha256(join(dir, name)), `${name} after a kill at ${killAfter} ms`).toBe(expected.get(name));
        }
        if (names.includes('manifest.json')) expect(await verifyDayBundle(dir, sampleSigningKey())).toMatchObject({ ok: true });
        else expect(await verifyDayBundle(dir, sampleSigningKey())).toMatchObject({ ok: false, reason: 'bundle.manifest_missing' });
      }
      seen.push(names);
    }
    expect(killedMidway, `final files seen after each kill: ${JSON.stringify(seen)}`).toBeGreaterThan(0);
  });
});
