import { z } from 'zod';
import { defineMethod } from './method';
import { printerNameSchema, printResultSchema } from './printing';

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const receiptSchema = z.object({
  id: z.number().int(),
  printNo: z.number().int(),
  issuedAt: z.string(),
  issuedBy: z.string(),
  sha256: z.string(),
  bytes: z.number().int(),
  reprint: z.boolean(),
});

export const receiptMethods = {
  /** First print completes an approved request; a reprint needs a supervisor's `reprint` grant. */
  'receipts.issue': defineMethod({
    access: 'personal',
    /** `printer`: print this time to another printer than the one set for the paper (a retry after a failure). */
    input: z.strictObject({ id, version: id, grantId: id.optional(), printer: printerNameSchema.optional() }),
    output: z.object({
      /** The recorded slip; null when the print failed, and then nothing was recorded or changed. */
      receipt: receiptSchema.nullable(),
      /**
       * The slip as a file, only where there is no printer (the preview without CUPS): masked data only plus the
       * customer's signature image. Null when the slip went to a printer.
       */
      pdfBase64: z.string().nullable(),
      /** True when the spooler said the job printed (or the teller printed from the dialog). */
      printed: z.boolean(),
      /** How the print ended, in the teller's words; null without a printer. */
      print: printResultSchema.nullable(),
      warnings: z.array(z.string()),
      status: z.string(),
      version: z.number().int(),
    }),
  }),
  'receipts.list': defineMethod({
    access: 'personal',
    input: z.strictObject({ id }),
    output: z.object({ receipts: z.array(receiptSchema) }),
  }),
  'receipts.publicKey': defineMethod({
    access: 'personal',
    input: z.strictObject({}),
    output: z.object({ pem: z.string() }),
  }),
};
