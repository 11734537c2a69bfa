import { z } from 'zod';
import { defineMethod } from './method';

/**
 * A printer's queue name as the spooler knows it: 1–127 printable characters without space, slash,
 * backslash, hash or quote (CUPS' own rule). The core checks, besides, that the spooler has it.
 */
export const printerNameSchema = z
  .string()
  .min(1, 'printer.name_invalid')
  .max(127, 'printer.name_invalid')
  .regex(/^[^\s/\\#'"\p{Cc}]+$/u, 'printer.name_invalid');

export const slipLayoutSchema = z.enum(['a5', 'roll80']);

/** A sentence for the teller in both languages (built in the core from the spooler's keywords). */
export const bilingualText = z.object({ 'zh-CN': z.string(), en: z.string() });

export const printOutcomeKinds = [
  'printed',
  'printer_missing',
  'not_accepting',
  'stopped',
  'held',
  'cancelled',
  'aborted',
  'timed_out',
  'spooler_unavailable',
  'dialog_printed',
  'dialog_failed',
  'not_configured',
] as const;

/** How a print ended: only `printed` (spooler) and `dialog_printed` (the teller pressed 打印 in the dialog) count. */
export const printResultSchema = z.object({
  outcome: z.enum(printOutcomeKinds),
  printer: z.string().nullable(),
  /** The spooler's job number, when a job was queued (branch IT finds it in `lpstat -W all`). */
  jobId: z.number().int().nullable(),
  text: bilingualText,
});

export const printerStatusSchema = z.object({
  name: z.string(),
  description: z.string(),
  isDefault: z.boolean(),
  state: z.enum(['idle', 'printing', 'stopped']),
  accepting: z.boolean(),
  reasons: z.array(z.string()),
  ready: z.boolean(),
  stateText: bilingualText,
});

export const printingMethods = {
  /**
   * How slips print on this desk and whether the printer for the slip's paper is ready now (asked of the
   * spooler on every call). `path`: `spooler` (CUPS), `dialog` (Windows print dialog), `download` (no printer:
   * the preview without CUPS).
   */
  'printing.status': defineMethod({
    access: 'personal',
    input: z.strictObject({}),
    output: z.object({
      path: z.enum(['spooler', 'dialog', 'download']),
      layout: slipLayoutSchema,
      /** The printer a slip goes to now (for the slip's paper), null when none is set. */
      printer: z.string().nullable(),
      configured: z.object({ a5: z.string().nullable(), roll80: z.string().nullable() }),
      /** Whether that printer can print now; null where nobody can say (dialog, download). */
      ready: z.boolean().nullable(),
      stateText: bilingualText.nullable(),
      printers: z.array(printerStatusSchema),
      /** Why the list is empty when the spooler did not answer. */
      spoolerError: bilingualText.nullable(),
    }),
  }),
  /** 打印测试页: a page marked 测试 (no customer data, no signature, not counted), audited. */
  'printing.testPage': defineMethod({
    access: 'personal',
    roles: ['admin'],
    input: z.strictObject({ layout: slipLayoutSchema, printer: printerNameSchema }),
    output: z.object({ printed: z.boolean(), result: printResultSchema }),
  }),
};
