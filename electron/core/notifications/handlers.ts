import type { Handlers } from '../rpc/router';
import type { CoreContext } from '../context';
import { appendAudit } from '../audit/auditLog';
import { requireActor } from '../auth/handlers';
import { statement } from '../db/statements';
import { notificationSettingsView, updateNotificationSettings } from './notificationSettings';
import { dialCallTask, listCallTasks, recordCall } from './callTasks';

type NotificationHandlers = Pick<
  Handlers,
  'notifications.settings.get' | 'notifications.settings.update' | 'notifications.callTasks.list' | 'notifications.callTasks.dial' | 'notifications.callTasks.record' | 'notifications.messages.list'
>;

export function notificationHandlers(core: CoreContext): NotificationHandlers {
  return {
    'notifications.settings.get': () => notificationSettingsView(core.db),
    'notifications.settings.update': (input, call) => {
      const actor = requireActor(call);
      const at = core.clock.now();
      core.db.transaction(() => {
        const changed = updateNotificationSettings(core.db, core.keys, input, at);
        // Which parts changed, never a value (the password and token least of all).
        appendAudit(core.db, { actorId: actor.tellerId, action: 'notifications.settings_updated', entity: 'settings', entityId: 'notifications', details: { changed } }, at);
      })();
      return notificationSettingsView(core.db);
    },
    'notifications.callTasks.list': (input) => {
      const businessDate = core.businessDate();
      return { businessDate, tasks: listCallTasks(core, input.scope, businessDate) };
    },
    'notifications.callTasks.dial': (input, call) => dialCallTask(core, input.id, requireActor(call).tellerId),
    'notifications.callTasks.record': (input, call) => recordCall(core, input.id, input.result, requireActor(call).tellerId, core.businessDate()),
    'notifications.messages.list': (input) => {
      const rows = (
        input.applicationId === undefined
          ? statement(core.db, 'SELECT m.*, a.number FROM notification_messages m JOIN applications a ON a.id = m.application_id ORDER BY m.id DESC LIMIT ?').all(input.limit)
          : statement(core.db, 'SELECT m.*, a.number FROM notification_messages m JOIN applications a ON a.id = m.application_id WHERE m.application_id = ? ORDER BY m.id DESC LIMIT ?').all(input.applicationId, input.limit)
      ) as { id: number; number: string; outcome: 'unbound' | 'unbind_failed'; channel: 'sms' | 'email' | 'phone'; template: string; status: 'pending' | 'sending' | 'sent' | 'failed' | 'phone'; attempts: number; answer: string | null; created_at: string; sent_at: string | null }[];
      return rows.map((r) => ({ id: r.id, applicationNumber: r.number, outcome: r.outcome, channel: r.channel, template: r.template, status: r.status, attempts: r.attempts, answer: r.answer, createdAt: r.created_at, sentAt: r.sent_at }));
    },
  };
}
