import { z } from 'zod';
import { defineMethod } from './method';

export const ROLES = ['teller', 'supervisor', 'admin'] as const;

export const employeeNo = z.string().trim().regex(/^[0-9A-Za-z]{3,20}$/, 'teller.employee_no');
/** At least 8 characters with a letter and a digit; the branch's own rules may be stricter. */
export const newPassword = z
  .string()
  .min(8, 'password.too_short')
  .max(128, 'password.too_long')
  .refine((value) => /[A-Za-z]/.test(value) && /\d/.test(value), 'password.too_weak');
export const password = z.string().min(1, 'password.required').max(128, 'validation.too_long');
export const personName = z
  .string()
  .trim()
  .min(1, 'validation.required')
  .max(50, 'validation.too_long')
  // Control, bidi and zero-width characters would let a name display as something else.
  .refine((value) => !/[\p{Cc}\p{Cf}]/u.test(value), 'validation.hidden_characters');
export const branchCode = z.string().trim().regex(/^[0-9A-Z]{3,12}$/, 'branch.code');
/** The counter (desk) number within the branch: two digits, 01–99 (e.g. 01 for the first counter). */
export const deskNumber = z.string().trim().regex(/^(0[1-9]|[1-9]\d)$/, 'branch.desk');
export const branchName = z
  .string()
  .trim()
  .min(1, 'validation.required')
  .max(60, 'validation.too_long')
  .refine((value) => !/[\p{Cc}\p{Cf}]/u.test(value), 'validation.hidden_characters');

export const supervisorCredentials = z.strictObject({ employeeNo, password });

export const actorSchema = z.object({
  tellerId: z.number().int(),
  employeeNo: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
});

/**
 * An account that can authorize or administer was created, had its password reset by an admin, or was given
 * such a role: shown to the next supervisor (other than that account) who logs in.
 */
export const accountNoticeSchema = z.object({
  kind: z.enum(['created', 'password_reset', 'role_changed']),
  at: z.string(),
  role: z.enum(ROLES),
  subject: z.object({ employeeNo: z.string(), name: z.string() }),
  by: z.object({ employeeNo: z.string(), name: z.string() }),
});
export type AccountNotice = z.infer<typeof accountNoticeSchema>;

const sessionState = z.object({
  actor: actorSchema.nullable(),
  locked: z.boolean(),
  mustChangePassword: z.boolean(),
  notices: z.array(accountNoticeSchema),
  idleLockMinutes: z.number().int(),
});

export const authMethods = {
  'auth.setup': defineMethod({
    access: 'public',
    input: z.strictObject({
      branchCode,
      desk: deskNumber,
      branchName,
      bankName: branchName,
      admin: z.strictObject({ employeeNo, name: personName, password: newPassword }),
    }),
    output: z.object({ done: z.literal(true) }),
  }),
  'auth.login': defineMethod({
    access: 'public',
    input: z.strictObject({ employeeNo, password }),
    output: sessionState,
  }),
  'auth.me': defineMethod({
    access: 'public',
    input: z.strictObject({}),
    output: sessionState,
  }),
  'auth.logout': defineMethod({
    access: 'session',
    input: z.strictObject({}),
    output: z.object({ done: z.literal(true) }),
  }),
  'auth.lock': defineMethod({
    access: 'session',
    input: z.strictObject({}),
    output: z.object({ done: z.literal(true) }),
  }),
  'auth.unlock': defineMethod({
    access: 'session',
    input: z.strictObject({ password }),
    output: sessionState,
  }),
  'auth.changePassword': defineMethod({
    access: 'session',
    input: z.strictObject({ current: password, next: newPassword }),
    output: z.object({ done: z.literal(true) }),
  }),
};
