import { z } from 'zod';
import { authorizationPolicySchema } from '../rules';
import { defineMethod } from './method';
import { cardReaderSettingsSchema } from './cardReader';
import { branchCode, branchName } from './auth';

export const settingsSchema = z.object({
  branch: z.object({ code: z.string(), name: z.string(), bankName: z.string() }),
  authorizationPolicy: authorizationPolicySchema,
  idleLockMinutes: z.number().int(),
  retentionYears: z.number().int(),
  slip: z.object({ layout: z.enum(['a5', 'roll80']), parts: z.enum(['customer', 'bank', 'both']) }),
  printer: z.object({ mode: z.enum(['dialog', 'silent']), name: z.string().nullable() }),
  exportDir: z.string().nullable(),
  cardReader: cardReaderSettingsSchema,
});

export const settingsMethods = {
  'settings.get': defineMethod({
    access: 'personal',
    input: z.strictObject({}),
    output: settingsSchema,
  }),
  'settings.update': defineMethod({
    access: 'personal',
    roles: ['admin'],
    input: z.strictObject({
      branch: z.strictObject({ code: branchCode, name: branchName, bankName: branchName }).optional(),
      authorizationPolicy: authorizationPolicySchema.optional(),
      idleLockMinutes: z.number().int().min(1, 'settings.idle_range').max(120, 'settings.idle_range').optional(),
      retentionYears: z.number().int().min(5, 'settings.retention_range').max(30, 'settings.retention_range').optional(),
      slip: z.strictObject({ layout: z.enum(['a5', 'roll80']), parts: z.enum(['customer', 'bank', 'both']) }).optional(),
      printer: z.strictObject({ mode: z.enum(['dialog', 'silent']), name: z.string().trim().min(1).max(200).nullable() }).optional(),
      exportDir: z.string().max(1024).nullable().optional(),
      cardReader: cardReaderSettingsSchema.optional(),
    }),
    output: settingsSchema,
  }),
};
