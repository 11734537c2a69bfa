import { z } from 'zod';
import { defineMethod } from './method';
import { deskNumber } from './auth';

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
      // desk null: set up before desks were numbered; the admin must set it before any new request.
      branch: z.object({ code: z.string(), name: z.string(), desk: z.string().nullable() }).nullable(),
      setupDone: z.boolean(),
    }),
  }),
  // One time, on an installation set up before desks were numbered: refused once a desk is set.
  'system.setDesk': defineMethod({
    access: 'personal',
    roles: ['admin'],
    input: z.strictObject({ desk: deskNumber }),
    output: z.object({ desk: z.string() }),
  }),
};
