import { z } from 'zod';
import { defineMethod } from './method';

/** What a teller records after calling a customer. */
export const CALL_RESULTS = ['reached', 'no_answer', 'wrong_number', 'declined'] as const;
export type CallResult = (typeof CALL_RESULTS)[number];

export const CALL_TASK_STATUSES = ['open', 'reached', 'wrong_number', 'declined', 'gave_up'] as const;

const hostName = z
  .string()
  .trim()
  .min(1, 'notifications.host_invalid')
  .max(253, 'notifications.host_invalid')
  .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/, 'notifications.host_invalid');
const address = z
  .string()
  .trim()
  .max(254, 'notifications.from_invalid')
  .regex(/^[^\s@<>"]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/, 'notifications.from_invalid');
const pem = z
  .string()
  .max(20_000, 'notifications.ca_invalid')
  .regex(/^\s*-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*$/, 'notifications.ca_invalid')
  .nullable();
const secret = z.string().min(1, 'notifications.secret_required').max(512, 'notifications.secret_required');
const httpsUrl = z
  .string()
  .trim()
  .max(1024, 'notifications.sms_url_invalid')
  // https only, a host (no user:password@), an optional port and path.
  .regex(/^https:\/\/[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?(\/[^\s@]*)?$/i, 'notifications.sms_https_only');
const plainText = (max: number, code: string) =>
  z
    .string()
    .trim()
    .min(1, code)
    .max(max, code)
    // No control characters (a header or a message line could be split by them).
    .regex(/^[^\p{Cc}]+$/u, code);

/** Settings as the admin sees them: the secrets are never sent back, only whether one is set. */
export const notificationSettingsSchema = z.object({
  hotline: z.string().nullable(),
  email: z
    .object({ host: z.string(), port: z.number().int(), user: z.string(), from: z.string(), fromName: z.string(), caPem: z.string().nullable(), passwordSet: z.boolean() })
    .nullable(),
  sms: z.object({ url: z.string(), signName: z.string(), caPem: z.string().nullable(), tokenSet: z.boolean() }).nullable(),
  retry: z.object({ maxAttempts: z.number().int(), baseSeconds: z.number().int(), capSeconds: z.number().int() }),
  calls: z.object({ maxAttempts: z.number().int() }),
});
export type NotificationSettingsView = z.infer<typeof notificationSettingsSchema>;

export const notificationSettingsUpdate = z.strictObject({
  hotline: z.string().trim().regex(/^[0-9-]{3,20}$/, 'notifications.hotline_invalid').nullable().optional(),
  email: z
    .strictObject({
      host: hostName,
      port: z.number().int().min(1, 'notifications.port_invalid').max(65535, 'notifications.port_invalid'),
      user: plainText(254, 'notifications.user_invalid'),
      from: address,
      fromName: plainText(60, 'notifications.from_name_invalid'),
      caPem: pem,
      /** Absent: keep the sealed password already set. */
      password: secret.optional(),
    })
    .nullable()
    .optional(),
  sms: z
    .strictObject({
      url: httpsUrl,
      signName: plainText(20, 'notifications.sign_invalid'),
      caPem: pem,
      /** Absent: keep the sealed token already set. */
      token: secret.optional(),
    })
    .nullable()
    .optional(),
  retry: z
    .strictObject({
      maxAttempts: z.number().int().min(1, 'notifications.retry_range').max(10, 'notifications.retry_range'),
      baseSeconds: z.number().int().min(5, 'notifications.retry_range').max(3600, 'notifications.retry_range'),
      capSeconds: z.number().int().min(60, 'notifications.retry_range').max(86_400, 'notifications.retry_range'),
    })
    .optional(),
  calls: z.strictObject({ maxAttempts: z.number().int().min(1, 'notifications.calls_range').max(10, 'notifications.calls_range') }).optional(),
});
export type NotificationSettingsUpdate = z.infer<typeof notificationSettingsUpdate>;

export const callTaskSchema = z.object({
  id: z.number().int(),
  applicationId: z.number().int(),
  applicationNumber: z.string(),
  applicantNameMasked: z.string().nullable(),
  mobileMasked: z.string().nullable(),
  outcome: z.enum(['unbound', 'unbind_failed']),
  cause: z.enum(['phone_channel', 'delivery_failed']),
  status: z.enum(CALL_TASK_STATUSES),
  dueDate: z.string(),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  lastResult: z.enum(CALL_RESULTS).nullable(),
  /** What to tell the customer: the same words the message would have carried. */
  script: z.string(),
});
export type CallTask = z.infer<typeof callTaskSchema>;

export const messageLogRowSchema = z.object({
  id: z.number().int(),
  applicationNumber: z.string(),
  outcome: z.enum(['unbound', 'unbind_failed']),
  channel: z.enum(['sms', 'email', 'phone']),
  template: z.string(),
  status: z.enum(['pending', 'sending', 'sent', 'failed', 'phone']),
  attempts: z.number().int(),
  answer: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});

export const notificationMethods = {
  'notifications.settings.get': defineMethod({ access: 'personal', roles: ['admin'], input: z.strictObject({}), output: notificationSettingsSchema }),
  'notifications.settings.update': defineMethod({ access: 'personal', roles: ['admin'], input: notificationSettingsUpdate, output: notificationSettingsSchema }),
  'notifications.callTasks.list': defineMethod({
    access: 'personal',
    input: z.strictObject({ scope: z.enum(['due', 'open', 'all']).default('due') }),
    output: z.object({ businessDate: z.string(), tasks: z.array(callTaskSchema) }),
  }),
  /** The full number to dial, for an open task only; audited (who, which task), never logged. */
  'notifications.callTasks.dial': defineMethod({
    access: 'personal',
    input: z.strictObject({ id: z.number().int().positive() }),
    output: z.object({ id: z.number().int(), phone: z.string() }),
  }),
  'notifications.callTasks.record': defineMethod({
    access: 'personal',
    input: z.strictObject({ id: z.number().int().positive(), result: z.enum(CALL_RESULTS, 'notifications.call_result_invalid') }),
    output: callTaskSchema,
  }),
  'notifications.messages.list': defineMethod({
    access: 'personal',
    roles: ['supervisor', 'admin'],
    input: z.strictObject({ applicationId: z.number().int().positive().optional(), limit: z.number().int().min(1).max(500).default(100) }),
    output: z.array(messageLogRowSchema),
  }),
};
