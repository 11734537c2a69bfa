import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCore } from '../../electron/core';
import { silentEventLog } from '../../electron/core/eventLog';
import { trackPeakRss, type Figures } from './stats';
import { BENCH_DAY, BENCH_PASSWORD } from './benchDay';

/** Closes and exports a day of `count` real, sealed requests, against one raw SELECT written as plain CSV. */
export async function dayCloseBench(dir: string, count: number): Promise<Figures> {
  const dataDir = join(dir, 'dayclose');
  const fill = spawnSync(process.execPath, ['--import', 'tsx', 'test/bench/fillDay.ts', dataDir, String(count)], { stdio: 'inherit' });
  if (fill.status !== 0) throw new Error('filling the day failed');
  const exportDir = join(dir, 'exports');
  mkdirSync(exportDir, { recursive: true });
  const memory = trackPeakRss();
  const core = await openCore({
    dataDir,
    appVersion: 'bench',
    log: silentEventLog,
    clock: { now: () => new Date('2026-11-25T09:00:00Z') },
    ports: { chooseExportDirectory: () => Promise.resolve(exportDir) },
  });
  const call = async (method: string, input: unknown) => {
    const result = await core.router.invoke('s1', method, input);
    if (!result.ok) throw new Error(`${method}: ${JSON.stringify(result.error)}`);
    return result.value as { dir: string };
  };
  await call('auth.login', { employeeNo: 'S001', password: BENCH_PASSWORD });
  const rssBeforeMb = process.memoryUsage.rss() / (1024 * 1024);
  const started = performance.now();
  await call('dayclose.close', { businessDate: BENCH_DAY });
  const written = await call('dayclose.export', { businessDate: BENCH_DAY });
  const dayCloseMs = performance.now() - started;
  const peak = memory.stop();
  const bundleBytes = readdirSync(written.dir).reduce((sum, name) => sum + statSync(join(written.dir, name)).size, 0);

  const baselineStarted = performance.now();
  const rows = core.db
    .prepare('SELECT number, ticket_no, status, applicant_name_masked, document_number_masked, mobile_masked, merchant_number, terminal_id, terminal_serial FROM applications WHERE business_date = ?')
    .raw()
    .all(BENCH_DAY) as unknown[][];
  writeFileSync(join(dir, 'baseline.csv'), rows.map((row) => row.join(',')).join('\n'));
  const baselineMs = performance.now() - baselineStarted;
  core.close();
  return {
    dayclose_rows: count,
    dayclose_ms: dayCloseMs,
    // The close and export alone; run.ts adds dayclose_peak_rss_mb, the whole section's process.
    dayclose_close_export_peak_rss_mb: peak,
    dayclose_rss_before_mb: rssBeforeMb,
    dayclose_bundle_bytes: bundleBytes,
    dayclose_baseline_ms: baselineMs,
    dayclose_ratio: dayCloseMs / baselineMs,
  };
}
