import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { OPEN_STATUSES, type ApplicationSummary } from '../../../shared';
import type { CoreContext } from '../context';
import type { CorePorts } from '../ports';
import type { Actor } from '../rpc/router';
import { DomainError } from '../rpc/domainError';
import { appendAudit, signAuditHead } from '../audit/auditLog';
import { consumeGrant } from '../auth/supervisorAuthorization';
import { assertDayOpen, ensureDayOpen, nextDate } from '../businessDays';
import { wallClockIn } from '../clock';
import { readSettings } from '../settings';
import { readBranchProfile } from '../system/branchProfile';
import { board, employeeNoOf, nextTicketNo, statusCounts, type ApplicationRow } from '../applications/repository';
import { openRequest } from '../applications/personalData';
import { runCommand } from '../applications/commands';
import { dayTotals } from './dayTotals';
import { writeDayBundle, DayExportError } from './bundleWriter';
import type { DayExportRow, FullDataRow } from './exportModel';
import { statement } from '../db/statements';
import { purgedOn, purgeExpired } from '../retention/retentionPurge';

interface DayRow {
  status: 'open' | 'closed';
  closed_at: string | null;
  closed_by: number | null;
}

/** The open requests that stop a day from closing. */
function openItems(core: CoreContext, businessDate: string): ApplicationSummary[] {
  return board(core.db, businessDate, OPEN_STATUSES, 10_000, 0);
}

function exportsOf(core: CoreContext, businessDate: string) {
  const rows = statement(core.db, "SELECT details, at FROM audit_log WHERE action = 'day.exported' AND entity = 'business_day' AND entity_id = ? ORDER BY seq")
    .all(businessDate) as { details: string; at: string }[];
  return rows.map((row) => {
    const details = JSON.parse(row.details) as { batch: number; dir: string; operatorNo: string; files: string[]; fullData: boolean };
    return {
      batch: details.batch,
      dir: details.dir,
      at: row.at,
      operatorNo: details.operatorNo,
      fullData: details.fullData,
      files: details.files.map((entry) => {
        const [name = '', sha256 = '', bytes = '0'] = entry.split(':');
        return { name, sha256, bytes: Number(bytes) };
      }),
    };
  });
}

export function dayStatus(core: CoreContext, businessDate: string) {
  const day = statement(core.db, 'SELECT status, closed_at, closed_by FROM business_days WHERE business_date = ?').get(businessDate) as DayRow | undefined;
  const carriedOver = (statement(core.db, 'SELECT count(*) AS n FROM applications WHERE carried_from = ?').get(businessDate) as { n: number }).n;
  return {
    businessDate,
    status: day?.status ?? ('open' as const),
    closedAt: day?.closed_at ?? null,
    closedBy: employeeNoOf(core.db, day?.closed_by ?? null),
    openItems: openItems(core, businessDate),
    counts: statusCounts(core.db, businessDate),
    carriedOver,
    exports: exportsOf(core, businessDate),
    exportDir: readSettings(core.db).exportDir,
    purged: purgedOn(core, businessDate),
  };
}

/** 顺延: an open request moves to the next business day, keeping its number and status, with a new ticket. */
export function carryOver(core: CoreContext, actor: Actor, target: { id: number; version: number }): ApplicationSummary {
  return runCommand(core, actor, target, 'carry_over', (row, at) => {
    const to = nextDate(row.business_date);
    assertDayOpen(core.db, to);
    ensureDayOpen(core.db, to, at);
    return {
      status: row.status,
      changes: { business_date: to, ticket_no: nextTicketNo(core.db, to), carried_from: row.business_date },
      details: { fromDate: row.business_date, toDate: to },
    };
  });
}

const DAY_CLOSE_PURGE_LIMIT = 20_000;

/** 日终: locks a business date once nothing is left open. The business date then moves on. */
export function closeDay(core: CoreContext, actor: Actor, businessDate: string) {
  const at = core.clock.now();
  // A day that has not begun cannot end: closing tomorrow would skip the business date past today.
  if (businessDate > core.businessDate()) throw new DomainError('VALIDATION', 'error.validation', { businessDate: 'dayclose.future_date' });
  core.db.transaction(() => {
    assertDayOpen(core.db, businessDate);
    const open = openItems(core, businessDate);
    if (open.length > 0) {
      throw new DomainError('CONFLICT', 'dayclose.open_items', undefined, { openItems: open.map((item) => item.number) });
    }
    ensureDayOpen(core.db, businessDate, at);
    statement(core.db, "UPDATE business_days SET status = 'closed', closed_at = ?, closed_by = ? WHERE business_date = ?").run(at.toISOString(), actor.tellerId, businessDate);
    const counts = statusCounts(core.db, businessDate);
    appendAudit(core.db, { actorId: actor.tellerId, action: 'day.closed', entity: 'business_day', entityId: businessDate, details: { counts: Object.entries(counts).map(([s, n]) => `${s}:${n}`) } }, at);
  })();
  // The daily housekeeping of retention. The day is closed whatever happens here; a purge that fails is
  // logged (counts only) and simply done by the next close, or by `cli purge`. The limit keeps a close
  // quick (10,000 requests took 0.29 s in the benchmark) even after the retention years are lowered; the rest follows.
  try {
    const purged = purgeExpired(core, { actorId: actor.tellerId, asOf: businessDate, limit: DAY_CLOSE_PURGE_LIMIT });
    if (purged.applications > 0) {
      core.log.info('retention.purged', { cutoff: purged.cutoff, applications: purged.applications, receipts: purged.receipts, more: purged.more });
    }
  } catch (error) {
    core.log.error('retention.purge_failed', { error: error instanceof Error ? error.name : typeof error });
  }
  return dayStatus(core, businessDate);
}

