import { z } from 'zod';
import { ACTION_AUTHORIZATION_REASONS, applicationInputSchema, ID_DOCUMENT_TYPES, OTHER_DOCUMENTS } from '../rules';
import { APPLICATION_STATUSES, OUTCOME_REASON_CODES } from '../lifecycle';
import { defineMethod } from './method';
import { chipEvidenceSchema } from './cardReader';
import { supervisorCredentials } from './auth';
import { isoDate } from './system';

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const version = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const note = z
  .string()
  .trim()
  .max(200, 'validation.too_long')
  .refine((value) => !/[\p{Cc}\p{Cf}]/u.test(value), 'validation.hidden_characters');
const statusSchema = z.enum(APPLICATION_STATUSES);

export const applicationSummarySchema = z.object({
  id: z.number().int(),
  number: z.string(),
  ticketNo: z.number().int(),
  status: statusSchema,
  version: z.number().int(),
  businessDate: z.string(),
  channel: z.enum(['counter', 'online', 'hotline']),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string(),
  applicantNameMasked: z.string().nullable(),
  documentType: z.enum(ID_DOCUMENT_TYPES).nullable(),
  documentNumberMasked: z.string().nullable(),
  mobileMasked: z.string().nullable(),
  merchantNumber: z.string().nullable(),
  terminalId: z.string().nullable(),
  terminalSerial: z.string().nullable(),
  authorizationReasons: z.array(z.string()),
  carriedFrom: z.string().nullable(),
});
export type ApplicationSummary = z.infer<typeof applicationSummarySchema>;

/** The request as lists and the detail screen show it: personal data masked. */
export const maskedRequestSchema = z.object({
  applicantNameMasked: z.string(),
  documentType: z.enum(ID_DOCUMENT_TYPES),
  documentNumberMasked: z.string(),
  documentExpiry: z.string(),
  age: z.number().int().nullable(),
  sex: z.enum(['M', 'F']).nullable(),
  isAgent: z.boolean(),
  agentNameMasked: z.string().nullable(),
  agentDocumentNumberMasked: z.string().nullable(),
  mobileMasked: z.string(),
  newMobileMasked: z.string().nullable(),
  merchantNumber: z.string().nullable(),
  terminalId: z.string().nullable(),
  terminalSerial: z.string().nullable(),
  reasonCode: z.string(),
  reasonText: z.string().nullable(),
  verification: z.object({
    method: z.string(),
    onlineCheck: z.string(),
    faceComparison: z.string(),
    holdsBoundPhone: z.boolean(),
    /** The chip read's evidence (issue 14); null when keyed by hand. */
    chip: chipEvidenceSchema.nullable().optional(),
  }),
  notificationChannel: z.string(),
  emailMasked: z.string().nullable(),
});

export const historyEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorNo: z.string().nullable(),
  action: z.string(),
  details: z.record(z.string(), z.unknown()),
});

export const applicationDetailSchema = applicationSummarySchema.extend({
  request: maskedRequestSchema.nullable(),
  outcomeReason: z.string().nullable(),
  authorizerNo: z.string().nullable(),
  keyedBy: z.string().nullable(),
  submittedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  hasSignature: z.boolean(),
  printCount: z.number().int(),
  /** 联网核查 evidence: where the result came from and, when online, the middleware's serial and the photo's hash. */
  identityCheck: z
    .object({
      source: z.enum(['online', 'keyed']),
      transactionNo: z.string().nullable(),
      resultCode: z.string().nullable(),
      notCheckedReason: z.string().nullable(),
      serial: z.string().nullable(),
      checkedAt: z.string().nullable(),
      photoSha256: z.string().nullable(),
    })
    .nullable(),
  otherDocument: z.string().nullable(),
  /** When the personal data was purged at the end of the retention period; the business record stays. */
  purgedAt: z.string().nullable(),
  history: z.array(historyEntrySchema),
  /** What the acquirer said: its reference, its outcome and reason, the business date it arrived; null before it answered. */
  acquirer: z
    .object({
      reference: z.string().nullable(),
      outcome: z.enum(['unbound', 'unbind_failed']).nullable(),
      reason: z.string().nullable(),
      arrivedOn: z.string().nullable(),
    })
    .nullable()
    .optional(),
});
export type ApplicationDetail = z.infer<typeof applicationDetailSchema>;

const statusCounts = z.record(z.string(), z.number().int());

const personal = 'personal' as const;

