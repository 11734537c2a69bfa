import { join } from 'node:path';
import type { CoreContext } from '../context';
import { signedHeadsOfBundles } from '../dayclose/bundleAuditHeads';
import { signedHeadsOfStoredSlips } from '../receipts/slipAuditHeads';
import { readSettings } from '../settings';
import { signAuditHead } from './auditLog';
import { auditReport } from './auditReconciliation';

/**
 * 审计校验 on the counter (`audit.verify`): the keyed chain, the heads signed earlier that the desk can reach —
 * the newest slips kept in the data folder and the bundles in the export folder — and each request's status and
 * authorizer against its audit rows. A head is signed only when nothing differs: a signed head vouches for the
 * chain, so a forged or shortened one must never get one.
 */
export function auditCheck(core: CoreContext) {
  const exportDir = readSettings(core.db).exportDir ?? join(core.dataDir, 'exports');
  const heads = [...signedHeadsOfStoredSlips(core, { latest: 200 }), ...signedHeadsOfBundles(exportDir, core.keys.publicKey)];
  const { chain, differences } = auditReport(core.db, core.keys.auditKey, heads);
  return chain.ok && differences.length === 0
    ? { ok: true, rows: chain.rows, firstBadSeq: null, reason: null, head: signAuditHead(core.db, core.keys.signingKey, core.clock.now()), differences }
    : { ok: false, rows: chain.rows, firstBadSeq: chain.ok ? null : chain.firstBadSeq, reason: chain.ok ? null : chain.reason, head: null, differences };
}
