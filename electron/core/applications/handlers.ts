import { looksLikeApplicationNumber, normalizeKeyed, normalizeMobile, type ApplicationStatus } from '../../../shared';
import type { CoreContext } from '../context';
import type { Handlers } from '../rpc/router';
import { DomainError } from '../rpc/domainError';
import { requireActor } from '../auth/handlers';
import { consumeGrant, createGrant, recordDecision, verifySupervisor } from '../auth/supervisorAuthorization';
import { appendAudit, auditRowsOf } from '../audit/auditLog';
import { auditCheck } from '../audit/auditCheck';
import { reencodeSignaturePng, SignatureImageError } from '../receipts/signatureImage';
import { blindIndex } from '../crypto/fieldCipher';
import { assertDayOpen } from '../businessDays';
import { keyRequest, registerWalkIn, repeatWindow, runCommand } from './commands';
import { evidenceOf, runIdentityCheck } from '../identity/identityCheckService';
import { maskedRequest, openRequest, sealSignature } from './personalData';
import { ExactLookupBudget } from './lookupBudget';
import { board, employeeNoOf, findApplication, findSummary, printCountOf, recentMatches, searchApplications, statusCounts, type SearchKind } from './repository';
import { statement } from '../db/statements';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const MAX_SIGNATURE_BYTES = 256 * 1024;

type ApplicationHandlers = Pick<
  Handlers,
  | 'applications.register' | 'applications.startReview' | 'applications.submit' | 'applications.edit' | 'applications.authorize'
  | 'applications.reject' | 'applications.cancel' | 'applications.setSignature' | 'applications.board' | 'applications.get'
  | 'applications.search' | 'applications.repeatCheck' | 'applications.reveal' | 'authorization.grant' | 'audit.verify'
  | 'identityCheck.run'
>;

/** What a search box entry is: an application number, a ticket, a document or phone number, a POS identifier. */
export function classifySearch(query: string): { kind: SearchKind; value: string } {
  const keyed = normalizeKeyed(query);
  // Either form: <branch>-<desk>-<YYYYMMDD>-<seq>, or <branch>-<YYYYMMDD>-<seq> issued before desks were numbered.
  if (looksLikeApplicationNumber(query.trim().toUpperCase())) return { kind: 'number', value: query.trim().toUpperCase() };
  if (/^\d{1,4}$/.test(keyed)) return { kind: 'ticket', value: keyed };
  const mobile = normalizeMobile(query);
  if (mobile !== null && /^1\d{10}$/.test(mobile)) return { kind: 'mobile', value: mobile };
  if (/^\d{17}[\dX]$/.test(keyed)) return { kind: 'document', value: keyed };
  if (/^[0-9A-Z]{15}$/.test(keyed)) return { kind: 'merchant', value: keyed };
  if (/^[0-9A-Z]{8}$/.test(keyed)) return { kind: 'terminal', value: keyed };
  if (/^[0-9A-Z-]{6,32}$/.test(query.trim().toUpperCase().replace(/\s/g, ''))) return { kind: 'serial', value: query.trim().toUpperCase().replace(/\s/g, '') };
  return { kind: 'document', value: keyed };
}