export const applicationMethods = {
  'applications.register': defineMethod({
    access: personal,
    input: z.strictObject({ channel: z.enum(['counter', 'online', 'hotline']).default('counter') }),
    output: applicationSummarySchema,
  }),
  'applications.startReview': defineMethod({
    access: personal,
    input: z.strictObject({ id, version }),
    output: applicationSummarySchema,
  }),
  'applications.submit': defineMethod({
    access: personal,
    input: z.strictObject({ id, version, request: applicationInputSchema }),
    output: applicationSummarySchema,
  }),
  'applications.edit': defineMethod({
    access: personal,
    input: z.strictObject({ id, version, request: applicationInputSchema, grantId: id }),
    output: applicationSummarySchema,
  }),
  'applications.authorize': defineMethod({
    access: personal,
    input: z.strictObject({
      id,
      version,
      supervisor: supervisorCredentials,
      decision: z.enum(['approve', 'decline']),
      reasonCode: z.enum(OUTCOME_REASON_CODES).optional(),
      note: note.optional(),
      /** Required to approve a request whose online check said 02/03: the other document the supervisor saw. */
      otherDocument: z.enum(OTHER_DOCUMENTS).optional(),
    }),
    output: applicationSummarySchema,
  }),
  'applications.reject': defineMethod({
    access: personal,
    input: z.strictObject({ id, version, reasonCode: z.enum(OUTCOME_REASON_CODES), note: note.optional() }),
    output: applicationSummarySchema,
  }),
  'applications.cancel': defineMethod({
    access: personal,
    input: z.strictObject({ id, version, reasonCode: z.enum(OUTCOME_REASON_CODES), note: note.optional(), grantId: id.optional() }),
    output: applicationSummarySchema,
  }),
  'applications.setSignature': defineMethod({
    access: personal,
    input: z.strictObject({
      id,
      version,
      // base64 PNG; 256 KB of image is far more than a signature needs.
      pngBase64: z.string().min(100, 'signature.empty').max(350_000, 'signature.too_large').regex(/^[A-Za-z0-9+/]+={0,2}$/, 'signature.format'),
    }),
    output: applicationSummarySchema,
  }),
  'applications.board': defineMethod({
    access: personal,
    input: z.strictObject({
      businessDate: isoDate.optional(),
      statuses: z.array(statusSchema).max(APPLICATION_STATUSES.length).optional(),
      page: z.number().int().min(1).max(100_000).default(1),
      pageSize: z.number().int().min(1).max(5000).default(50),
    }),
    output: z.object({ rows: z.array(applicationSummarySchema), total: z.number().int(), counts: statusCounts, businessDate: z.string() }),
  }),
  'applications.get': defineMethod({
    access: personal,
    input: z.strictObject({ id }),
    output: applicationDetailSchema,
  }),
  'applications.search': defineMethod({
    access: personal,
    // grantId: a supervisor's `exact_lookup` grant, for one exact phone or ID lookup beyond the teller's budget.
    input: z.strictObject({ query: z.string().trim().min(1, 'validation.required').max(64, 'validation.too_long'), grantId: id.optional() }),
    output: z.object({ kind: z.string(), rows: z.array(applicationSummarySchema) }),
  }),
  'applications.repeatCheck': defineMethod({
    access: personal,
    input: z.strictObject({
      businessDate: isoDate,
      merchantNumber: z.string().max(64).optional(),
      terminalSerial: z.string().max(64).optional(),
      mobile: z.string().max(32).optional(),
      excludeId: id.optional(),
      grantId: id.optional(),
    }),
    output: z.object({ serial: z.number().int(), merchant: z.number().int(), mobile: z.number().int(), windowDays: z.number().int() }),
  }),
  'applications.reveal': defineMethod({
    access: personal,
    input: z.strictObject({ id, grantId: id }),
    output: z.object({
      applicantName: z.string(),
      documentNumber: z.string(),
      mobile: z.string(),
      newMobile: z.string().nullable(),
      agentName: z.string().nullable(),
      agentDocumentNumber: z.string().nullable(),
      email: z.string().nullable(),
      request: z.record(z.string(), z.unknown()),
    }),
  }),
  'authorization.grant': defineMethod({
    access: personal,
    input: z.strictObject({
      action: z.enum(ACTION_AUTHORIZATION_REASONS),
      applicationId: id.optional(),
      businessDate: isoDate.optional(),
      supervisor: supervisorCredentials,
      note: note.optional(),
    }),
    output: z.object({ grantId: z.number().int(), expiresAt: z.string(), supervisorNo: z.string() }),
  }),
  'audit.verify': defineMethod({
    access: personal,
    roles: ['supervisor', 'admin'],
    input: z.strictObject({}),
    output: z.object({
      ok: z.boolean(),
      rows: z.number().int(),
      firstBadSeq: z.number().int().nullable(),
      reason: z.string().nullable(),
      head: z.object({ seq: z.number().int(), hash: z.string(), at: z.string(), signature: z.string() }).nullable(),
      // Every difference found: rows cut off below a signed head, a head the chain does not hold, a request
      // whose status or authorizer is not what its audit rows say. Codes are translated in the renderer.
      differences: z.array(
        z.object({ code: z.string(), seq: z.number().int().nullable(), subject: z.string().nullable(), expected: z.string().nullable(), found: z.string().nullable() }),
      ),
    }),
  }),
};
