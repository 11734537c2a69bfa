import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CoreContext } from '../context';
import { appendAudit } from '../audit/auditLog';
import { statement } from '../db/statements';
import { readSettings } from '../settings';

/**
 * 保存期限 (DOMAIN.md "Personal information"): a request older than the retention years keeps its business
 * record — number, ticket, dates, status, channel, POS identifiers, reason codes, who did what, and every
 * audit row — and loses its personal data: the sealed request and signature, the masked copies, the blind
 * indexes, a supervisor's free-text note and the stored slips (which carry the signature).
 *
 * Only requests of a closed business day are purged; a request carried over belongs to the day it went
 * to. Each batch is one transaction with its audit row; slip files are removed after the commit, and any
 * left by a crash in between are removed by the next run, so a run can always be repeated.
 */

export interface PurgeReport {
  retentionYears: number;
  /** Requests of business dates before this one are past retention. */
  cutoff: string;
  applications: number;
  receipts: number;
  filesRemoved: number;
  dryRun: boolean;
  /** The limit stopped the run with expired requests left: the next run goes on from there. */
  more: boolean;
}

const BATCH = 500;

/** The first business date still kept: the same calendar day `years` earlier (29 February → 28 February). */
export function retentionCutoff(businessDate: string, years: number): string {
  const [year, month, day] = businessDate.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year - years, month - 1, 1));
  const lastDay = new Date(Date.UTC(year - years, month, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}

const EXPIRED = `FROM applications a JOIN business_days d ON d.business_date = a.business_date
  WHERE a.purged_at IS NULL AND a.business_date < @cutoff AND d.status = 'closed'`;

/**
 * `asOf`: the business date the years are counted back from — the day being closed, else the open one.
 * `limit`: at most this many requests in this run (a day close keeps its own time short; the rest follows).
 */
export function purgeExpired(core: CoreContext, options: { actorId: number | null; dryRun?: boolean; asOf?: string; limit?: number }): PurgeReport {
  const retentionYears = readSettings(core.db).retentionYears;
  const asOf = options.asOf ?? core.businessDate();
  const cutoff = retentionCutoff(asOf, retentionYears);
  const report: PurgeReport = { retentionYears, cutoff, applications: 0, receipts: 0, filesRemoved: 0, dryRun: options.dryRun ?? false, more: false };
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  if (report.dryRun) {
    report.applications = (statement(core.db, `SELECT count(*) AS n ${EXPIRED}`).get({ cutoff }) as { n: number }).n;
    report.receipts = (
      statement(core.db, `SELECT count(*) AS n FROM receipts WHERE purged_at IS NULL AND application_id IN (SELECT a.id ${EXPIRED})`).get({ cutoff }) as { n: number }
    ).n;
    return report;
  }
  // Purged means gone from the file too: SQLite zeroes the bytes it frees (otherwise the old ciphertext
  // would linger in free space), and a checkpoint afterwards drops the old page images from the WAL.
  const secureDelete = core.db.pragma('secure_delete', { simple: true }) as number;
  core.db.pragma('secure_delete = ON');
  try {
    for (;;) {
      if (report.applications >= limit) {
        report.more = (statement(core.db, `SELECT EXISTS (SELECT 1 ${EXPIRED}) AS more`).get({ cutoff }) as { more: number }).more === 1;
        break;
      }
      const batch = purgeBatch(core, { cutoff, asOf, retentionYears }, options.actorId, Math.min(BATCH, limit - report.applications));
      if (batch.applications === 0) break;
      report.applications += batch.applications;
      report.receipts += batch.receipts;
    }
  } finally {
    core.db.pragma(`secure_delete = ${secureDelete}`);
  }
  if (report.applications > 0) core.db.pragma('wal_checkpoint(TRUNCATE)');
  report.filesRemoved = removePurgedSlipFiles(core);
  return report;
}

/** One transaction: up to `size` requests purged, and its audit row, filed under the business date counted from. */
function purgeBatch(
  core: CoreContext,
  run: { cutoff: string; asOf: string; retentionYears: number },
  actorId: number | null,
  size: number,
): { applications: number; receipts: number } {
  const { cutoff, retentionYears } = run;
  const at = core.clock.now().toISOString();
  return core.db.transaction(() => {
    const rows = statement(core.db, `SELECT a.id, a.number ${EXPIRED} ORDER BY a.id LIMIT @size`).all({ cutoff, size }) as { id: number; number: string }[];
    if (rows.length === 0) return { applications: 0, receipts: 0 };
    const ids = JSON.stringify(rows.map((row) => row.id));
    statement(
      core.db,
      `UPDATE applications SET purged_at = @at, version = version + 1, updated_at = @at,
         request_enc = NULL, signature_enc = NULL, signature_sha256 = NULL,
         applicant_name_masked = NULL, document_number_masked = NULL, mobile_masked = NULL, new_mobile_masked = NULL,
         document_number_bidx = NULL, mobile_bidx = NULL, new_mobile_bidx = NULL
       WHERE id IN (SELECT value FROM json_each(@ids))`,
    ).run({ at, ids });
    statement(core.db, 'UPDATE authorizations SET note = NULL WHERE application_id IN (SELECT value FROM json_each(@ids))').run({ ids });
    // The masked columns kept for each day a request was carried through go with the rest.
    statement(core.db, 'UPDATE application_carry_overs SET snapshot = NULL WHERE application_id IN (SELECT value FROM json_each(@ids))').run({ ids });
    // The sealed hand-off to the acquirer holds the unmasked request too; an entry not yet delivered then fails ('payload purged').
    statement(core.db, 'DELETE FROM acquirer_outbox_payload WHERE application_id IN (SELECT value FROM json_each(@ids))').run({ ids });
    const receipts = statement(core.db, 'UPDATE receipts SET purged_at = @at WHERE purged_at IS NULL AND application_id IN (SELECT value FROM json_each(@ids))').run({ at, ids }).changes;
    appendAudit(
      core.db,
      {
        actorId,
        action: 'retention.purged',
        entity: 'retention',
        entityId: run.asOf,
        details: { retentionYears, cutoff, applications: rows.length, receipts, first: rows[0]?.number ?? null, last: rows.at(-1)?.number ?? null },
      },
      new Date(at),
    );
    return { applications: rows.length, receipts };
  })();
}

/** What the purges counted from `businessDate` (its day close, or a CLI run on that open day) removed. */
export function purgedOn(core: CoreContext, businessDate: string): { applications: number; receipts: number; cutoff: string } | null {
  const rows = statement(core.db, "SELECT details FROM audit_log WHERE entity = 'retention' AND entity_id = ? AND action = 'retention.purged' ORDER BY seq").all(businessDate) as {
    details: string;
  }[];
  if (rows.length === 0) return null;
  const batches = rows.map((row) => JSON.parse(row.details) as { applications: number; receipts: number; cutoff: string });
  return {
    applications: batches.reduce((sum, batch) => sum + batch.applications, 0),
    receipts: batches.reduce((sum, batch) => sum + batch.receipts, 0),
    cutoff: batches.at(-1)?.cutoff ?? '',
  };
}

/** Removes the sealed slip files of purged receipts, then records that they are gone. */
function removePurgedSlipFiles(core: CoreContext): number {
  const files = statement(core.db, 'SELECT id, file_name AS fileName FROM receipts WHERE purged_at IS NOT NULL AND file_removed_at IS NULL').all() as {
    id: number;
    fileName: string;
  }[];
  const removed = statement(core.db, 'UPDATE receipts SET file_removed_at = ? WHERE id = ?');
  const folders = new Set<string>();
  for (const { id, fileName } of files) {
    const path = join(core.dataDir, 'receipts', fileName);
    rmSync(path, { force: true });
    removed.run(core.clock.now().toISOString(), id);
    folders.add(dirname(path));
  }
  // A day's folder goes with its last slip; one that still holds a kept slip stays.
  for (const folder of folders) if (existsSync(folder) && readdirSync(folder).length === 0) rmdirSync(folder);
  return files.length;
}
