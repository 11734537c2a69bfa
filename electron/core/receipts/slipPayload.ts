import { createHash } from 'node:crypto';
import { z } from 'zod';
import { parseApplicationNumber } from '../../../shared';
import { canonicalJson } from '../crypto/signing';
import { assertOnlyMaskedPersonalData } from './maskedPersonalData';
import type { SlipModel } from './slipModel';

/**
 * The signed payload of a slip, format UDR1 (QR prefix); payload version `v` 2 since desks were numbered,
 * 1 before (and still for a request numbered before, whose number has no desk). Both verify. The same bytes go into the PDF's Info dictionary (keys
 * UnbindDeskPayload and UnbindDeskSignature) and into the QR code, so a slip can be checked offline
 * from the file or from the paper.
 *
 * QR text: `UDR1.<canonical JSON (RFC 8785) of the payload>.<Ed25519 signature, base64url>`. The JSON is
 * carried as is rather than base64url-encoded: a quarter smaller, and a phone's scanner shows the
 * application number readably. The signature has no '.', so the text splits at its first and last dot.
 *
 * The whole QR text must fit QR_BUDGET_BYTES (528) so the code stays at version ≤ 18 (89 modules; level
 * M holds 561 bytes there), which still prints at ≥ 0.5 mm per module on an 80 mm roll. The longest
 * realistic slip (12-character branch code, 10-character employee numbers, 32-character SN, a reprint
 * with its supervisor, a keyed 联网核查 result and a chip read) takes 521 bytes in version 2, which carries the
 * branch and the desk only inside the application number (version 2 has no `b`: 19 bytes kept for the evidence); a slip over the budget is refused, not printed. Keys are
 * therefore one letter:
 *
 * | key | meaning                                   | form                                      |
 * |-----|-------------------------------------------|-------------------------------------------|
 * | v   | payload format version                    | 2 (1: numbers issued before desks)        |
 * | a   | application number (受理编号)             | as issued: <branch>-<desk>-<YYYYMMDD>-<seq> (v 1: <branch>-<YYYYMMDD>-<seq>) |
 * | b   | branch code                               | v 1 only: in v 2 it is the branch in `a` (a branch's code never changes) |
 * | d   | business date                             | YYYYMMDD                                  |
 * | t   | time of this print, Beijing time          | YYYYMMDDHHmmss                            |
 * | f   | time of the first print (reprints only)   | YYYYMMDDHHmmss                            |
 * | p   | print count                               | 1 = original, 2… = reprint                |
 * | s   | status                                    | "accepted" (已受理; the slip never says done) |
 * | k   | document type                             | ID RP FP HM TW PP (see DOCUMENT_TYPE_CODES) |
 * | i   | document number, masked                   | 1101**********002X                        |
 * | m   | mobile number to unbind, masked           | 138****5678                               |
 * | n   | new mobile number, masked (if any)        |                                           |
 * | c   | merchant number (if any)                  |                                           |
 * | e   | terminal number (if any)                  |                                           |
 * | r   | terminal serial number, SN (if any)       |                                           |
 * | o   | teller (经办) employee number             |                                           |
 * | w   | reviewer (复核) employee number (if any)  |                                           |
 * | z   | authorizer (授权) employee number (if any)|                                           |
 * | y   | reprint authorizer (重打授权)             | reprints only: the supervisor who allowed it |
 * | g   | customer's signature image (if any)       | first 16 bytes of its SHA-256, base64url  |
 * | j   | 联网核查 evidence (if recorded)            | 00–05 the middleware's code, NC no answer; K+M/N/X/C keyed by the teller (match, name mismatch, no such number, not checked) |
 * | x   | chip read evidence (chip requests only)   | first 5 bytes of SHA-256("samId|textSha256|photoSha256"), base64url (the QR budget leaves no more) |
 * | q   | audit-chain head sequence number          | integer                                   |
 * | h   | audit-chain head hash                     | first 16 bytes of its SHA-256, base64url  |
 *
 * The middleware's serial is printed on the slip, not carried here (the QR budget): the audit-chain head `h`
 * covers the audit row that recorded it, with the photo's SHA-256.
 *
 * Both hashes are cut to 128 bits to fit the budget: still 2^128 work to forge a second signature
 * image or audit row with the same prefix. Absent values are left out rather than written as null.
 */
