import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { openCore } from '../../electron/core';
import { silentEventLog } from '../../electron/core/eventLog';
import { purgeExpired } from '../../electron/core/retention/retentionPurge';
import type { Figures } from './stats';
import { BENCH_DAY } from './benchDay';

/**
 * The retention purge of a closed day of `count` real, sealed requests, counted from ten years later: what a
 * day close spends on the day that passes out of retention (one business day a close), and a guide to how
 * long a first purge of a longer backlog takes (`cli purge`).
 */
export async function retentionBench(dir: string, count: number): Promise<Figures> {
  const dataDir = join(dir, 'retention');
  const fill = spawnSync(process.execPath, ['--import', 'tsx', 'test/bench/fillDay.ts', dataDir, String(count)], { stdio: 'inherit' });
  if (fill.status !== 0) throw new Error('filling the day failed');
  const core = await openCore({ dataDir, appVersion: 'bench', log: silentEventLog, clock: { now: () => new Date('2036-11-26T09:00:00Z') } });
  // The fixture: the filled day closed long ago (not measured).
  core.db
    .prepare("INSERT INTO business_days (business_date, status, opened_at, closed_at) VALUES (?, 'closed', ?, ?) ON CONFLICT DO UPDATE SET status = 'closed'")
    .run(BENCH_DAY, `${BENCH_DAY}T00:00:00Z`, `${BENCH_DAY}T10:00:00Z`);
  const started = performance.now();
  const report = purgeExpired(core.context, { actorId: null, asOf: '2036-11-26' });
  const purgeMs = performance.now() - started;
  core.close();
  if (report.applications !== count) throw new Error(`purged ${report.applications} of ${count}: the benchmark would measure the wrong thing`);
  return { retention_rows: count, retention_purge_ms: purgeMs, retention_purge_per_1000_ms: (purgeMs / count) * 1000 };
}
