// 联网核查: the online citizen identity check, asked of the bank's middleware (INTEGRATIONS.md). The core
// owns this port and its JSON contract (README, "联网核查 contract"); the bank's middleware team maps it to
// their own. What comes back is evidence: the result code, the middleware's serial and the photo's hash.
import { z } from 'zod';
import type { IdDocumentType } from '../../../shared';

export const IDENTITY_CHECK_CONTRACT_VERSION = 1;

/** The result codes of the 联网核查 system (INTEGRATIONS.md). */
export const IDENTITY_CHECK_CODES = ['00', '01', '02', '03', '04', '05'] as const;
export type IdentityCheckCode = (typeof IDENTITY_CHECK_CODES)[number];

/** Why no answer counts: each has its own message for the teller and for branch IT. */
export const NOT_CHECKED_REASONS = ['configuration', 'timeout', 'unreachable', 'tls', 'http_status', 'malformed', 'oversized'] as const;
export type NotCheckedReason = (typeof NOT_CHECKED_REASONS)[number];

/** Upper bounds on the answer: the whole body, and the registered photo once decoded. */
export const MAX_ANSWER_BYTES = 192 * 1024;
export const MAX_PHOTO_BYTES = 96 * 1024;
const MAX_PHOTO_BASE64 = Math.ceil(MAX_PHOTO_BYTES / 3) * 4;

export interface IdentityCheckRequest {
  /** Our own transaction number, unique across the bank (the application number and the check's count). */
  transactionNo: string;
  name: string;
  documentType: IdDocumentType;
  documentNumber: string;
  branchCode: string;
  tellerNo: string;
  requestedAt: string;
}

export type IdentityCheckAnswer =
  | {
      kind: 'answered';
      code: IdentityCheckCode;
      serial: string;
      issuingAuthority: string | null;
      /** Only with code 00; shown to the teller, never stored (only its SHA-256). */
      photo: Buffer | null;
    }
  | { kind: 'not_checked'; reason: NotCheckedReason; /** HTTP status or TLS/network code, for branch IT; no personal data. */ detail: string | null };

/** The port: one call, one answer; never throws for anything the middleware does. */
export interface IdentityCheck {
  check(request: IdentityCheckRequest): Promise<IdentityCheckAnswer>;
}

// ---------------------------------------------------------------------------------------------
// The answer as the middleware sends it (contract v1), validated before anything is believed.

const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const answerSchema = z.strictObject({
  version: z.literal(IDENTITY_CHECK_CONTRACT_VERSION),
  transactionNo: z.string().max(64),
  result: z.enum(IDENTITY_CHECK_CODES),
  // At most 32 characters: what the A5 slip's longest page holds beside the result (slipPdf.test.ts).
  serial: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z_-]{0,31}$/),
  issuingAuthority: z.string().min(1).max(64).regex(/^[^\p{Cc}\p{Cf}]+$/u).optional(),
  photo: z.string().max(MAX_PHOTO_BASE64).regex(/^[A-Za-z0-9+/]+={0,2}$/).optional(),
});

/**
 * Reads a middleware answer body: a bad shape, a foreign transaction number, a photo that is not a JPEG or
 * PNG of bounded size, a photo missing on `00` or present on another code — each is "malformed".
 */
export function parseAnswer(body: Buffer, transactionNo: string): IdentityCheckAnswer {
  const malformed = (detail: string): IdentityCheckAnswer => ({ kind: 'not_checked', reason: 'malformed', detail });
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return malformed('not_json');
  }
  const parsed = answerSchema.safeParse(json);
  if (!parsed.success) return malformed(`shape:${parsed.error.issues[0]?.path.join('.') ?? ''}`);
  const answer = parsed.data;
  if (answer.transactionNo !== transactionNo) return malformed('transaction_no');
  let photo: Buffer | null = null;
  if (answer.result === '00') {
    if (answer.photo === undefined) return malformed('photo_missing');
    photo = Buffer.from(answer.photo, 'base64');
    if (photo.length === 0 || photo.length > MAX_PHOTO_BYTES) return malformed('photo_size');
    if (!photo.subarray(0, 3).equals(JPEG) && !photo.subarray(0, 8).equals(PNG)) return malformed('photo_format');
  } else if (answer.photo !== undefined) {
    return malformed('photo_unexpected');
  }
  return { kind: 'answered', code: answer.result, serial: answer.serial, issuingAuthority: answer.issuingAuthority ?? null, photo };
}

/** The request body, contract v1. */
export function requestBody(request: IdentityCheckRequest): string {
  return JSON.stringify({ version: IDENTITY_CHECK_CONTRACT_VERSION, ...request });
}

/** What a result means for the request: 00/01 一致, 02 name mismatch, 03 no such number, else not checked. */
export function onlineCheckResultOf(answer: { kind: 'answered'; code: IdentityCheckCode } | { kind: 'not_checked' }): 'match' | 'name_mismatch' | 'no_such_number' | 'not_checked' {
  if (answer.kind === 'not_checked') return 'not_checked';
  switch (answer.code) {
    case '00':
    case '01':
      return 'match';
    case '02':
      return 'name_mismatch';
    case '03':
      return 'no_such_number';
    default:
      return 'not_checked';
  }
}