export const RECEIPT_FORMAT = 'UDR1';
export const QR_BUDGET_BYTES = 528;
/** Custom keys of the PDF's Info dictionary: the payload text exactly as signed, and the signature. */
export const PAYLOAD_INFO_KEY = 'UnbindDeskPayload';
export const SIGNATURE_INFO_KEY = 'UnbindDeskSignature';
const HASH_PREFIX_BYTES = 16;

export const DOCUMENT_TYPE_CODES = {
  resident_id: 'ID',
  hmt_residence_permit: 'RP',
  foreign_permanent_resident: 'FP',
  hk_mo_travel_permit: 'HM',
  tw_travel_permit: 'TW',
  passport: 'PP',
} as const satisfies Record<SlipModel['documentType'], string>;

type DocumentTypeCode = (typeof DOCUMENT_TYPE_CODES)[SlipModel['documentType']];
const DOCUMENT_TYPES_BY_CODE = Object.fromEntries(
  Object.entries(DOCUMENT_TYPE_CODES).map(([type, code]) => [code, type]),
) as Record<DocumentTypeCode, SlipModel['documentType']>;

// Every value is printable ASCII without '"' or '\', so the canonical JSON is exactly as long as the
// values and the budget can be checked by counting characters.
const employeeNo = z.string().regex(/^[0-9A-Za-z]{1,20}$/);
const hashPrefix = z.string().regex(/^[A-Za-z0-9_-]{22}$/);

export const slipPayloadSchema = z.strictObject({
  v: z.union([z.literal(1), z.literal(2)]),
  a: z.string().regex(/^[0-9A-Za-z-]{1,32}$/),
  b: z.string().regex(/^[0-9A-Za-z]{1,16}$/).optional(),
  d: z.string().regex(/^\d{8}$/),
  t: z.string().regex(/^\d{14}$/),
  f: z.string().regex(/^\d{14}$/).optional(),
  p: z.number().int().min(1).max(999),
  s: z.literal('accepted'),
  k: z.enum(Object.values(DOCUMENT_TYPE_CODES) as [DocumentTypeCode, ...DocumentTypeCode[]]),
  i: z.string().regex(/^[0-9A-Za-z*]{1,24}$/),
  m: z.string().regex(/^[0-9*]{1,16}$/),
  n: z.string().regex(/^[0-9*]{1,16}$/).optional(),
  c: z.string().regex(/^[0-9A-Z]{15}$/).optional(),
  e: z.string().regex(/^[0-9A-Z]{8}$/).optional(),
  r: z.string().regex(/^[0-9A-Z-]{6,32}$/).optional(),
  o: employeeNo,
  w: employeeNo.optional(),
  z: employeeNo.optional(),
  y: employeeNo.optional(),
  g: hashPrefix.optional(),
  j: z.string().regex(/^(0[0-5]|NC|K[MNXC])$/).optional(),
  x: z.string().regex(/^[A-Za-z0-9_-]{7}$/).optional(),
  q: z.number().int().min(0),
  h: hashPrefix,
}).refine(
  // Version 2: the number names branch and desk (<branch>-<desk>-<YYYYMMDD>-<seq>), and nothing repeats them;
  // version 1: a number without a desk, and the branch code beside it.
  (payload) => (payload.v === 2 ? payload.b === undefined && parseApplicationNumber(payload.a)?.desk != null : payload.b !== undefined && parseApplicationNumber(payload.a)?.desk == null),
  { path: ['a'] },
);

export type SlipPayload = z.infer<typeof slipPayloadSchema>;

