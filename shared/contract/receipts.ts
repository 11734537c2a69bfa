import { z } from 'zod';
import { defineMethod } from './method';

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
    input: z.strictObject({ id, version: id, grantId: id.optional() }),
    output: z.object({
      receipt: receiptSchema,
      /** The slip itself, for the print preview or a download; masked data only (plus the customer's signature image). */
      pdfBase64: z.string(),
      /** True when the Electron shell sent it to a printer. */
      printed: z.boolean(),
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
