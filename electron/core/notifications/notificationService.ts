import { randomUUID } from 'node:crypto';
import type { Db } from '../db/connection';
import { statement } from '../db/statements';
import type { Clock } from '../clock';
import type { EventLog } from '../eventLog';
import type { InstallationKeys } from '../crypto/installationKeys';
import { appendAudit } from '../audit/auditLog';
import { findApplication } from '../applications/repository';
import { openRequest } from '../applications/personalData';
import { readBranchProfile } from '../system/branchProfile';
import { openNotificationSettings, type OpenedNotificationSettings } from './notificationSettings';
import { phoneTail, renderOutcomeMessage, type Outcome, type RenderedMessage, type TemplateChannel, type TemplateLanguage } from './templates';
import type { Delivery, MessageChannel, Notifier } from './notifier';
import { smtpNotifier } from './adapters/smtpNotifier';
import { smsNotifier } from './adapters/smsNotifier';

export interface NotificationDeps {
  db: Db;
  keys: InstallationKeys;
  clock: Clock;
}

export interface OutcomeArrivedInput {
  applicationId: number;
  outcome: Outcome;
  /** The acquirer's reason for `unbind_failed` (a code of ACQUIRER_REASONS, else its own text, which a customer never sees). */
  reason: string | null;
  /** The business date the outcome is recorded on. */
  businessDate: string;
}

export interface MessageRow {
  id: number;
  application_id: number;
  outcome: Outcome;
  channel: 'sms' | 'email' | 'phone';
  template: string;
  language: TemplateLanguage;
  reason: string | null;
  idempotency_key: string;
  business_date: string;
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'phone';
  attempts: number;
  next_attempt_at: string | null;
  answer: string | null;
  created_at: string;
  sent_at: string | null;
}

/**
 * The one entry point the outcome's recorder calls, inside its own transaction: it queues the message that
 * tells the customer (or, for the phone channel, makes the call task) and audits it. Delivery is done
 * afterwards by the worker. Calling it again for the same request and outcome changes nothing (a customer
 * is never told the same outcome twice): `created` is then false.
 */
export function outcomeArrived(deps: NotificationDeps, input: OutcomeArrivedInput): { messageId: number; created: boolean; channel: MessageRow['channel'] } {
  const { db, keys, clock } = deps;
  return db.transaction(() => {
    const existing = statement(db, 'SELECT id, channel FROM notification_messages WHERE application_id = ? AND outcome = ?').get(input.applicationId, input.outcome) as
      | { id: number; channel: MessageRow['channel'] }
      | undefined;
    if (existing) return { messageId: existing.id, created: false, channel: existing.channel };
    const app = findApplication(db, input.applicationId);
    if (!app) throw new Error(`outcomeArrived: no application ${input.applicationId}`);
    const request = openRequest(keys, app);
    const at = clock.now().toISOString();
    const channel: MessageRow['channel'] = request ? (request.notification.channel === 'phone' ? 'phone' : request.notification.channel) : 'phone';
    const language: TemplateLanguage = request?.notification.language === 'en' ? 'en' : 'zh-CN';
    const template = `outcome.${input.outcome}.${channel}.${language}`;
    const reason = input.outcome === 'unbind_failed' ? (input.reason?.slice(0, 200) ?? null) : null;
    const status: MessageRow['status'] = channel === 'phone' ? 'phone' : 'pending';
    const info = statement(db,
      `INSERT INTO notification_messages (application_id, outcome, channel, template, language, reason, idempotency_key, business_date, status, attempts, next_attempt_at, created_at, updated_at)
       VALUES (@applicationId, @outcome, @channel, @template, @language, @reason, @key, @businessDate, @status, 0, @next, @at, @at)`,
    ).run({ applicationId: input.applicationId, outcome: input.outcome, channel, template, language, reason, key: `unbinddesk-${randomUUID()}`, businessDate: input.businessDate, status, next: status === 'pending' ? at : null, at });
    const messageId = Number(info.lastInsertRowid);
    appendAudit(db, { actorId: null, action: 'notification.queued', entity: 'application', entityId: String(input.applicationId), details: { messageId, outcome: input.outcome, channel, template } }, clock.now());
    if (channel === 'phone') createCallTask(db, clock, messageId, input.applicationId, 'phone_channel', input.businessDate);
    return { messageId, created: true, channel };
  })();
}

