import type { CoreContext } from '../context';
import type { KnownHead } from '../audit/auditReconciliation';
import { readStoredReceipt } from './receiptService';
import { verifyReceipt } from './receiptVerification';

/**
 * The audit-chain heads signed into the slips kept in the data folder: each slip's QR payload carries the
 * chain's sequence number and the start of its hash when it was printed, under the installation's signature.
 * A slip that cannot be opened or does not verify vouches for nothing and is left out. `latest` limits the
 * check to the most recent slips (the screen's check: rows cut off the end show against the newest heads);
 * the CLI reads them all.
 */
export function signedHeadsOfStoredSlips(core: Pick<CoreContext, 'db' | 'dataDir' | 'keys'>, options: { latest?: number } = {}): KnownHead[] {
  const slips = core.db
    .prepare(
      `SELECT a.number, r.print_no AS printNo, r.file_name AS fileName FROM receipts r JOIN applications a ON a.id = r.application_id
       WHERE r.purged_at IS NULL AND r.file_removed_at IS NULL ORDER BY r.id DESC LIMIT @limit`,
    )
    .all({ limit: options.latest ?? -1 }) as { number: string; printNo: number; fileName: string }[];
  const heads: KnownHead[] = [];
  for (const slip of slips) {
    let pdf: Buffer;
    try {
      pdf = readStoredReceipt(core, slip.fileName);
    } catch {
      continue;
    }
    const verified = verifyReceipt(pdf, core.keys.publicKey);
    if (verified.ok) heads.push({ seq: verified.fields.auditHead.seq, hashPrefix: verified.fields.auditHead.hashPrefix, source: `slip ${slip.number} #${slip.printNo}` });
  }
  return heads;
}