/** 重开: an admin at the keyboard and a supervisor's grant; audited. */
export function reopenDay(core: CoreContext, actor: Actor, sessionKey: string, businessDate: string, grantId: number) {
  const at = core.clock.now();
  core.db.transaction(() => {
    const day = statement(core.db, 'SELECT status FROM business_days WHERE business_date = ?').get(businessDate) as { status: string } | undefined;
    if (day?.status !== 'closed') throw new DomainError('INVALID_TRANSITION', 'dayclose.not_closed');
    const { supervisorId } = consumeGrant(core.db, grantId, { action: 'reopen_day', applicationId: null, businessDate, requestedBy: actor.tellerId, sessionKey }, at);
    statement(core.db, "UPDATE business_days SET status = 'open', closed_at = NULL, closed_by = NULL, reopen_count = reopen_count + 1 WHERE business_date = ?").run(businessDate);
    appendAudit(core.db, { actorId: actor.tellerId, action: 'day.reopened', entity: 'business_day', entityId: businessDate, details: { grantId, supervisorId } }, at);
  })();
  return dayStatus(core, businessDate);
}

function exportRow(core: CoreContext, row: ApplicationRow, status: DayExportRow['status'], timeZone: string, printCounts: Map<number, number>, tellerNos: Map<number, string>): DayExportRow {
  // Only a free-text reason ('other') needs the sealed request opened; everything else is in the columns.
  const request = row.reason_code === 'other' ? openRequest(core.keys, row) : null;
  const teller = (id: number | null) => (id === null ? null : (tellerNos.get(id) ?? null));
  return {
    applicationNumber: row.number,
    ticketNo: row.ticket_no,
    status,
    channel: row.channel,
    createdAt: wallClockIn(new Date(row.created_at), timeZone),
    completedAt: row.completed_at ? wallClockIn(new Date(row.completed_at), timeZone) : null,
    applicantNameMasked: row.applicant_name_masked ?? '—',
    documentType: row.document_type ?? '—',
    documentNumberMasked: row.document_number_masked ?? '—',
    mobileMasked: row.mobile_masked ?? '—',
    newMobileMasked: row.new_mobile_masked,
    merchantNumber: row.merchant_number,
    terminalId: row.terminal_id,
    terminalSerial: row.terminal_serial,
    reasonCode: row.reason_code ?? '—',
    reasonText: request?.reason.text ?? null,
    verificationMethod: row.verification_method === 'manual' ? 'manual' : 'chip',
    onlineCheck: row.online_check ?? '—',
    authorizationReasons: JSON.parse(row.authorization_reasons) as string[],
    authorizerNo: teller(row.authorizer_id),
    tellerNo: teller(row.keyed_by) ?? teller(row.created_by) ?? '—',
    printCount: printCounts.get(row.id) ?? 0,
    rejectReason: row.status === 'rejected' || row.status === 'cancelled' ? row.outcome_reason : null,
  };
}

