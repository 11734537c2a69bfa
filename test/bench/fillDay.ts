/**
 * Fills a data folder with a business day of real, sealed requests, in its own process so the benchmark
 * that follows measures the close and export alone (memory included).
 */
import { applicationInputSchema, syntheticRandom } from '../../shared';
import { openCore } from '../../electron/core';
import { silentEventLog } from '../../electron/core/eventLog';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { sealRequest } from '../../electron/core/applications/personalData';
import { insertApplication, updateApplication } from '../../electron/core/applications/repository';

import { BENCH_DAY, BENCH_PASSWORD } from './benchDay';

const [dataDir, countText] = process.argv.slice(2);
if (!dataDir || !countText) throw new Error('usage: fillDay DATA_DIR COUNT');
{
  const core = await openCore({ dataDir, appVersion: 'bench', log: silentEventLog, passwordCost: 10, clock: { now: () => new Date('2026-11-25T09:00:00Z') } });
  const call = async (session: string, method: string, input: unknown) => {
    const result = await core.router.invoke(session, method, input);
    if (!result.ok) throw new Error(`${method}: ${JSON.stringify(result.error)}`);
    return result.value as { id: number };
  };
  await call('admin', 'auth.setup', { branchCode: '310101', desk: '01', branchName: '上海分行营业部', bankName: '示例银行', admin: { employeeNo: 'A001', name: '管理员', password: BENCH_PASSWORD } });
  await call('admin', 'auth.login', { employeeNo: 'A001', password: BENCH_PASSWORD });
  const supervisor = await call('admin', 'tellers.create', { employeeNo: 'S001', name: '赵主管', role: 'supervisor', password: BENCH_PASSWORD });
  core.db.prepare('UPDATE tellers SET must_change_password = 0 WHERE id = ?').run(supervisor.id);
  const random = syntheticRandom(99);
  // Final statuses only: an approved request is still open work (signature and slip to come) and blocks the close.
  const finals = ['completed', 'completed', 'completed', 'completed', 'rejected', 'cancelled'] as const;
  core.db.pragma('synchronous = OFF');
  core.db.transaction(() => {
    for (let i = 0; i < Number(countText); i += 1) {
      const number = `310101-01-20261125-${String(i + 1).padStart(5, '0')}`;
      const at = new Date(Date.parse(`${BENCH_DAY}T01:00:00Z`) + i * 2000).toISOString();
      const id = insertApplication(core.db, { number, businessDate: BENCH_DAY, ticketNo: i + 1, channel: 'counter', createdBy: 1, at });
      const request = applicationInputSchema.parse(makeDemoRequest(random, BENCH_DAY, i % 5 === 0 ? 'exception' : 'plain'));
      updateApplication(core.db, id, 1, finals[i % finals.length] ?? 'completed', { ...sealRequest(core.context.keys, id, request), keyed_by: 1 }, at);
    }
  })();
  core.db.pragma('wal_checkpoint(TRUNCATE)');
  core.close();
}
