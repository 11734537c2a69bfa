import { z } from 'zod';
import { defineMethod } from './method';
import { employeeNo, newPassword, personName, ROLES } from './auth';

export const tellerSchema = z.object({
  id: z.number().int(),
  employeeNo: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  disabled: z.boolean(),
  lockedUntil: z.string().nullable(),
  mustChangePassword: z.boolean(),
});

const admin = ['admin'] as const;

export const tellerMethods = {
  'tellers.list': defineMethod({
    access: 'personal',
    roles: admin,
    input: z.strictObject({}),
    output: z.object({ tellers: z.array(tellerSchema) }),
  }),
  'tellers.create': defineMethod({
    access: 'personal',
    roles: admin,
    input: z.strictObject({ employeeNo, name: personName, role: z.enum(ROLES), password: newPassword }),
    output: tellerSchema,
  }),
  'tellers.update': defineMethod({
    access: 'personal',
    roles: admin,
    input: z.strictObject({
      id: z.number().int().positive(),
      name: personName.optional(),
      role: z.enum(ROLES).optional(),
      disabled: z.boolean().optional(),
    }),
    output: tellerSchema,
  }),
  'tellers.resetPassword': defineMethod({
    access: 'personal',
    roles: admin,
    input: z.strictObject({ id: z.number().int().positive(), password: newPassword }),
    output: tellerSchema,
  }),
};