/** The day's rows: its own requests, and those carried over from it (shown as carried over). */
export function dayRows(core: CoreContext, businessDate: string): { rows: DayExportRow[]; sources: ApplicationRow[] } {
  const timeZone = core.timeZone();
  // Everything but the sealed signature; the sealed request only where a free-text reason needs it.
  const columns = `id, number, business_date, ticket_no, status, channel, created_by, keyed_by, created_at, completed_at,
    CASE WHEN reason_code = 'other' THEN request_enc END AS request_enc, applicant_name_masked, document_type,
    document_number_masked, mobile_masked, new_mobile_masked, merchant_number, terminal_id, terminal_serial, reason_code,
    verification_method, online_check, authorization_reasons, authorizer_id, outcome_reason`;
  const own = statement(core.db, `SELECT ${columns} FROM applications WHERE business_date = ? ORDER BY ticket_no`).all(businessDate) as ApplicationRow[];
  const carried = statement(core.db, `SELECT ${columns} FROM applications WHERE carried_from = ? ORDER BY id`).all(businessDate) as ApplicationRow[];
  const printCounts = new Map(
    (statement(core.db, 'SELECT r.application_id AS id, count(*) AS n FROM receipts r JOIN applications a ON a.id = r.application_id WHERE a.business_date = ? OR a.carried_from = ? GROUP BY r.application_id').all(businessDate, businessDate) as { id: number; n: number }[]).map((r) => [r.id, r.n]),
  );
  const tellerNos = new Map((statement(core.db, 'SELECT id, employee_no FROM tellers').all() as { id: number; employee_no: string }[]).map((t) => [t.id, t.employee_no]));
  const rows = [
    ...own.map((row) => exportRow(core, row, row.status as DayExportRow['status'], timeZone, printCounts, tellerNos)),
    ...carried.map((row) => exportRow(core, row, 'carried_over', timeZone, printCounts, tellerNos)),
  ];
  return { rows, sources: [...own, ...carried] };
}

/** Writes the signed bundle of a closed day into the chosen folder (native dialog in Electron, the configured folder otherwise). */
export async function exportDay(core: CoreContext, ports: CorePorts, actor: Actor, sessionKey: string, businessDate: string, fullDataGrantId: number | undefined) {
  const day = statement(core.db, 'SELECT status FROM business_days WHERE business_date = ?').get(businessDate) as { status: string } | undefined;
  if (day?.status !== 'closed') throw new DomainError('INVALID_TRANSITION', 'dayclose.export_needs_close');
  const branch = readBranchProfile(core.db);
  if (!branch) throw new DomainError('CONFLICT', 'setup.required');
  let destination = ports.chooseExportDirectory ? await ports.chooseExportDirectory() : readSettings(core.db).exportDir;
  if (destination === null && !ports.chooseExportDirectory) {
    destination = join(core.dataDir, 'exports');
    mkdirSync(destination, { recursive: true, mode: 0o700 });
  }
  if (!destination) throw new DomainError('VALIDATION', 'error.validation', { destination: 'export.destination_cancelled' });
  const at = core.clock.now();
  if (fullDataGrantId !== undefined) {
    core.db.transaction(() => consumeGrant(core.db, fullDataGrantId, { action: 'full_data_export', applicationId: null, businessDate, requestedBy: actor.tellerId, sessionKey }, at))();
  }
  const { rows, sources } = dayRows(core, businessDate);
  const fullData: FullDataRow[] | undefined =
    fullDataGrantId === undefined
      ? undefined
      : sources.flatMap((source) => {
          const row = statement(core.db, 'SELECT id, number, request_enc, merchant_number, terminal_id, terminal_serial FROM applications WHERE id = ?').get(source.id) as ApplicationRow;
          const request = openRequest(core.keys, row);
          return request
            ? [{
                applicationNumber: row.number,
                documentType: request.applicant.documentType,
                documentNumber: request.applicant.documentNumber,
                mobile: request.mobile.bound,
                newMobile: request.mobile.newMobile ?? null,
                merchantNumber: row.merchant_number,
                terminalId: row.terminal_id,
                terminalSerial: row.terminal_serial,
              }]
            : [];
        });
  const head = signAuditHead(core.db, core.keys.signingKey, at);
  try {
    const written = await writeDayBundle({
      destinationRoot: destination,
      meta: {
        bankName: branch.bankName,
        branchCode: branch.code,
        branchName: branch.name,
        businessDate,
        generatedAt: at.toISOString(),
        generatedAtLocal: wallClockIn(at, branch.timeZone),
        operatorNo: actor.employeeNo,
        auditHead: { seq: head.seq, hash: head.hash, signature: head.signature },
      },
      rows,
      totals: dayTotals(rows),
      signingKey: core.keys.signingKey,
      resourcesDir: core.resourcesDir,
      ...(fullData ? { fullData } : {}),
    });
    const files = written.files.map((file) => `${file.name}:${file.sha256}:${file.bytes}`);
    core.db.transaction(() =>
      appendAudit(
        core.db,
        { actorId: actor.tellerId, action: 'day.exported', entity: 'business_day', entityId: businessDate, details: { batch: written.batch, dir: written.dir, operatorNo: actor.employeeNo, files, fullData: fullData !== undefined } },
        core.clock.now(),
      ),
    )();
    return { batch: written.batch, dir: written.dir, at: at.toISOString(), operatorNo: actor.employeeNo, files: written.files.map(({ name, sha256, bytes }) => ({ name, sha256, bytes })), fullData: fullData !== undefined };
  } catch (error) {
    if (error instanceof DayExportError) throw new DomainError('VALIDATION', 'error.validation', { destination: error.code });
    throw error;
  }
}