export function createCallTask(db: Db, clock: Clock, messageId: number, applicationId: number, cause: 'phone_channel' | 'delivery_failed', dueDate: string): number {
  const at = clock.now().toISOString();
  const info = statement(db,
    `INSERT INTO call_tasks (application_id, message_id, cause, status, due_date, attempts, created_at, updated_at)
     VALUES (?, ?, ?, 'open', ?, 0, ?, ?) ON CONFLICT (message_id) DO NOTHING`,
  ).run(applicationId, messageId, cause, dueDate, at, at);
  if (info.changes === 0) return (statement(db, 'SELECT id FROM call_tasks WHERE message_id = ?').get(messageId) as { id: number }).id;
  const taskId = Number(info.lastInsertRowid);
  appendAudit(db, { actorId: null, action: 'call_task.created', entity: 'application', entityId: String(applicationId), details: { taskId, messageId, cause, dueDate } }, clock.now());
  return taskId;
}

/** The message for one row, rendered from the bank's profile and the sealed request; null when the data was purged. */
export function renderFor(deps: NotificationDeps, row: Pick<MessageRow, 'application_id' | 'outcome' | 'reason' | 'language'>, channel: TemplateChannel, settings: Pick<OpenedNotificationSettings, 'hotline'>):
  | { rendered: RenderedMessage; to: { phone: string; email: string | null } }
  | null {
  const app = findApplication(deps.db, row.application_id);
  const request = app ? openRequest(deps.keys, app) : null;
  if (!app || !request) return null;
  const branch = readBranchProfile(deps.db);
  const phone = request.mobile.newMobile ?? request.mobile.bound;
  const rendered = renderOutcomeMessage(
    {
      bankName: branch?.bankName || branch?.name || '',
      branchName: branch?.name ?? '',
      hotline: settings.hotline,
      applicationNumber: app.number,
      requestDate: app.business_date,
      boundTail: phoneTail(request.mobile.bound),
      newTail: request.mobile.newMobile ? phoneTail(request.mobile.newMobile) : null,
      outcome: row.outcome,
      reason: row.reason,
    },
    channel,
    row.language,
  );
  // The last guard: no full number, ID or address in what leaves the counter.
  for (const secret of [request.mobile.bound, request.mobile.newMobile, request.applicant.documentNumber, request.applicant.name, request.notification.email]) {
    if (secret && rendered.text.includes(secret)) throw new Error('a message would carry personal data');
  }
  return { rendered, to: { phone, email: request.notification.email ?? null } };
}

export interface WorkerOptions {
  /** Makes the adapters from the settings; tests and the preview may pass their own. */
  notifiers?: (settings: OpenedNotificationSettings) => Partial<Record<MessageChannel, Notifier>>;
  /** Between 0 and 1, for the backoff's jitter. */
  random?: () => number;
  log?: EventLog;
  /** The open business date, for call tasks made when a delivery is given up. */
  businessDate: () => string;
  timeoutMs?: number;
}

export function notifiersFromSettings(settings: OpenedNotificationSettings, timeoutMs = 15_000): Partial<Record<MessageChannel, Notifier>> {
  const notifiers: Partial<Record<MessageChannel, Notifier>> = {};
  if (settings.email) notifiers.email = smtpNotifier({ ...settings.email, timeoutMs });
  if (settings.sms) notifiers.sms = smsNotifier({ ...settings.sms, timeoutMs });
  return notifiers;
}

/** Backoff before attempt n+1 after n failures: base·2^(n−1), capped, ±20 % jitter. */
export function retryDelaySeconds(failures: number, retry: OpenedNotificationSettings['retry'], random: () => number): number {
  const plain = Math.min(retry.capSeconds, retry.baseSeconds * 2 ** Math.max(0, failures - 1));
  return Math.round(plain * (0.8 + 0.4 * random()));
}

/**
 * Delivers queued messages. Each send is claimed (status `sending`, attempt counted) in its own transaction
 * before the network is touched, and its answer recorded in another. After a crash between the two, an SMS is
 * sent again with the same idempotency key (the platform drops the repeat, by our contract); an e-mail, which
 * a relay cannot deduplicate, is not sent again: the customer is handed to a teller's call instead.
 */
