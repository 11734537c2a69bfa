import { z } from 'zod';
import { ID_DOCUMENT_TYPES, looksLikeApplicationNumber, type ApplicationInput } from '../../../shared';

/**
 * Our contract with the acquirer (README "Acquirer hand-off: the HTTPS contract"). JSON, versioned by the
 * `contract` field; an acquirer's integration team maps it to theirs. Every answer is parsed with these
 * schemas before anything is recorded: a field out of bounds, an unknown outcome or an answer about another
 * request is an error, never a fact.
 */
export const ACQUIRER_CONTRACT = 'unbinddesk.acquirer.v1';

/** Headers of the hand-off POST. */
export const HEADER_SIGNATURE = 'x-unbinddesk-signature';
export const HEADER_KEY_FINGERPRINT = 'x-unbinddesk-key';
export const HEADER_IDEMPOTENCY = 'idempotency-key';

// Either form: `<branch>-<desk>-<YYYYMMDD>-<seq>`, or `<branch>-<YYYYMMDD>-<seq>` issued before desks were numbered.
export const applicationNumber = z.string().max(40).refine(looksLikeApplicationNumber);
/** The acquirer's reference for a request: printable ASCII, bounded. */
export const acquirerReference = z.string().regex(/^[\x21-\x7e]{1,64}$/);
/** The acquirer's reason: one line of text (no control characters), bounded; shown to staff and the customer. */
export const acquirerReason = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((text) => !/[\p{Cc}\p{Cf}]/u.test(text), 'reason.control_characters');
const instant = z.iso.datetime({ offset: true });

/** What we POST: the request's unmasked data the acquirer needs to unbind the terminal. */
export const handoffRequestSchema = z.strictObject({
  contract: z.literal(ACQUIRER_CONTRACT),
  applicationNumber,
  branch: z.strictObject({ code: z.string().min(1).max(20), name: z.string().min(1).max(60), bank: z.string().max(60) }),
  businessDate: z.iso.date(),
  completedAt: instant,
  merchant: z.strictObject({
    merchantNumber: z.string().max(20).nullable(),
    terminalId: z.string().max(20).nullable(),
    terminalSerial: z.string().max(40).nullable(),
  }),
  applicant: z.strictObject({
    name: z.string().min(1).max(50),
    documentType: z.enum(ID_DOCUMENT_TYPES),
    documentNumber: z.string().min(1).max(30),
    boundMobile: z.string().min(1).max(20),
  }),
  newMobile: z.string().max(20).nullable(),
  reasonCode: z.string().max(40),
});
export type HandoffRequest = z.infer<typeof handoffRequestSchema>;

/** The answer to the POST (HTTP 200): the acquirer took the request, or refused it with its reason. */
export const handoffAnswerSchema = z.discriminatedUnion('result', [
  z.strictObject({ contract: z.literal(ACQUIRER_CONTRACT), applicationNumber, result: z.literal('accepted'), acquirerReference }),
  z.strictObject({ contract: z.literal(ACQUIRER_CONTRACT), applicationNumber, result: z.literal('refused'), reason: acquirerReason, acquirerReference: acquirerReference.optional() }),
]);
export type HandoffAnswer = z.infer<typeof handoffAnswerSchema>;

/** The answer to the status GET: still pending, or final. */
export const statusAnswerSchema = z.discriminatedUnion('status', [
  z.strictObject({ contract: z.literal(ACQUIRER_CONTRACT), applicationNumber, acquirerReference, status: z.literal('pending') }),
  z.strictObject({ contract: z.literal(ACQUIRER_CONTRACT), applicationNumber, acquirerReference, status: z.literal('unbound'), decidedAt: instant }),
  z.strictObject({ contract: z.literal(ACQUIRER_CONTRACT), applicationNumber, acquirerReference, status: z.literal('unbind_failed'), decidedAt: instant, reason: acquirerReason }),
]);
export type StatusAnswer = z.infer<typeof statusAnswerSchema>;

/** The largest answer body read; anything longer is a malformed answer. */
export const MAX_ANSWER_BYTES = 16 * 1024;

export function handoffRequestOf(
  application: { number: string; business_date: string; completed_at: string },
  request: ApplicationInput,
  branch: { code: string; name: string; bankName: string },
): HandoffRequest {
  return handoffRequestSchema.parse({
    contract: ACQUIRER_CONTRACT,
    applicationNumber: application.number,
    branch: { code: branch.code, name: branch.name, bank: branch.bankName },
    businessDate: application.business_date,
    completedAt: application.completed_at,
    merchant: {
      merchantNumber: request.pos.merchantNumber ?? null,
      terminalId: request.pos.terminalId ?? null,
      terminalSerial: request.pos.terminalSerial ?? null,
    },
    applicant: {
      name: request.applicant.name,
      documentType: request.applicant.documentType,
      documentNumber: request.applicant.documentNumber,
      boundMobile: request.mobile.bound,
    },
    newMobile: request.mobile.newMobile ?? null,
    reasonCode: request.reason.code,
  });
}
