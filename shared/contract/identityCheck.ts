import { z } from 'zod';
import { ID_DOCUMENT_TYPES, ONLINE_CHECK_RESULTS } from '../rules';
import { defineMethod } from './method';

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const identityCheckResultSchema = z.object({
  /** The core's record of this check; the request names it in verification.onlineCheckId. */
  checkId: z.number().int(),
  transactionNo: z.string(),
  checkedAt: z.string(),
  outcome: z.enum(['answered', 'not_checked']),
  /** 00–05 when the middleware answered. */
  code: z.enum(['00', '01', '02', '03', '04', '05']).nullable(),
  /** Why nothing counts as an answer: configuration, timeout, unreachable, tls, http_status, malformed, oversized. */
  notCheckedReason: z.string().nullable(),
  serial: z.string().nullable(),
  /** What the request's online-check field becomes. */
  onlineCheck: z.enum(ONLINE_CHECK_RESULTS),
  issuingAuthority: z.string().nullable(),
  /** The registered photo (code 00), for the teller's comparison; never stored. */
  photoBase64: z.string().nullable(),
  photoSha256: z.string().nullable(),
});
export type IdentityCheckResult = z.infer<typeof identityCheckResultSchema>;

export const identityCheckMethods = {
  /** 联网核查: the core asks the bank's middleware and records the answer as evidence for this request. */
  'identityCheck.run': defineMethod({
    access: 'personal',
    input: z.strictObject({
      id,
      name: z.string().max(200, 'field.too_long'),
      documentType: z.enum(ID_DOCUMENT_TYPES),
      documentNumber: z.string().max(40, 'field.too_long'),
    }),
    output: identityCheckResultSchema,
  }),
};