export function applicationHandlers(core: CoreContext): ApplicationHandlers {
  const existing = (id: number) => {
    const row = findApplication(core.db, id);
    if (!row) throw new DomainError('NOT_FOUND', 'error.not_found');
    return row;
  };
  const lookups = new ExactLookupBudget(core.db, core.clock, core.log);

  return {
    'applications.register': (input, call) => registerWalkIn(core, requireActor(call), input.channel),

    'applications.startReview': (input, call) => {
      const actor = requireActor(call);
      return runCommand(core, actor, input, 'start_review', () => ({ status: 'in_review' }));
    },

    'applications.submit': (input, call) => {
      const actor = requireActor(call);
      return runCommand(core, actor, input, 'submit', (row, at) => {
        const outcome = keyRequest(core, row, input.request, call.sessionKey);
        return { ...outcome, changes: { ...outcome.changes, keyed_by: actor.tellerId, submitted_at: at.toISOString() } };
      });
    },

    // 提交后修改: needs a supervisor's grant for this request; the request is judged again from scratch.
    'applications.edit': (input, call) => {
      const actor = requireActor(call);
      return runCommand(core, actor, input, 'edit_after_submit', (row, at) => {
        const { supervisorId } = consumeGrant(
          core.db,
          input.grantId,
          { action: 'edit_after_submit', applicationId: row.id, businessDate: null, requestedBy: actor.tellerId, sessionKey: call.sessionKey },
          at,
        );
        const outcome = keyRequest(core, row, input.request, call.sessionKey);
        return { ...outcome, changes: { ...outcome.changes, keyed_by: actor.tellerId }, details: { ...outcome.details, grantId: input.grantId, supervisorId } };
      });
    },

    'applications.authorize': async (input, call) => {
      const actor = requireActor(call);
      const row = existing(input.id);
      assertDayOpen(core.db, row.business_date);
      if (row.status !== 'pending_authorization') throw new DomainError('INVALID_TRANSITION', 'error.invalid_transition', undefined, { status: row.status });
      if (input.decision === 'decline' && !input.reasonCode) throw new DomainError('VALIDATION', 'error.validation', { reasonCode: 'validation.required' });
      // 02/03 is no refusal by itself: the supervisor approves only having seen another document, and says which.
      const onlineException = (JSON.parse(row.authorization_reasons) as string[]).includes('online_check_exception');
      if (input.decision === 'approve' && onlineException && !input.otherDocument) {
        throw new DomainError('VALIDATION', 'error.validation', { otherDocument: 'authorization.other_document_required' });
      }
      const supervisor = await verifySupervisor(core, input.supervisor, { requestedBy: actor.tellerId, keyedBy: row.keyed_by });
      const approve = input.decision === 'approve';
      return runCommand(core, actor, input, approve ? 'authorize_approve' : 'authorize_decline', (current, at) => {
        const reasons = JSON.parse(current.authorization_reasons) as string[];
        const decisionId = recordDecision(
          core.db,
          { action: approve ? 'authorize_approve' : 'authorize_decline', applicationId: current.id, businessDate: current.business_date, requestedBy: actor.tellerId, sessionKey: call.sessionKey },
          supervisor.id,
          reasons,
          input.note ?? null,
          at,
        );
        return {
          status: approve ? 'approved' : 'rejected',
          changes: {
            authorizer_id: supervisor.id,
            ...(approve ? {} : { outcome_reason: input.reasonCode ?? null }),
            ...(approve && input.otherDocument ? { other_document: input.otherDocument } : {}),
          },
          details: {
            supervisorNo: supervisor.employeeNo,
            decision: input.decision,
            reasons,
            authorizationId: decisionId,
            ...(input.reasonCode ? { reasonCode: input.reasonCode } : {}),
            ...(approve && input.otherDocument ? { otherDocument: input.otherDocument } : {}),
          },
        };
      });
    },

    'applications.reject': (input, call) => {
      const actor = requireActor(call);
      return runCommand(core, actor, input, 'reject', () => ({ status: 'rejected', changes: { outcome_reason: input.reasonCode }, details: { reasonCode: input.reasonCode } }));
    },

    'applications.cancel': (input, call) => {
      const actor = requireActor(call);
      const row = existing(input.id);
      assertDayOpen(core.db, row.business_date);
      const afterSubmit = row.status === 'pending_authorization' || row.status === 'approved';
      if (afterSubmit && input.grantId === undefined) throw new DomainError('AUTHORIZATION_REQUIRED', 'authorization.required', undefined, { action: 'cancel_after_submit' });
      return runCommand(core, actor, input, afterSubmit ? 'cancel_after_submit' : 'cancel', (current, at) => {
        const grant =
          afterSubmit && input.grantId !== undefined
            ? consumeGrant(core.db, input.grantId, { action: 'cancel_after_submit', applicationId: current.id, businessDate: null, requestedBy: actor.tellerId, sessionKey: call.sessionKey }, at)
            : null;
        return {
          status: 'cancelled',
          changes: { outcome_reason: input.reasonCode, ...(grant ? { authorizer_id: grant.supervisorId } : {}) },
          details: { reasonCode: input.reasonCode, ...(grant ? { grantId: input.grantId ?? null, supervisorNo: employeeNoOf(core.db, grant.supervisorId) } : {}) },
        };
      });
    },

    'applications.setSignature': (input, call) => {
      const actor = requireActor(call);
      const png = Buffer.from(input.pngBase64, 'base64');
      if (png.length > MAX_SIGNATURE_BYTES) throw new DomainError('VALIDATION', 'error.validation', { pngBase64: 'signature.too_large' });
      if (!png.subarray(0, 8).equals(PNG_MAGIC)) throw new DomainError('VALIDATION', 'error.validation', { pngBase64: 'signature.format' });
      // A closed day says so before the image is looked at (the command checks it again in its transaction).
      assertDayOpen(core.db, existing(input.id).business_date);
      // Decoded here within hard limits, before anything is inflated; what is kept is a clean re-encoding.
      let clean: Buffer;
      try {
        clean = reencodeSignaturePng(png);
      } catch (error) {
        if (error instanceof SignatureImageError) throw new DomainError('VALIDATION', 'error.validation', { pngBase64: error.code });
        throw error;
      }
      // Not a status change; it still goes through the same checked, audited update.
      return runCommand(core, actor, input, 'capture_signature', (row) => ({
        status: row.status,
        changes: sealSignature(core.keys, row.id, clean),
        details: { bytes: clean.length },
      }));
    },

    'applications.board': (input) => {
      const businessDate = input.businessDate ?? core.businessDate();
      const counts = statusCounts(core.db, businessDate);
      const statuses: readonly ApplicationStatus[] | undefined = input.statuses;
      const total = statuses?.length ? statuses.reduce((sum, status) => sum + (counts[status] ?? 0), 0) : Object.values(counts).reduce((a, b) => a + b, 0);
      return { rows: board(core.db, businessDate, statuses, input.pageSize, (input.page - 1) * input.pageSize), total, counts, businessDate };
    },

    'applications.get': (input) => {
      const row = existing(input.id);
      const summary = findSummary(core.db, row.id);
      if (!summary) throw new DomainError('NOT_FOUND', 'error.not_found');
      const request = openRequest(core.keys, row);
      return {
        ...summary,
        request: request ? maskedRequest(request, row.chip_evidence) : null,
        outcomeReason: row.outcome_reason,
        authorizerNo: employeeNoOf(core.db, row.authorizer_id),
        keyedBy: employeeNoOf(core.db, row.keyed_by),
        submittedAt: row.submitted_at,
        completedAt: row.completed_at,
        hasSignature: row.signature_enc !== null,
        purgedAt: row.purged_at,
        printCount: printCountOf(core.db, row.id),
        identityCheck: evidenceOf(core, row),
        otherDocument: row.other_document,
        acquirer: acquirerFacts(core, row.id),
        history: auditRowsOf(core.db, 'application', String(row.id)).map((entry) => ({
          seq: entry.seq,
          at: entry.at,
          actorNo: employeeNoOf(core.db, entry.actorId),
          action: entry.action,
          details: entry.details,
        })),
      };
    },

    // An exact lookup by a full phone or ID number is charged against the teller's budget and audited; the
    // rows are the board's own (masked) summaries. Other kinds look up what the board already shows.
    'applications.search': (input, call) => {
      const { kind, value } = classifySearch(input.query);
      if (kind === 'document' || kind === 'mobile') {
        const bidx = blindIndex(core.keys.indexKey, kind, value);
        return lookups.run(
          { actor: requireActor(call), sessionKey: call.sessionKey, kind, surface: 'search', question: `search:${kind}:${bidx.toString('hex')}`, grantId: input.grantId },
          () => {
            const rows = searchApplications(core.db, kind, bidx, core.businessDate());
            return { result: { kind, rows }, hits: rows.length };
          },
        );
      }
      const key: string | number = kind === 'ticket' ? Number(value) : value;
      return { kind, rows: searchApplications(core.db, kind, key, core.businessDate()) };
    },

    // The phone count answers the same yes/no as an exact search, so it is charged against the same budget.
    'applications.repeatCheck': (input, call) => {
      const { days, since } = repeatWindow(core, input.businessDate);
      const mobile = input.mobile ? normalizeMobile(input.mobile) : null;
      const mobileBidx = mobile ? blindIndex(core.keys.indexKey, 'mobile', mobile) : null;
      const keys = {
        serial: input.terminalSerial ? input.terminalSerial.trim().toUpperCase() : null,
        merchant: input.merchantNumber ? normalizeKeyed(input.merchantNumber) : null,
        mobileBidx,
      };
      const count = () => ({ ...recentMatches(core.db, keys, since, input.excludeId ?? 0), windowDays: days });
      if (!mobileBidx) return count();
      return lookups.run(
        {
          actor: requireActor(call),
          sessionKey: call.sessionKey,
          kind: 'mobile',
          surface: 'repeat_check',
          question: `repeat:${mobileBidx.toString('hex')}:${since}:${input.excludeId ?? 0}`,
          grantId: input.grantId,
        },
        () => {
          const result = count();
          return { result, hits: result.mobile };
        },
      );
    },

    // 查看完整信息: only with a supervisor's grant for this request, and audited.
    'applications.reveal': (input, call) => {
      const actor = requireActor(call);
      const at = core.clock.now();
      const request = core.db.transaction(() => {
        const row = existing(input.id);
        if (row.purged_at) throw new DomainError('CONFLICT', 'retention.purged');
        const { supervisorId } = consumeGrant(core.db, input.grantId, { action: 'unmasked_view', applicationId: row.id, businessDate: null, requestedBy: actor.tellerId, sessionKey: call.sessionKey }, at);
        appendAudit(core.db, { actorId: actor.tellerId, action: 'application.unmasked_view', entity: 'application', entityId: String(row.id), details: { grantId: input.grantId, supervisorId } }, at);
        return openRequest(core.keys, row);
      })();
      if (!request) throw new DomainError('NOT_FOUND', 'application.no_request');
      return {
        applicantName: request.applicant.name,
        documentNumber: request.applicant.documentNumber,
        mobile: request.mobile.bound,
        newMobile: request.mobile.newMobile ?? null,
        agentName: request.applicant.agent?.name ?? null,
        agentDocumentNumber: request.applicant.agent?.documentNumber ?? null,
        email: request.notification.email ?? null,
        request: request as unknown as Record<string, unknown>,
      };
    },

    'authorization.grant': async (input, call) => {
      const actor = requireActor(call);
      const row = input.applicationId !== undefined ? existing(input.applicationId) : null;
      if (input.action === 'reopen_day' && actor.role !== 'admin') throw new DomainError('FORBIDDEN', 'authorization.reopen_needs_admin');
      const supervisor = await verifySupervisor(core, input.supervisor, { requestedBy: actor.tellerId, keyedBy: row?.keyed_by ?? null });
      const at = core.clock.now();
      const grant = core.db.transaction(() => {
        const created = createGrant(
          core.db,
          { action: input.action, applicationId: row?.id ?? null, businessDate: input.businessDate ?? row?.business_date ?? null, requestedBy: actor.tellerId, sessionKey: call.sessionKey },
          supervisor.id,
          input.note ?? null,
          at,
        );
        appendAudit(
          core.db,
          { actorId: supervisor.id, action: 'authorization.granted', entity: row ? 'application' : 'business_day', entityId: row ? String(row.id) : (input.businessDate ?? null), details: { action: input.action, grantId: created.id, requestedBy: actor.employeeNo } },
          at,
        );
        return created;
      })();
      return { grantId: grant.id, expiresAt: grant.expiresAt, supervisorNo: supervisor.employeeNo };
    },

    'audit.verify': () => auditCheck(core),

    'identityCheck.run': (input, call) => runIdentityCheck(core, requireActor(call), input),
  };
}

/** The acquirer's answers for one request, for its detail screen. */
function acquirerFacts(core: CoreContext, applicationId: number) {
  const event = statement(core.db, 'SELECT outcome, reason, acquirer_reference, business_date FROM outcome_events WHERE application_id = ?').get(applicationId) as
    | { outcome: 'unbound' | 'unbind_failed'; reason: string | null; acquirer_reference: string | null; business_date: string }
    | undefined;
  const outbox = statement(core.db, 'SELECT acquirer_reference FROM acquirer_outbox WHERE application_id = ?').get(applicationId) as { acquirer_reference: string | null } | undefined;
  if (!event && !outbox?.acquirer_reference) return null;
  return { reference: event?.acquirer_reference ?? outbox?.acquirer_reference ?? null, outcome: event?.outcome ?? null, reason: event?.reason ?? null, arrivedOn: event?.business_date ?? null };
}