/** The payload read back in the bank's words, for the CLI and the verification screen. */
export interface ReceiptFields {
  applicationNumber: string;
  branchCode: string;
  /** The desk (counter) that issued the number; null on a version-1 slip (numbered before desks). */
  desk: string | null;
  businessDate: string; // YYYY-MM-DD
  issuedAt: string; // YYYY-MM-DD HH:mm:ss, Beijing time
  firstPrintedAt: string;
  printCount: number;
  status: 'accepted';
  documentType: SlipModel['documentType'];
  documentNumberMasked: string;
  mobileMasked: string;
  newMobileMasked: string | null;
  merchantNumber: string | null;
  terminalId: string | null;
  terminalSerial: string | null;
  tellerNo: string;
  reviewerNo: string | null;
  authorizerNo: string | null;
  reprintAuthorizerNo: string | null;
  /** Hex of the first 16 bytes of the signature image's SHA-256: compare with the stored hash's start. */
  signatureSha256Prefix: string | null;
  /** 联网核查 as signed: the middleware's code (00–05, or NC for no answer), or the teller's keyed result. */
  onlineCheck: { source: 'online'; code: string } | { source: 'keyed'; result: 'match' | 'name_mismatch' | 'no_such_number' | 'not_checked' } | null;
  /** Hex of the first 5 bytes of SHA-256("samId|textSha256|photoSha256") of the chip read; null when keyed. */
  chipEvidencePrefix: string | null;
  auditHead: { seq: number; hashPrefix: string /* hex, first 16 bytes */ };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const SHA256_HEX = /^[0-9a-f]{64}$/i;

/** Builds the payload to sign. Throws on a model the slip cannot honestly represent. */
export function buildSlipPayload(model: SlipModel): SlipPayload {
  assertOnlyMaskedPersonalData(model);
  if (!SHA256_HEX.test(model.auditHead.hash)) throw new RangeError('slip.audit_head_hash: not a hex SHA-256');
  const number = parseApplicationNumber(model.applicationNumber);
  const desk = number?.desk ?? null;
  // Version 2 signs the branch only as part of the number, so the slip's branch must be the number's.
  if (desk !== null && number?.branch !== model.branchCode) throw new RangeError('slip.branch_code: not the branch in the application number');
  const candidate = {
    v: desk === null ? 1 : 2,
    a: model.applicationNumber,
    ...(desk === null ? { b: model.branchCode } : {}),
    d: compact(model.businessDate, DATE, 'businessDate'),
    t: compact(model.issuedAt, WALL_CLOCK, 'issuedAt'),
    ...(model.printCount > 1 ? { f: compact(model.firstPrintedAt, WALL_CLOCK, 'firstPrintedAt') } : {}),
    p: model.printCount,
    s: 'accepted',
    k: DOCUMENT_TYPE_CODES[model.documentType],
    i: model.documentNumberMasked,
    m: model.mobileMasked,
    ...present('n', model.newMobileMasked),
    ...present('c', model.merchantNumber),
    ...present('e', model.terminalId),
    ...present('r', model.terminalSerial),
    o: model.tellerNo,
    ...present('w', model.reviewerNo),
    ...present('z', model.authorizerNo),
    ...(model.printCount > 1 ? present('y', model.reprintAuthorizerNo) : {}),
    ...present('g', signatureHashPrefix(model)),
    ...present('j', onlineCheckCode(model)),
    ...present('x', chipEvidencePrefix(model)),
    q: model.auditHead.seq,
    h: Buffer.from(model.auditHead.hash, 'hex').subarray(0, HASH_PREFIX_BYTES).toString('base64url'),
  };
  const parsed = slipPayloadSchema.safeParse(candidate);
  // Name the fields, never the values: some of them are personal data.
  if (!parsed.success) throw new RangeError(`slip.payload_invalid: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  return parsed.data;
}

/** The exact text that is signed and embedded. */
export function slipPayloadText(payload: SlipPayload): string {
  return canonicalJson(payload);
}

export function receiptQrText(payload: SlipPayload, signature: string): string {
  return `${RECEIPT_FORMAT}.${slipPayloadText(payload)}.${signature}`;
}

/** Splits a scanned QR text into payload text and signature; null when it is not a UDR1 receipt code. */
export function splitReceiptQrText(text: string): { payloadText: string; signature: string } | null {
  const prefix = `${RECEIPT_FORMAT}.`;
  const lastDot = text.lastIndexOf('.');
  if (!text.startsWith(prefix) || lastDot < prefix.length) return null;
  return { payloadText: text.slice(prefix.length, lastDot), signature: text.slice(lastDot + 1) };
}

export type PayloadReading = { ok: true; payload: SlipPayload } | { ok: false; reason: 'receipt.payload_malformed' | 'receipt.payload_not_canonical' };

/**
 * Reads a payload text back. It must be the canonical form itself, not merely parse to the same value:
 * a slip whose embedded text was altered in any byte is not the slip that was issued.
 */
export function readSlipPayload(text: string): PayloadReading {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'receipt.payload_malformed' };
  }
  const parsed = slipPayloadSchema.safeParse(value);
  if (!parsed.success) return { ok: false, reason: 'receipt.payload_malformed' };
  if (canonicalJson(parsed.data) !== text) return { ok: false, reason: 'receipt.payload_not_canonical' };
  return { ok: true, payload: parsed.data };
}

export function receiptFields(payload: SlipPayload): ReceiptFields {
  const issuedAt = expandWallClock(payload.t);
  return {
    applicationNumber: payload.a,
    branchCode: payload.b ?? parseApplicationNumber(payload.a)?.branch ?? '',
    desk: payload.v === 2 ? (parseApplicationNumber(payload.a)?.desk ?? null) : null,
    businessDate: payload.d.replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3'),
    issuedAt,
    firstPrintedAt: payload.f === undefined ? issuedAt : expandWallClock(payload.f),
    printCount: payload.p,
    status: payload.s,
    documentType: DOCUMENT_TYPES_BY_CODE[payload.k],
    documentNumberMasked: payload.i,
    mobileMasked: payload.m,
    newMobileMasked: payload.n ?? null,
    merchantNumber: payload.c ?? null,
    terminalId: payload.e ?? null,
    terminalSerial: payload.r ?? null,
    tellerNo: payload.o,
    reviewerNo: payload.w ?? null,
    authorizerNo: payload.z ?? null,
    reprintAuthorizerNo: payload.y ?? null,
    signatureSha256Prefix: payload.g === undefined ? null : Buffer.from(payload.g, 'base64url').toString('hex'),
    onlineCheck:
      payload.j === undefined
        ? null
        : payload.j.startsWith('K')
          ? { source: 'keyed', result: KEYED_RESULTS[payload.j.slice(1) as keyof typeof KEYED_RESULTS] }
          : { source: 'online', code: payload.j },
    chipEvidencePrefix: payload.x === undefined ? null : Buffer.from(payload.x, 'base64url').toString('hex'),
    auditHead: { seq: payload.q, hashPrefix: Buffer.from(payload.h, 'base64url').toString('hex') },
  };
}

const KEYED_RESULTS = { M: 'match', N: 'name_mismatch', X: 'no_such_number', C: 'not_checked' } as const;
const KEYED_LETTERS = { match: 'M', name_mismatch: 'N', no_such_number: 'X', not_checked: 'C' } as const;

function onlineCheckCode(model: SlipModel): string | null {
  const evidence = model.verification.onlineCheckEvidence;
  if (!evidence) return null;
  if (evidence.source === 'keyed') return `K${KEYED_LETTERS[model.verification.onlineCheck]}`;
  return evidence.code ?? 'NC';
}

function compact(value: string, pattern: RegExp, field: string): string {
  const match = pattern.exec(value);
  if (!match) throw new RangeError(`slip.${field}: not in the expected form`);
  return match.slice(1).join('');
}

function expandWallClock(compactTime: string): string {
  return compactTime.replace(/^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/, '$1-$2-$3 $4:$5:$6');
}

function present<K extends string>(key: K, value: string | null): Partial<Record<K, string>> {
  return value === null ? {} : ({ [key]: value } as Record<K, string>);
}

/**
 * The hash printed into the payload is of the image actually drawn on the slip; when the model also
 * carries the stored hash, the two must agree, or the slip would vouch for a signature it does not show.
 */
/**
 * The digest of the chip read's evidence, to compare with the request's stored evidence. 5 bytes: with the
 * longest realistic slip the QR text then takes exactly the 528-byte budget; the full evidence is on the
 * request's row and in its hash-chained audit row, which the payload's `h` already pins.
 */
export function chipEvidenceDigest(chip: { samId: string; textSha256: string; photoSha256: string }): Buffer {
  return createHash('sha256').update(`${chip.samId}|${chip.textSha256}|${chip.photoSha256}`, 'utf8').digest().subarray(0, 5);
}

function chipEvidencePrefix(model: SlipModel): string | null {
  const chip = model.verification.method === 'chip' ? model.verification.chip : null;
  return chip ? chipEvidenceDigest(chip).toString('base64url') : null;
}

function signatureHashPrefix(model: SlipModel): string | null {
  const stored = model.signatureSha256?.toLowerCase() ?? null;
  if (stored !== null && !SHA256_HEX.test(stored)) throw new RangeError('slip.signature_sha256: not a hex SHA-256');
  const drawn = model.signaturePng === null ? null : createHash('sha256').update(model.signaturePng).digest('hex');
  if (drawn !== null && stored !== null && drawn !== stored) throw new RangeError('slip.signature_sha256: does not match the signature image');
  const hash = drawn ?? stored;
  return hash === null ? null : Buffer.from(hash, 'hex').subarray(0, HASH_PREFIX_BYTES).toString('base64url');
}
