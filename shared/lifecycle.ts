/**
 * The application's life (DESIGN.md "The application's life") as a table: which command may move a request
 * from which status to which. The core refuses anything else with INVALID_TRANSITION; the renderer reads the
 * same table to offer only the actions the current status allows.
 */
export const APPLICATION_STATUSES = [
  'waiting',
  'in_review',
  'pending_authorization',
  'approved',
  'completed',
  'rejected',
  'cancelled',
  // After the slip: the acquirer took the request (its reference), then did it or could not (its reason).
  'forwarded',
  'unbound',
  'unbind_failed',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/**
 * Open work for the counter: everything until the slip is issued. An approved request still waits for the
 * customer's signature and the printed slip, so the board's 待办 lists it and a day close must settle it.
 */
export const OPEN_STATUSES: readonly ApplicationStatus[] = ['waiting', 'in_review', 'pending_authorization', 'approved'];
export const FINAL_STATUSES: readonly ApplicationStatus[] = ['completed', 'rejected', 'cancelled', 'forwarded', 'unbound', 'unbind_failed'];

/**
 * The counter's part ends at `completed`; the acquirer's part follows. These statuses are reached only by what
 * the acquirer answers (never by a teller), and on the business date the answer arrives.
 */
export const ACQUIRER_STATUSES: readonly ApplicationStatus[] = ['forwarded', 'unbound', 'unbind_failed'];
/** The acquirer's last word: nothing moves a request out of these. */
export const ACQUIRER_OUTCOMES = ['unbound', 'unbind_failed'] as const;
export type AcquirerOutcome = (typeof ACQUIRER_OUTCOMES)[number];

/**
 * Which slip a request in this status may get: its first (approved: printing it completes the request), a
 * reprint (completed, and after, while the acquirer has it), or none. The core refuses the rest; the detail
 * screen offers the same, so its slip dialog stays open while the request moves on to the acquirer.
 */
export function slipKind(status: ApplicationStatus): 'first' | 'reprint' | null {
  if (status === 'approved') return 'first';
  if (status === 'completed' || ACQUIRER_STATUSES.includes(status)) return 'reprint';
  return null;
}

export const APPLICATION_COMMANDS = [
  'start_review',
  'submit',
  'authorize_approve',
  'authorize_decline',
  'reject',
  'cancel',
  'cancel_after_submit',
  'edit_after_submit',
  'capture_signature',
  'complete',
  'carry_over',
  'acquirer_accept',
  'acquirer_outcome',
] as const;
export type ApplicationCommand = (typeof APPLICATION_COMMANDS)[number];

export const TRANSITIONS: Record<ApplicationCommand, { from: readonly ApplicationStatus[]; to: readonly ApplicationStatus[] }> = {
  start_review: { from: ['waiting'], to: ['in_review'] },
  submit: { from: ['in_review'], to: ['pending_authorization', 'approved'] },
  authorize_approve: { from: ['pending_authorization'], to: ['approved'] },
  authorize_decline: { from: ['pending_authorization'], to: ['rejected'] },
  reject: { from: ['waiting', 'in_review'], to: ['rejected'] },
  cancel: { from: ['waiting', 'in_review'], to: ['cancelled'] },
  // After submission a cancel or an edit needs a supervisor (DOMAIN.md).
  cancel_after_submit: { from: ['pending_authorization', 'approved'], to: ['cancelled'] },
  edit_after_submit: { from: ['pending_authorization', 'approved'], to: ['pending_authorization', 'approved'] },
  // The customer's drawn signature may be captured (or redrawn) until the slip is issued.
  capture_signature: { from: ['in_review', 'pending_authorization', 'approved'], to: ['in_review', 'pending_authorization', 'approved'] },
  complete: { from: ['approved'], to: ['completed'] },
  // Day close: an open request (approved included: its slip is not printed yet) moves to the next business day with its status.
  carry_over: { from: ['waiting', 'in_review', 'pending_authorization', 'approved'], to: ['waiting', 'in_review', 'pending_authorization', 'approved'] },
  // The acquirer accepted the hand-off (its reference).
  acquirer_accept: { from: ['completed'], to: ['forwarded'] },
  // Its outcome: after an accept, or straight from completed (a refused hand-off, or a batch acquirer whose
  // outcome file is its first answer).
  acquirer_outcome: { from: ['completed', 'forwarded'], to: ['unbound', 'unbind_failed'] },
};

export function canRun(command: ApplicationCommand, from: ApplicationStatus): boolean {
  return TRANSITIONS[command].from.includes(from);
}

export function allowedCommands(from: ApplicationStatus): ApplicationCommand[] {
  return APPLICATION_COMMANDS.filter((command) => canRun(command, from));
}

/** Why a teller refuses or cancels a request, or a supervisor declines one: codes, translated in the renderer. */
export const OUTCOME_REASON_CODES = [
  'document_invalid',
  'identity_mismatch',
  'information_inconsistent',
  'suspected_fraud',
  'customer_left',
  'customer_withdrew',
  'duplicate_request',
  'entered_in_error',
  'other',
] as const;
export type OutcomeReasonCode = (typeof OUTCOME_REASON_CODES)[number];
