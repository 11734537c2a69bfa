import { join } from 'node:path';
import { findIdentityCheck } from '../identity/identityCheckService';
import { mkdirSync } from 'node:fs';
import { ACQUIRER_STATUSES, chipEvidenceSchema, OPEN_STATUSES, type ApplicationStatus, type ApplicationSummary } from '../../../shared';
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
import type { ReceivedOutcome } from './exportModel';
import { ABSENT, type DayExportRow, type FullDataRow } from './exportModel';
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
    const details = JSON.parse(row.details) as { batch: number; dir: string; operatorNo: string; files: string[]; fullData: boolean; warnings?: string[] };
    return {
      batch: details.batch,
      dir: details.dir,
      at: row.at,
      operatorNo: details.operatorNo,
      fullData: details.fullData,
      warnings: details.warnings ?? [],
      files: details.files.map((entry) => {
        const [name = '', sha256 = '', bytes = '0'] = entry.split(':');
        return { name, sha256, bytes: Number(bytes) };
      }),
    };
  });
}

export function dayStatus(core: CoreContext, businessDate: string) {
  const day = statement(core.db, 'SELECT status, closed_at, closed_by FROM business_days WHERE business_date = ?').get(businessDate) as DayRow | undefined;
  const carriedOver = (statement(core.db, 'SELECT count(*) AS n FROM application_carry_overs WHERE from_date = ?').get(businessDate) as { n: number }).n;
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

/** The listed (masked or non-personal) columns a carried request is exported with on the day it left. */
const SNAPSHOT_COLUMNS = [
  'applicant_name_masked', 'document_type', 'document_number_masked', 'mobile_masked', 'new_mobile_masked', 'merchant_number',
  'terminal_id', 'terminal_serial', 'reason_code', 'verification_method', 'chip_evidence', 'online_check', 'authorization_reasons', 'keyed_by',
  'online_check_source', 'identity_check_id',
] as const satisfies readonly (keyof ApplicationRow)[];

/**
 * 顺延: an open request moves to the next business day, keeping its number and status, with a new ticket.
 * Each day it is carried through is kept (application_carry_overs) with the ticket it had that day, so
 * every one of those days' bundles still lists it, the same whenever it is exported.
 */
export function carryOver(core: CoreContext, actor: Actor, target: { id: number; version: number }): ApplicationSummary {
  return runCommand(core, actor, target, 'carry_over', (row, at) => {
    const to = nextDate(row.business_date);
    assertDayOpen(core.db, to);
    ensureDayOpen(core.db, to, at);
    const ticketNo = nextTicketNo(core.db, to);
    const snapshot = Object.fromEntries(SNAPSHOT_COLUMNS.map((column) => [column, row[column]]));
    statement(
      core.db,
      `INSERT INTO application_carry_overs (application_id, from_date, to_date, ticket_no, status, authorizer_id, snapshot, carried_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(row.id, row.business_date, to, row.ticket_no, row.status, row.authorizer_id, JSON.stringify(snapshot), at.toISOString());
    return {
      status: row.status,
      changes: { business_date: to, ticket_no: ticketNo, carried_from: row.business_date },
      details: { fromDate: row.business_date, toDate: to, fromTicket: row.ticket_no, toTicket: ticketNo },
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

/** How a request stood when the day ended: at the close for the day's own requests, when carried for the others. */
interface DayEnd {
  status: DayExportRow['status'];
  /** The request's status at that moment (a carried request keeps its own, e.g. pending_authorization). */
  statusThen: string;
  ticketNo: number | null;
  authorizerId: number | null;
}

interface DayFacts {
  timeZone: string;
  tellerNos: Map<number, string>;
  printCounts: Map<number, number>;
  decisions: Map<number, 'approved' | 'declined'>;
}

/** The SAM id from the row's chip evidence (migration 008), read back defensively: absent or malformed is null. */
function chipSamIdOf(json: string | null | undefined): string | null {
  if (json === null || json === undefined) return null;
  const parsed = chipEvidenceSchema.safeParse(parseJsonOrNull(json));
  return parsed.success ? parsed.data.samId : null;
}

function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function exportRow(core: CoreContext, row: ApplicationRow, end: DayEnd, facts: DayFacts): DayExportRow {
  // Only a free-text reason ('other') needs the sealed request opened; everything else is in the columns.
  const request = row.reason_code === 'other' ? openRequest(core.keys, row) : null;
  const teller = (id: number | null) => (id === null ? null : (facts.tellerNos.get(id) ?? null));
  const reasons = JSON.parse(row.authorization_reasons) as string[];
  const check = row.identity_check_id ? findIdentityCheck(core, row.identity_check_id) : undefined;
  const carried = end.status === 'carried_over';
  const decision = facts.decisions.get(row.id) ?? (reasons.length > 0 && end.statusThen === 'pending_authorization' ? 'pending' : null);
  return {
    applicationNumber: row.number,
    ticketNo: end.ticketNo,
    status: end.status,
    channel: row.channel,
    createdAt: wallClockIn(new Date(row.created_at), facts.timeZone),
    // A carried request was not finished on this day, whatever became of it later.
    completedAt: !carried && row.completed_at ? wallClockIn(new Date(row.completed_at), facts.timeZone) : null,
    applicantNameMasked: row.applicant_name_masked,
    documentType: row.document_type,
    documentNumberMasked: row.document_number_masked,
    mobileMasked: row.mobile_masked,
    newMobileMasked: row.new_mobile_masked,
    merchantNumber: row.merchant_number,
    terminalId: row.terminal_id,
    terminalSerial: row.terminal_serial,
    reasonCode: row.reason_code,
    reasonText: request?.reason.text ?? null,
    // Never a default: a request cancelled before it was keyed has no method and no check.
    verificationMethod: row.verification_method === 'manual' || row.verification_method === 'chip' ? row.verification_method : null,
    chipSamId: row.verification_method === 'chip' ? chipSamIdOf(row.chip_evidence) : null,
    onlineCheck: row.online_check,
    onlineCheckSource: row.online_check_source ?? null,
    onlineCheckCode: check?.result_code ?? null,
    onlineCheckSerial: check?.serial ?? null,
    authorizationReasons: reasons,
    authorizationDecision: decision,
    authorizerNo: teller(end.authorizerId),
    tellerNo: teller(row.keyed_by) ?? teller(row.created_by) ?? ABSENT,
    printCount: carried ? 0 : (facts.printCounts.get(row.id) ?? 0),
    rejectReason: !carried && (row.status === 'rejected' || row.status === 'cancelled') ? row.outcome_reason : null,
  };
}

/** The acquirer's outcomes recorded on a business date (they arrive on later days than their requests'). */
export function outcomesReceived(core: CoreContext, businessDate: string): ReceivedOutcome[] {
  return (statement(core.db, 'SELECT number, outcome, acquirer_reference, reason, received_at, source FROM outcome_events WHERE business_date = ? ORDER BY id').all(businessDate) as {
    number: string; outcome: 'unbound' | 'unbind_failed'; acquirer_reference: string | null; reason: string | null; received_at: string; source: 'https' | 'batch';
  }[]).map((row) => ({
    applicationNumber: row.number,
    outcome: row.outcome,
    acquirerReference: row.acquirer_reference,
    reason: row.reason,
    receivedAt: wallClockIn(new Date(row.received_at), core.timeZone()),
    source: row.source,
  }));
}

function counterStatus(status: ApplicationStatus): ApplicationStatus {
  return ACQUIRER_STATUSES.includes(status) ? 'completed' : status;
}

/**
 * The day's rows: its own requests, and every request carried over from it (shown as carried over, with
 * the ticket it had that day). Only what was true when the day ended is read — receipts and decisions
 * up to the close, a carried request as it left — so a closed day gives the same rows whenever it is exported.
 */
export function dayRows(core: CoreContext, businessDate: string): { rows: DayExportRow[]; sources: ApplicationRow[] } {
  const timeZone = core.timeZone();
  // Everything but the sealed signature; the sealed request only where a free-text reason needs it.
  const columns = `a.id, a.number, a.business_date, a.ticket_no, a.status, a.channel, a.created_by, a.keyed_by, a.created_at, a.completed_at,
    CASE WHEN a.reason_code = 'other' THEN a.request_enc END AS request_enc, a.applicant_name_masked, a.document_type,
    a.document_number_masked, a.mobile_masked, a.new_mobile_masked, a.merchant_number, a.terminal_id, a.terminal_serial, a.reason_code,
    a.verification_method, a.chip_evidence, a.online_check, a.authorization_reasons, a.authorizer_id, a.outcome_reason, a.purged_at,
    a.online_check_source, a.identity_check_id`;
  const day = statement(core.db, 'SELECT closed_at FROM business_days WHERE business_date = ?').get(businessDate) as { closed_at: string | null } | undefined;
  const closedAt = day?.closed_at ?? core.clock.now().toISOString();
  const own = statement(core.db, `SELECT ${columns} FROM applications a WHERE a.business_date = ? ORDER BY a.ticket_no`).all(businessDate) as ApplicationRow[];
  const carried = (statement(
    core.db,
    `SELECT ${columns}, c.ticket_no AS carried_ticket_no, c.status AS carried_status, c.authorizer_id AS carried_authorizer_id, c.carried_at,
            c.snapshot AS carried_snapshot
       FROM application_carry_overs c JOIN applications a ON a.id = c.application_id
      WHERE c.from_date = ? ORDER BY c.ticket_no IS NULL, c.ticket_no, a.id`,
  ).all(businessDate) as (ApplicationRow & { carried_ticket_no: number | null; carried_status: string; carried_authorizer_id: number | null; carried_at: string; carried_snapshot: string | null })[])
    // As the request left the day (a carry from before the snapshot was kept reads the request as it is now).
    .map((row) => (row.carried_snapshot === null || row.purged_at ? row : { ...row, ...(JSON.parse(row.carried_snapshot) as Partial<ApplicationRow>) }));
  // Slips printed up to the close: a reprint on a later day is that day's business.
  const printCounts = new Map(
    (statement(core.db, 'SELECT r.application_id AS id, count(*) AS n FROM receipts r JOIN applications a ON a.id = r.application_id WHERE a.business_date = ? AND r.issued_at <= ? GROUP BY r.application_id').all(businessDate, closedAt) as { id: number; n: number }[]).map((r) => [r.id, r.n]),
  );
  const decisionsUpTo = (ids: number[], cutoffs: Map<number, string>) => {
    const decisions = new Map<number, 'approved' | 'declined'>();
    if (ids.length === 0) return decisions;
    const rows = statement(
      core.db,
      `SELECT application_id AS id, action, created_at FROM authorizations
        WHERE action IN ('authorize_approve', 'authorize_decline') AND application_id IN (SELECT value FROM json_each(?)) ORDER BY id`,
    ).all(JSON.stringify(ids)) as { id: number; action: string; created_at: string }[];
    for (const row of rows) {
      if (row.created_at > (cutoffs.get(row.id) ?? closedAt)) continue;
      decisions.set(row.id, row.action === 'authorize_approve' ? 'approved' : 'declined');
    }
    return decisions;
  };
  const cutoffs = new Map<number, string>(carried.map((row) => [row.id, row.carried_at]));
  const tellerNos = new Map((statement(core.db, 'SELECT id, employee_no FROM tellers').all() as { id: number; employee_no: string }[]).map((t) => [t.id, t.employee_no]));
  const ownFacts: DayFacts = { timeZone, tellerNos, printCounts, decisions: decisionsUpTo(own.map((row) => row.id), new Map()) };
  const carriedFacts: DayFacts = { timeZone, tellerNos, printCounts: new Map(), decisions: decisionsUpTo(carried.map((row) => row.id), cutoffs) };
  const rows = [
    ...own.map((row) =>
      // The counter's part ended with the slip: a request the acquirer has since forwarded or decided is listed as
      // completed on its own day (what the day closed with); its outcome belongs to the day it arrives on.
      exportRow(core, row, { status: counterStatus(row.status) as DayExportRow['status'], statusThen: counterStatus(row.status), ticketNo: row.ticket_no, authorizerId: row.authorizer_id }, ownFacts),
    ),
    ...carried.map((row) =>
      exportRow(core, row, { status: 'carried_over', statusThen: row.carried_status, ticketNo: row.carried_ticket_no, authorizerId: row.carried_authorizer_id }, carriedFacts),
    ),
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
  const meta = {
    bankName: branch.bankName,
    branchCode: branch.code,
    desk: branch.desk,
    branchName: branch.name,
    businessDate,
    generatedAt: at.toISOString(),
    generatedAtLocal: wallClockIn(at, branch.timeZone),
    operatorNo: actor.employeeNo,
    auditHead: { seq: head.seq, hash: head.hash, signature: head.signature },
  };
  const totals = dayTotals(rows);
  // A folder of the reserved batch's name already in the destination (from another installation, or
  // restored) keeps its number used in the ledger; the next one is tried, a few times at most.
  for (let attempt = 0; attempt < MAX_BATCH_ATTEMPTS; attempt++) {
    const batch = reserveBatch(core, actor, businessDate, at);
    let written: Awaited<ReturnType<typeof writeDayBundle>>;
    try {
      written = await writeDayBundle({
        destinationRoot: destination,
        meta: { ...meta, batch },
        rows,
        totals,
        signingKey: core.keys.signingKey,
        resourcesDir: core.resourcesDir,
        ...(fullData ? { fullData } : {}),
        outcomes: outcomesReceived(core, businessDate),
      });
    } catch (error) {
      if (error instanceof DayExportError && error.code === 'export.batch_exists') continue;
      // Nothing was written under this number: it is free again.
      statement(core.db, 'DELETE FROM day_export_batches WHERE business_date = ? AND batch = ?').run(businessDate, batch);
      if (error instanceof DayExportError) throw new DomainError('VALIDATION', 'error.validation', { destination: error.code });
      throw error;
    }
    // Every file the folder holds, manifest.json included: the panel's 文件数 is what the supervisor finds there.
    const files = written.folderFiles.map((file) => `${file.name}:${file.sha256}:${file.bytes}`);
    const { warnings } = written;
    core.db.transaction(() =>
      appendAudit(
        core.db,
        { actorId: actor.tellerId, action: 'day.exported', entity: 'business_day', entityId: businessDate, details: { batch: written.batch, dir: written.dir, operatorNo: actor.employeeNo, files, fullData: fullData !== undefined, warnings } },
        core.clock.now(),
      ),
    )();
    return { batch: written.batch, dir: written.dir, at: at.toISOString(), operatorNo: actor.employeeNo, files: written.folderFiles, fullData: fullData !== undefined, warnings };
  }
  throw new DomainError('VALIDATION', 'error.validation', { destination: 'export.batch_unavailable' });
}

const MAX_BATCH_ATTEMPTS = 10;

/** The day's next batch number, from the ledger; written before the folder is made, so no two exports share one. */
function reserveBatch(core: CoreContext, actor: Actor, businessDate: string, at: Date): number {
  return core.db.transaction(() => {
    const { n } = statement(core.db, 'SELECT coalesce(max(batch), 0) + 1 AS n FROM day_export_batches WHERE business_date = ?').get(businessDate) as { n: number };
    statement(core.db, 'INSERT INTO day_export_batches (business_date, batch, reserved_at, reserved_by) VALUES (?, ?, ?, ?)').run(businessDate, n, at.toISOString(), actor.tellerId);
    return n;
  })();
}