export class NotificationWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = false;

  constructor(
    private readonly deps: NotificationDeps,
    private readonly options: WorkerOptions,
  ) {}

  /** Once at start: settles the messages a previous run left in `sending`. */
  recover(): void {
    const { db, clock } = this.deps;
    const rows = statement(db, "SELECT * FROM notification_messages WHERE status = 'sending'").all() as MessageRow[];
    for (const row of rows) {
      db.transaction(() => {
        if (row.channel === 'sms') {
          statement(db, "UPDATE notification_messages SET status = 'pending', next_attempt_at = ?, updated_at = ? WHERE id = ? AND status = 'sending'").run(clock.now().toISOString(), clock.now().toISOString(), row.id);
        } else {
          this.giveUp(row, 'in doubt after a restart: not sent again');
        }
      })();
    }
  }

  start(intervalMs = 5_000): void {
    this.stopped = false;
    this.recover();
    const tick = () => {
      if (this.stopped) return;
      void this.runDue()
        .catch((error: unknown) => this.options.log?.error('notification.worker_failed', { name: (error as Error).name }))
        .finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, intervalMs);
      });
    };
    tick();
  }

  /** Stops at once (the core is closing): no new send starts; one already on the wire is abandoned. */
  halt(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Sends every message that is due now, one after another; resolves with how many were tried. */
  runDue(): Promise<number> {
    if (!this.running) {
      this.running = this.sendDue().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  private async sendDue(): Promise<number> {
    const { db, keys, clock } = this.deps;
    const due = statement(db, "SELECT * FROM notification_messages WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT 50").all(clock.now().toISOString()) as MessageRow[];
    if (due.length === 0) return 0;
    const settings = openNotificationSettings(db, keys);
    const notifiers = (this.options.notifiers ?? ((s) => notifiersFromSettings(s, this.options.timeoutMs)))(settings);
    let tried = 0;
    for (const row of due) {
      if (this.stopped) break;
      await this.sendOne(row, settings, notifiers);
      tried += 1;
    }
    return tried;
  }

  private async sendOne(row: MessageRow, settings: OpenedNotificationSettings, notifiers: Partial<Record<MessageChannel, Notifier>>): Promise<void> {
    const { db, clock } = this.deps;
    const channel = row.channel as MessageChannel;
    const claimed = statement(db, "UPDATE notification_messages SET status = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ? AND status = 'pending'").run(clock.now().toISOString(), row.id);
    if (claimed.changes === 0) return;
    const attempt = row.attempts + 1;
    let delivery: Delivery;
    let message: ReturnType<typeof renderFor> | 'refused';
    try {
      message = renderFor(this.deps, row, channel, settings);
    } catch {
      // The text would have carried personal data (or could not be made): nothing is sent, a teller calls.
      message = 'refused';
    }
    const notifier = notifiers[channel];
    if (message === 'refused') delivery = { ok: false, permanent: true, answer: 'message refused: it would carry personal data' };
    else if (!message) delivery = { ok: false, permanent: true, answer: 'personal data purged' };
    else if (!notifier) delivery = { ok: false, permanent: false, answer: `${channel} not configured` };
    else {
      const to = channel === 'email' ? message.to.email : message.to.phone;
      if (!to) delivery = { ok: false, permanent: true, answer: 'no address on the request' };
      else {
        try {
          delivery = await notifier.send({ to, subject: message.rendered.subject, text: message.rendered.text, idempotencyKey: row.idempotency_key, language: row.language });
        } catch (error) {
          delivery = { ok: false, permanent: false, answer: `adapter error ${(error as Error).name}` };
        }
      }
    }
    const at = clock.now();
    db.transaction(() => {
      if (delivery.ok) {
        statement(db, "UPDATE notification_messages SET status = 'sent', answer = ?, sent_at = ?, next_attempt_at = NULL, updated_at = ? WHERE id = ?").run(delivery.answer, at.toISOString(), at.toISOString(), row.id);
        appendAudit(db, { actorId: null, action: 'notification.sent', entity: 'application', entityId: String(row.application_id), details: { messageId: row.id, channel, template: row.template, attempt } }, at);
      } else if (delivery.permanent || attempt >= settings.retry.maxAttempts) {
        this.giveUp({ ...row, attempts: attempt }, delivery.answer);
      } else {
        const next = new Date(at.getTime() + retryDelaySeconds(attempt, settings.retry, this.options.random ?? Math.random) * 1000);
        statement(db, "UPDATE notification_messages SET status = 'pending', answer = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?").run(delivery.answer, next.toISOString(), at.toISOString(), row.id);
        appendAudit(db, { actorId: null, action: 'notification.attempt_failed', entity: 'application', entityId: String(row.application_id), details: { messageId: row.id, channel, attempt, answer: delivery.answer, nextAttemptAt: next.toISOString() } }, at);
      }
    })();
    this.options.log?.info('notification.delivery', { messageId: row.id, channel, attempt, ok: delivery.ok });
  }

  /** No more tries: the message is `failed` and a teller calls the customer instead. */
  private giveUp(row: MessageRow, answer: string): void {
    const { db, clock } = this.deps;
    const at = clock.now();
    statement(db, "UPDATE notification_messages SET status = 'failed', answer = ?, next_attempt_at = NULL, updated_at = ? WHERE id = ?").run(answer, at.toISOString(), row.id);
    appendAudit(db, { actorId: null, action: 'notification.failed', entity: 'application', entityId: String(row.application_id), details: { messageId: row.id, channel: row.channel, attempts: row.attempts, answer } }, at);
    createCallTask(db, clock, row.id, row.application_id, 'delivery_failed', this.options.businessDate());
  }
}
