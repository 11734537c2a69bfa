import type { AcquirerOutcome, ApplicationCommand, ApplicationStatus } from '../../../shared';
import { canRun } from '../../../shared';
import type { CoreContext } from '../context';
import { appendAudit } from '../audit/auditLog';
import { ensureDayOpen, assertDayOpen } from '../businessDays';
import { atomically, statement } from '../db/statements';
import { DomainError } from '../rpc/domainError';
import { outcomeArrived } from '../notifications/notificationService';
import { updateApplication, type ApplicationRow } from '../applications/repository';

export type OutcomeSource = 'https' | 'batch';

export interface AcquirerOutcomeInput {
  number: string;
  outcome: AcquirerOutcome;
  /** The acquirer's reason (required for unbind_failed; one line, ≤ 200 characters, validated by the caller's schema). */
  reason: string | null;
  acquirerReference: string | null;
  /** When the acquirer decided (its clock), if it says. */
  decidedAt: string | null;
  source: OutcomeSource;
}

/** `recorded`: the status moved and an outcome event was written; `duplicate`: the same outcome was already recorded (nothing changed). */
export type OutcomeRecording = { result: 'recorded' | 'duplicate'; applicationId: number; businessDate: string; eventId: number };

/** What recording an answer needs of the request (not its sealed data). */
export type RequestHead = Pick<ApplicationRow, 'id' | 'number' | 'status' | 'version'>;

function findByNumber(core: CoreContext, number: string): RequestHead | undefined {
  return statement(core.db, 'SELECT id, number, status, version FROM applications WHERE number = ?').get(number) as RequestHead | undefined;
}

/**
 * The business date an acquirer's answer is recorded on: the open business date when it arrives, never the
 * request's own (usually closed) day. Made open here if it is a new day; a closed one refuses.
 */
export function arrivalDate(core: CoreContext, at: Date): string {
  const businessDate = core.businessDate();
  assertDayOpen(core.db, businessDate);
  ensureDayOpen(core.db, businessDate, at);
  return businessDate;
}

/**
 * When an answer arrives and the business date it is recorded on. A caller recording several answers in one
 * transaction (the dispatcher's group of answers) works it out once, with arrivalDate, and passes it to each.
 */
export interface Arrival {
  at: Date;
  businessDate: string;
}

function arrivalNow(core: CoreContext, arrival: Arrival | undefined): Arrival {
  if (arrival) return arrival;
  const at = core.clock.now();
  return { at, businessDate: arrivalDate(core, at) };
}

function move(core: CoreContext, row: RequestHead, command: ApplicationCommand, to: ApplicationStatus, at: Date, details: Record<string, string | number | null>): void {
  if (!canRun(command, row.status)) throw new DomainError('INVALID_TRANSITION', 'acquirer.invalid_transition', undefined, { status: row.status, command });
  if (!updateApplication(core.db, row.id, row.version, to, {}, at.toISOString())) throw new DomainError('CONFLICT', 'error.conflict');
  // No personal data and no acquirer free text in the audit row: the reason is kept in outcome_events.
  appendAudit(core.db, { actorId: null, action: `application.${command}`, entity: 'application', entityId: String(row.id), details: { from: row.status, to, version: row.version + 1, ...details } }, at);
}

/**
 * The acquirer took the request (HTTPS answer `accepted`): completed → forwarded, on the business date of the
 * answer. A second accept of a request already forwarded (or further) is a harmless duplicate. The outbox entry
 * (its state and the acquirer's reference) is the caller's to write, in the same transaction: the dispatcher does.
 */
export function recordAcquirerAccept(core: CoreContext, input: { number: string; acquirerReference: string; source: OutcomeSource }, arrival?: Arrival): 'recorded' | 'duplicate' {
  return atomically(core.db, () => {
    const row = findByNumber(core, input.number);
    if (!row) throw new DomainError('NOT_FOUND', 'acquirer.unknown_number', undefined, { number: input.number });
    return recordAcceptOf(core, row, input, arrival);
  });
}

