import { z } from 'zod';
import { defineMethod } from './method';
import { isoDate } from './system';
import { applicationSummarySchema } from './applications';

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const supervisorOnly = ['supervisor'] as const;

export const dayExportSchema = z.object({
  batch: z.number().int(),
  dir: z.string(),
  at: z.string(),
  operatorNo: z.string(),
  /** Every file in the bundle's folder, manifest.json included. */
  files: z.array(z.object({ name: z.string(), sha256: z.string(), bytes: z.number().int() })),
  fullData: z.boolean(),
  /** Codes the supervisor should read, e.g. 'slip.missing_glyph': a name in report.pdf printed with '?'. */
  warnings: z.array(z.string()),
});

export const dayStatusSchema = z.object({
  businessDate: z.string(),
  status: z.enum(['open', 'closed']),
  closedAt: z.string().nullable(),
  closedBy: z.string().nullable(),
  openItems: z.array(applicationSummarySchema),
  counts: z.record(z.string(), z.number().int()),
  carriedOver: z.number().int(),
  exports: z.array(dayExportSchema),
  exportDir: z.string().nullable(),
  /** Personal data purged at this day's close because it was past the retention years (DOMAIN.md). */
  purged: z.object({ applications: z.number().int(), receipts: z.number().int(), cutoff: z.string() }).nullable(),
});

export const dayCloseMethods = {
  'dayclose.status': defineMethod({
    access: 'personal',
    input: z.strictObject({ businessDate: isoDate.optional() }),
    output: dayStatusSchema,
  }),
  /** An open request moves to the next business day with its status (audited). */
  'dayclose.carryOver': defineMethod({
    access: 'personal',
    roles: supervisorOnly,
    input: z.strictObject({ id, version: id }),
    output: applicationSummarySchema,
  }),
  'dayclose.close': defineMethod({
    access: 'personal',
    roles: supervisorOnly,
    input: z.strictObject({ businessDate: isoDate }),
    output: dayStatusSchema,
  }),
  /** Writes the signed bundle of a closed day; the full-data hand-off file only with a `full_data_export` grant. */
  'dayclose.export': defineMethod({
    access: 'personal',
    roles: supervisorOnly,
    input: z.strictObject({ businessDate: isoDate, fullDataGrantId: id.optional() }),
    output: dayExportSchema,
  }),
  /** Needs an admin at the keyboard and a supervisor's `reopen_day` grant. */
  'dayclose.reopen': defineMethod({
    access: 'personal',
    roles: ['admin'],
    input: z.strictObject({ businessDate: isoDate, grantId: id }),
    output: dayStatusSchema,
  }),
};
