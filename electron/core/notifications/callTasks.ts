import type { CallResult, CallTask } from '../../../shared';
import { statement } from '../db/statements';
import { appendAudit } from '../audit/auditLog';
import { findApplication } from '../applications/repository';
import { openRequest } from '../applications/personalData';
import { nextDate } from '../businessDays';
import { DomainError } from '../rpc/domainError';
import { openNotificationSettings } from './notificationSettings';
import { renderFor, type MessageRow, type NotificationDeps } from './notificationService';

interface TaskRow {
  id: number;
  application_id: number;
  message_id: number;
  cause: CallTask['cause'];
  status: CallTask['status'];
  due_date: string;
  attempts: number;
  last_result: CallResult | null;
  number: string;
  applicant_name_masked: string | null;
  mobile_masked: string | null;
  outcome: MessageRow['outcome'];
  reason: string | null;
  language: MessageRow['language'];
}

const TASK_SELECT = `SELECT c.id, c.application_id, c.message_id, c.cause, c.status, c.due_date, c.attempts, c.last_result,
  a.number, a.applicant_name_masked, a.mobile_masked, m.outcome, m.reason, m.language
  FROM call_tasks c JOIN applications a ON a.id = c.application_id JOIN notification_messages m ON m.id = c.message_id`;

function toTask(deps: NotificationDeps, row: TaskRow, maxAttempts: number, hotline: string | null): CallTask {
  const message = renderFor(deps, { application_id: row.application_id, outcome: row.outcome, reason: row.reason, language: row.language }, 'phone', { hotline });
  return {
    id: row.id,
    applicationId: row.application_id,
    applicationNumber: row.number,
    applicantNameMasked: row.applicant_name_masked,
    mobileMasked: row.mobile_masked,
    outcome: row.outcome,
    cause: row.cause,
    status: row.status,
    dueDate: row.due_date,
    attempts: row.attempts,
    maxAttempts,
    lastResult: row.last_result,
    script: message?.rendered.text ?? '',
  };
}

/** Call tasks for the board: `due` (open and due on the business date), `open`, or `all` (the latest 200). */
export function listCallTasks(deps: NotificationDeps, scope: 'due' | 'open' | 'all', businessDate: string): CallTask[] {
  const settings = openNotificationSettings(deps.db, deps.keys);
  const rows = (
    scope === 'due'
      ? statement(deps.db, `${TASK_SELECT} WHERE c.status = 'open' AND c.due_date <= ? ORDER BY c.due_date, c.id`).all(businessDate)
      : scope === 'open'
        ? statement(deps.db, `${TASK_SELECT} WHERE c.status = 'open' ORDER BY c.due_date, c.id`).all()
        : statement(deps.db, `${TASK_SELECT} ORDER BY c.id DESC LIMIT 200`).all()
  ) as TaskRow[];
  return rows.map((row) => toTask(deps, row, settings.calls.maxAttempts, settings.hotline));
}

function openTask(deps: NotificationDeps, id: number): TaskRow {
  const row = statement(deps.db, `${TASK_SELECT} WHERE c.id = ?`).get(id) as TaskRow | undefined;
  if (!row) throw new DomainError('NOT_FOUND', 'notifications.call_task_not_found');
  if (row.status !== 'open') throw new DomainError('CONFLICT', 'notifications.call_task_closed');
  return row;
}

/** The number to dial, for an open task only. Audited with the teller and the task; the number is not. */
export function dialCallTask(deps: NotificationDeps, id: number, actorId: number): { id: number; phone: string } {
  const row = openTask(deps, id);
  const app = findApplication(deps.db, row.application_id);
  const request = app ? openRequest(deps.keys, app) : null;
  if (!request) throw new DomainError('CONFLICT', 'retention.purged');
  appendAudit(deps.db, { actorId, action: 'call_task.dialed', entity: 'application', entityId: String(row.application_id), details: { taskId: id } }, deps.clock.now());
  return { id, phone: request.mobile.newMobile ?? request.mobile.bound };
}

/**
 * A teller's record of one call. Reached, wrong number and "do not call me" close the task; no answer moves
 * it to the next business day until the call limit (settings), when it closes as `gave_up`.
 */
export function recordCall(deps: NotificationDeps, id: number, result: CallResult, actorId: number, businessDate: string): CallTask {
  const { db, clock } = deps;
  const settings = openNotificationSettings(db, deps.keys);
  return db.transaction(() => {
    const row = openTask(deps, id);
    const attempts = row.attempts + 1;
    const status: CallTask['status'] =
      result === 'no_answer' ? (attempts >= settings.calls.maxAttempts ? 'gave_up' : 'open') : result;
    const dueDate = result === 'no_answer' && status === 'open' ? nextDate(businessDate) : row.due_date;
    const at = clock.now().toISOString();
    statement(db, 'UPDATE call_tasks SET status = ?, due_date = ?, attempts = ?, last_result = ?, last_called_by = ?, last_called_at = ?, updated_at = ? WHERE id = ?').run(
      status, dueDate, attempts, result, actorId, at, at, id,
    );
    if (row.cause === 'phone_channel' && result === 'reached') {
      statement(db, "UPDATE notification_messages SET status = 'sent', sent_at = ?, answer = 'call reached', updated_at = ? WHERE id = ? AND status = 'phone'").run(at, at, row.message_id);
    }
    appendAudit(db, { actorId, action: 'call_task.recorded', entity: 'application', entityId: String(row.application_id), details: { taskId: id, result, attempts, status, dueDate } }, clock.now());
    return toTask(deps, { ...row, status, due_date: dueDate, attempts, last_result: result }, settings.calls.maxAttempts, settings.hotline);
  })();
}