/**
 * recordAcquirerAccept for a request already read (`row`, by the caller, in its transaction) and without a
 * transaction of its own: the caller's (the dispatcher writes each answer in a savepoint with its outbox entry).
 */
export function recordAcceptOf(core: CoreContext, row: RequestHead, input: { acquirerReference: string; source: OutcomeSource }, arrival?: Arrival): 'recorded' | 'duplicate' {
  if (!core.db.inTransaction) throw new Error('recordAcceptOf: outside a transaction');
  if (row.status === 'forwarded' || row.status === 'unbound' || row.status === 'unbind_failed') return 'duplicate';
  const { at, businessDate } = arrivalNow(core, arrival);
  move(core, row, 'acquirer_accept', 'forwarded', at, { businessDate, acquirerReference: input.acquirerReference, source: input.source });
  return 'recorded';
}

/**
 * THE place an acquirer's outcome is recorded, whatever channel brought it (HTTPS poll, outcome file). In one
 * transaction: the request moves to unbound / unbind_failed, its audit row, and one `outcome_events` row on the
 * business date the outcome ARRIVED (the customer-notification module consumes these rows). The same outcome
 * reported again changes nothing; a different outcome for a request already decided is refused.
 */
export function recordAcquirerOutcome(core: CoreContext, input: AcquirerOutcomeInput, arrival?: Arrival): OutcomeRecording {
  return core.db.transaction((): OutcomeRecording => {
    const row = findByNumber(core, input.number);
    if (!row) throw new DomainError('NOT_FOUND', 'acquirer.unknown_number', undefined, { number: input.number });
    if (input.outcome === 'unbind_failed' && !input.reason) throw new DomainError('VALIDATION', 'acquirer.reason_required', undefined, { number: input.number });
    const existing = statement(core.db, 'SELECT id, outcome, business_date FROM outcome_events WHERE application_id = ?').get(row.id) as
      | { id: number; outcome: AcquirerOutcome; business_date: string }
      | undefined;
    if (existing) {
      if (existing.outcome === input.outcome) return { result: 'duplicate', applicationId: row.id, businessDate: existing.business_date, eventId: existing.id };
      throw new DomainError('CONFLICT', 'acquirer.outcome_conflict', undefined, { number: input.number, recorded: existing.outcome, reported: input.outcome });
    }
    const { at, businessDate } = arrivalNow(core, arrival);
    move(core, row, 'acquirer_outcome', input.outcome, at, {
      businessDate,
      acquirerReference: input.acquirerReference,
      source: input.source,
    });
    const event = statement(core.db,
      `INSERT INTO outcome_events (application_id, number, outcome, reason, acquirer_reference, decided_at, business_date, received_at, source)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(row.id, row.number, input.outcome, input.outcome === 'unbind_failed' ? input.reason : null, input.acquirerReference, input.decidedAt, businessDate, at.toISOString(), input.source);
    // The customer is told through the channel on the request: the message (or the call task) is queued in this
    // transaction, so an outcome is never recorded without it; the notification worker sends it afterwards.
    outcomeArrived(core, { applicationId: row.id, outcome: input.outcome, reason: input.outcome === 'unbind_failed' ? input.reason : null, businessDate });
    statement(core.db, 'UPDATE outcome_events SET notified_at = ? WHERE id = ?').run(at.toISOString(), event.lastInsertRowid);
    statement(core.db,
      `UPDATE acquirer_outbox SET state = 'done', finished_at = ?, next_poll_at = NULL, claimed_at = NULL,
              acquirer_reference = coalesce(acquirer_reference, ?)
        WHERE application_id = ?`,
    ).run(at.toISOString(), input.acquirerReference, row.id);
    return { result: 'recorded', applicationId: row.id, businessDate, eventId: Number(event.lastInsertRowid) };
  })();
}
