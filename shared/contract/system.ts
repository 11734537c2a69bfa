import { z } from 'zod';
import { defineMethod } from './method';

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date.format');

export const systemMethods = {
  'system.ping': defineMethod({
    access: 'public',
    input: z.strictObject({ echo: z.string().max(64).optional() }),
    output: z.object({ pong: z.literal(true), echo: z.string().optional(), at: z.string() }),
  }),
  'system.info': defineMethod({
    access: 'public',
    input: z.strictObject({}),
    output: z.object({
      appVersion: z.string(),
      schemaVersion: z.number().int(),
      dataDir: z.string(),
      businessDate: isoDate,
      timeZone: z.string(),
      branch: z.object({ code: z.string(), name: z.string() }).nullable(),
      setupDone: z.boolean(),
    }),
  }),
};
