// The unbind request as the teller submits it: one zod schema for the form (react-hook-form) and for
// the core, which re-validates every IPC input. Every issue's message is a validation code
// (codes.ts) and its path names the field, so the form shows the message beside it. The parsed
// output carries normalized values: ID numbers upper-case without spaces, mobiles as 11 digits,
// birth date and sex derived from the document number where it carries them.
import { z } from 'zod';
import { addYears, isValidCalendarDate } from './calendarDate';
import { ADULT_AGE, LONG_TERM_DOCUMENT_MIN_AGE, ageOn } from './age';
import {
  CHANNELS,
  FACE_COMPARISON_RESULTS,
  LONG_TERM,
  NOTIFICATION_CHANNELS,
  NOTIFICATION_LANGUAGES,
  ONLINE_CHECK_RESULTS,
  REASON_CODES,
  VERIFICATION_METHODS,
} from './applicationChoices';
import { EARLIEST_BIRTH_YEAR } from './birthDate';
import type { Check, ValidationCode, ValidationWarningCode } from './codes';
import { EMAIL_MAX_LENGTH, validateEmail } from './email';
import { ID_DOCUMENT_TYPES, documentCarriesBirthDate, validateIdNumber, type IdDocumentType, type IdNumberCheck } from './idNumber';
import { normalizeMobile, validateMobile } from './mobile';
import { isBlank, normalizeKeyed } from './normalize';
import { checkPersonName } from './personName';
import { validateMerchantNumber, validateTerminalId, validateTerminalSerial } from './posIdentifiers';
import { hiddenCharacterCode } from './textCharacters';

export const REASON_TEXT_MAX_LENGTH = 200;
/** A document valid for more than 20 years from the business date does not exist (longest term: 20 years). */
export const DOCUMENT_EXPIRY_MAX_YEARS = 20;

// Upper bounds on raw input, before normalization; the rules inside apply the real limits.
const RAW_NAME_MAX = 200;
const RAW_NUMBER_MAX = 40;
const RAW_MOBILE_MAX = 32;
const RAW_POS_MAX = 64;
const RAW_REASON_TEXT_MAX = 1000;
const DATE_MAX = 10;

// ---------------------------------------------------------------------------------------------
// Building blocks: every built-in zod issue gets a code instead of an English sentence.

type IssueCtx = { addIssue(issue: { code: 'custom'; message: string; path?: PropertyKey[] }): void };

function issue(ctx: IssueCtx, code: ValidationCode, path?: PropertyKey[]): void {
  ctx.addIssue(path === undefined ? { code: 'custom', message: code } : { code: 'custom', message: code, path });
}

const requiredOrInvalid = (iss: { input?: unknown }): ValidationCode =>
  iss.input === undefined ? 'field.required' : 'field.invalid';

function text(max: number) {
  return z.string({ error: requiredOrInvalid }).max(max, { error: 'field.too_long' });
}

function choice<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: requiredOrInvalid });
}

function flag() {
  return z.boolean({ error: requiredOrInvalid });
}

function section<S extends z.core.$ZodLooseShape>(shape: S) {
  return z.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? 'field.unknown' : requiredOrInvalid(iss)),
  });
}

/** A text field checked by a single-value rule unless it is left blank. */
function checkedUnlessBlank(max: number, rule: (raw: string) => Check) {
  return text(max).superRefine((raw, ctx) => {
    if (isBlank(raw)) return;
    const result = rule(raw);
    if (!result.ok) issue(ctx, result.code);
  });
}

function calendarDate(code: ValidationCode) {
  return text(DATE_MAX).superRefine((raw, ctx) => {
    if (!isBlank(raw) && !isValidCalendarDate(raw)) issue(ctx, code);
  });
}

function checkReasonText(raw: string): Check {
  const hidden = hiddenCharacterCode(raw);
  if (hidden !== undefined) return { ok: false, code: hidden };
  const value = raw.normalize('NFC').trim();
  if (Array.from(value).length > REASON_TEXT_MAX_LENGTH) return { ok: false, code: 'reason.text_too_long' };
  return { ok: true, value, warnings: [] };
}

// ---------------------------------------------------------------------------------------------
// Field by field

const personName = text(RAW_NAME_MAX).superRefine((raw, ctx) => {
  const result = checkPersonName(raw);
  if (!result.ok) issue(ctx, result.code);
});

const documentType = choice(ID_DOCUMENT_TYPES);

const agentSchema = section({
  name: personName,
  documentType,
  documentNumber: text(RAW_NUMBER_MAX),
});

const applicantSchema = section({
  name: personName,
  documentType,
  /** Checked against documentType and businessDate by the request-level rules. */
  documentNumber: text(RAW_NUMBER_MAX),
  /** 'YYYY-MM-DD' or 'long_term' (长期). */
  documentExpiry: text(DATE_MAX).superRefine((raw, ctx) => {
    if (raw !== LONG_TERM && !isValidCalendarDate(raw)) issue(ctx, 'document.expiry_format');
  }),
  /** A supervisor authorizes the use of an expired document. */
  expiredDocumentOverride: flag().default(false),
  /** Needed for documents whose number does not carry it; must agree with the number otherwise. */
  birthDate: calendarDate('applicant.birth_date_invalid').optional(),
  sex: choice(['M', 'F']).optional(),
  isAgent: flag(),
  agent: agentSchema.optional(),
});

const posSchema = section({
  merchantNumber: checkedUnlessBlank(RAW_POS_MAX, validateMerchantNumber).optional(),
  terminalId: checkedUnlessBlank(RAW_POS_MAX, validateTerminalId).optional(),
  terminalSerial: checkedUnlessBlank(RAW_POS_MAX, validateTerminalSerial).optional(),
});

const mobileSchema = section({
  bound: text(RAW_MOBILE_MAX).superRefine((raw, ctx) => {
    const result = validateMobile(raw);
    if (!result.ok) issue(ctx, result.code);
  }),
  /** Keyed a second time; compared after normalization. */
  boundConfirm: text(RAW_MOBILE_MAX),
  /** Optionally, a number to bind instead. */
  newMobile: checkedUnlessBlank(RAW_MOBILE_MAX, validateMobile).optional(),
  newMobileConfirm: text(RAW_MOBILE_MAX).optional(),
});

const reasonSchema = section({
  code: choice(REASON_CODES),
  text: checkedUnlessBlank(RAW_REASON_TEXT_MAX, checkReasonText).optional(),
});

const verificationSchema = section({
  method: choice(VERIFICATION_METHODS),
  /** The document number keyed a second time; required when the chip was not read. */
  documentNumberReentry: text(RAW_NUMBER_MAX).optional(),
  /**
   * The core's id of the chip read that filled the form (issue 14). `chip` is claimed with it; the core
   * accepts it only for a read it made itself in this window, whose facts the request still carries.
   */
  chipReadId: z.string().regex(/^[0-9a-f-]{36}$/u, 'verification.chip_read_required').optional(),
  onlineCheck: choice(ONLINE_CHECK_RESULTS),
  /** The core's record of the 联网核查 answer this result comes from; absent when the teller keyed the result. */
  onlineCheckId: z.int({ error: requiredOrInvalid }).min(1, { error: 'field.invalid' }).max(Number.MAX_SAFE_INTEGER, { error: 'field.invalid' }).optional(),
  faceComparison: choice(FACE_COMPARISON_RESULTS),
  holdsBoundPhone: flag(),
  /** 已进行风险提示: the teller has warned the customer about unbinding scams. */
  riskWarningAcknowledged: z.literal(true, { error: 'verification.risk_warning_required' }),
});

const notificationSchema = section({
  channel: choice(NOTIFICATION_CHANNELS),
  language: choice(NOTIFICATION_LANGUAGES).optional(),
  email: checkedUnlessBlank(EMAIL_MAX_LENGTH, validateEmail).optional(),
});

const consentSchema = section({
  /** PIPL art. 13/29: consent to processing personal (and sensitive) information. */
  personalInformation: z.literal(true, { error: 'consent.required' }),
});

const requestShape = section({
  /** The business day the request is for; age and expiry are judged on it. */
  businessDate: text(DATE_MAX).superRefine((raw, ctx) => {
    if (!isValidCalendarDate(raw)) issue(ctx, 'business_date.invalid');
  }),
  channel: choice(CHANNELS).default('counter'),
  applicant: applicantSchema,
  pos: posSchema,
  mobile: mobileSchema,
  reason: reasonSchema,
  verification: verificationSchema,
  notification: notificationSchema,
  consent: consentSchema,
});

type CheckedRequest = z.output<typeof requestShape>;

// ---------------------------------------------------------------------------------------------
// Rules across fields. They run even when some fields failed (so the form shows every problem at
// once), hence they read the half-parsed value defensively.

type Loose = { readonly [key: string]: unknown };

function record(v: unknown): Loose {
  return typeof v === 'object' && v !== null ? (v as Loose) : {};
}

/** A string that is not blank, else undefined. */
function filled(v: unknown): string | undefined {
  return typeof v === 'string' && !isBlank(v) ? v : undefined;
}

function asDocumentType(v: unknown): IdDocumentType | undefined {
  return (ID_DOCUMENT_TYPES as readonly unknown[]).includes(v) ? (v as IdDocumentType) : undefined;
}

function checkDocument(
  ctx: IssueCtx,
  holder: Loose,
  path: PropertyKey[],
  businessDate: string | undefined,
): { type: IdDocumentType; result: Extract<IdNumberCheck, { ok: true }> } | undefined {
  const type = asDocumentType(holder.documentType);
  const number = holder.documentNumber;
  if (type === undefined || typeof number !== 'string' || businessDate === undefined) return undefined;
  const result = validateIdNumber(type, number, { today: businessDate });
  if (!result.ok) {
    issue(ctx, result.code, [...path, 'documentNumber']);
    return undefined;
  }
  return { type, result };
}

function checkAcrossFields(value: unknown, ctx: IssueCtx): void {
  const request = record(value);
  const applicant = record(request.applicant);
  const businessDate =
    typeof request.businessDate === 'string' && isValidCalendarDate(request.businessDate) ? request.businessDate : undefined;
  const applicantType = asDocumentType(applicant.documentType);

  // The document and what it says about the holder.
  const document = checkDocument(ctx, applicant, ['applicant'], businessDate);
  const keyedBirthDate = filled(applicant.birthDate);
  let birthDate: string | undefined;
  if (applicantType !== undefined && documentCarriesBirthDate(applicantType)) {
    if (document !== undefined) {
      birthDate = document.result.birthDate;
      if (keyedBirthDate !== undefined && isValidCalendarDate(keyedBirthDate) && keyedBirthDate !== birthDate) {
        issue(ctx, 'applicant.birth_date_mismatch', ['applicant', 'birthDate']);
      }
      const keyedSex = applicant.sex;
      if ((keyedSex === 'M' || keyedSex === 'F') && document.result.sex !== undefined && keyedSex !== document.result.sex) {
        issue(ctx, 'applicant.sex_mismatch', ['applicant', 'sex']);
      }
    }
  } else if (applicantType !== undefined) {
    if (keyedBirthDate === undefined) {
      issue(ctx, 'applicant.birth_date_required', ['applicant', 'birthDate']);
    } else if (isValidCalendarDate(keyedBirthDate) && businessDate !== undefined) {
      if (Number(keyedBirthDate.slice(0, 4)) < EARLIEST_BIRTH_YEAR || keyedBirthDate > businessDate) {
        issue(ctx, 'applicant.birth_date_invalid', ['applicant', 'birthDate']);
      } else {
        birthDate = keyedBirthDate;
      }
    }
  }
  if (birthDate !== undefined && businessDate !== undefined && ageOn(birthDate, businessDate) < ADULT_AGE) {
    const where = document?.result.birthDate !== undefined ? 'documentNumber' : 'birthDate';
    issue(ctx, 'applicant.under_age', ['applicant', where]);
  }

  // Expiry. The shortest-lived card that matters here lasts 5 years, the longest 20, and only a
  // resident ID of someone 46 or older is long-term (居民身份证法 art. 5).
  const expiry = applicant.documentExpiry;
  if (typeof expiry === 'string' && businessDate !== undefined) {
    if (expiry === LONG_TERM) {
      const impossible =
        applicantType !== undefined &&
        (applicantType !== 'resident_id' ||
          (birthDate !== undefined && ageOn(birthDate, businessDate) < LONG_TERM_DOCUMENT_MIN_AGE));
      if (impossible) issue(ctx, 'document.long_term_invalid', ['applicant', 'documentExpiry']);
    } else if (isValidCalendarDate(expiry)) {
      // DOMAIN.md: an expired document is refused unless a supervisor authorizes.
      if (expiry < businessDate && applicant.expiredDocumentOverride !== true) {
        issue(ctx, 'document.expired', ['applicant', 'documentExpiry']);
      } else if (expiry > addYears(businessDate, DOCUMENT_EXPIRY_MAX_YEARS)) {
        issue(ctx, 'document.expiry_too_far', ['applicant', 'documentExpiry']);
      }
    }
  }

  // An agent (代办) acting for the applicant.
  if (applicant.isAgent === true && applicant.agent === undefined) {
    issue(ctx, 'agent.required', ['applicant', 'agent']);
  }
  if (applicant.isAgent === false && applicant.agent !== undefined) {
    issue(ctx, 'agent.not_expected', ['applicant', 'agent']);
  }
  if (applicant.isAgent === true && applicant.agent !== undefined) {
    const agentDocument = checkDocument(ctx, record(applicant.agent), ['applicant', 'agent'], businessDate);
    if (agentDocument !== undefined && businessDate !== undefined) {
      const agentBirthDate = agentDocument.result.birthDate;
      if (agentBirthDate !== undefined && ageOn(agentBirthDate, businessDate) < ADULT_AGE) {
        issue(ctx, 'agent.under_age', ['applicant', 'agent', 'documentNumber']);
      }
      if (document !== undefined && agentDocument.type === document.type && agentDocument.result.value === document.result.value) {
        issue(ctx, 'agent.same_as_applicant', ['applicant', 'agent', 'documentNumber']);
      }
    }
  }

  // The POS: merchant and terminal number, or the serial number.
  const pos = record(request.pos);
  const identified =
    (filled(pos.merchantNumber) !== undefined && filled(pos.terminalId) !== undefined) ||
    filled(pos.terminalSerial) !== undefined;
  if (!identified) issue(ctx, 'pos.identifiers_required', ['pos']);

  // Mobile numbers are keyed twice (DOMAIN.md) and compared after normalization.
  const mobile = record(request.mobile);
  const bound = typeof mobile.bound === 'string' ? validateMobile(mobile.bound) : undefined;
  const boundConfirm = filled(mobile.boundConfirm);
  if (boundConfirm === undefined) {
    issue(ctx, 'mobile.confirm_required', ['mobile', 'boundConfirm']);
  } else if (bound?.ok === true && normalizeMobile(boundConfirm) !== bound.value) {
    issue(ctx, 'mobile.confirm_mismatch', ['mobile', 'boundConfirm']);
  }
  const newMobile = filled(mobile.newMobile);
  const newMobileConfirm = filled(mobile.newMobileConfirm);
  if (newMobile !== undefined) {
    const replacement = validateMobile(newMobile);
    if (newMobileConfirm === undefined) {
      issue(ctx, 'mobile.confirm_required', ['mobile', 'newMobileConfirm']);
    } else if (replacement.ok && normalizeMobile(newMobileConfirm) !== replacement.value) {
      issue(ctx, 'mobile.confirm_mismatch', ['mobile', 'newMobileConfirm']);
    }
    if (replacement.ok && bound?.ok === true && replacement.value === bound.value) {
      issue(ctx, 'mobile.new_same_as_bound', ['mobile', 'newMobile']);
    }
  } else if (newMobileConfirm !== undefined) {
    issue(ctx, 'mobile.confirm_mismatch', ['mobile', 'newMobileConfirm']);
  }

  // 'Other' needs its reason in words.
  const reason = record(request.reason);
  if (reason.code === 'other' && filled(reason.text) === undefined) {
    issue(ctx, 'reason.text_required', ['reason', 'text']);
  }

  // Manual keying: the number is keyed twice.
  const verification = record(request.verification);
  const reentry = filled(verification.documentNumberReentry);
  if (verification.method === 'manual' && reentry === undefined) {
    issue(ctx, 'verification.reentry_required', ['verification', 'documentNumberReentry']);
  } else if (reentry !== undefined && typeof applicant.documentNumber === 'string'
    && normalizeKeyed(reentry) !== normalizeKeyed(applicant.documentNumber)) {
    issue(ctx, 'verification.reentry_mismatch', ['verification', 'documentNumberReentry']);
  }

  const notification = record(request.notification);
  if (notification.channel === 'email' && filled(notification.email) === undefined) {
    issue(ctx, 'notification.email_required', ['notification', 'email']);
  }
}

// ---------------------------------------------------------------------------------------------
// Output: the same request, normalized, with what the document number revealed.

function valueOf(result: Check | IdNumberCheck): string {
  // Only reached after every rule passed; a failure here is a bug in this file.
  if (!result.ok) throw new Error(`normalizing a value that failed ${result.code}`);
  return result.value;
}

function normalizedOptional(raw: string | undefined, rule: (raw: string) => Check): string | undefined {
  return raw === undefined || isBlank(raw) ? undefined : valueOf(rule(raw));
}

function toRequest(checked: CheckedRequest) {
  const { businessDate, applicant, pos, mobile, reason, verification, notification } = checked;
  const today = { today: businessDate };
  const document = validateIdNumber(applicant.documentType, applicant.documentNumber, today);
  if (!document.ok) throw new Error(`normalizing a document that failed ${document.code}`);
  const birthDate = document.birthDate ?? applicant.birthDate;
  if (birthDate === undefined) throw new Error('normalizing a request without a birth date');
  const sex = document.sex ?? applicant.sex;
  const merchantNumber = normalizedOptional(pos.merchantNumber, validateMerchantNumber);
  const terminalId = normalizedOptional(pos.terminalId, validateTerminalId);
  const terminalSerial = normalizedOptional(pos.terminalSerial, validateTerminalSerial);
  const newMobile = normalizedOptional(mobile.newMobile, validateMobile);
  const reasonText = normalizedOptional(reason.text, checkReasonText);
  const email = normalizedOptional(notification.email, validateEmail);
  const reentry = verification.documentNumberReentry;
  const agent = applicant.isAgent ? applicant.agent : undefined;

  return {
    businessDate,
    channel: checked.channel,
    applicant: {
      name: valueOf(checkPersonName(applicant.name)),
      documentType: applicant.documentType,
      documentNumber: document.value,
      documentExpiry: applicant.documentExpiry,
      expiredDocumentOverride: applicant.expiredDocumentOverride,
      birthDate,
      ...(sex === undefined ? {} : { sex }),
      isAgent: applicant.isAgent,
      ...(agent === undefined
        ? {}
        : {
            agent: {
              name: valueOf(checkPersonName(agent.name)),
              documentType: agent.documentType,
              documentNumber: valueOf(validateIdNumber(agent.documentType, agent.documentNumber, today)),
            },
          }),
    },
    pos: {
      ...(merchantNumber === undefined ? {} : { merchantNumber }),
      ...(terminalId === undefined ? {} : { terminalId }),
      ...(terminalSerial === undefined ? {} : { terminalSerial }),
    },
    mobile: {
      bound: valueOf(validateMobile(mobile.bound)),
      // Equal to the bound number once normalized, or the request would not have passed.
      boundConfirm: valueOf(validateMobile(mobile.boundConfirm)),
      ...(newMobile === undefined ? {} : { newMobile, newMobileConfirm: newMobile }),
    },
    reason: {
      code: reason.code,
      ...(reasonText === undefined || reasonText === '' ? {} : { text: reasonText }),
    },
    verification: {
      method: verification.method,
      ...(reentry === undefined || isBlank(reentry) ? {} : { documentNumberReentry: normalizeKeyed(reentry) }),
      onlineCheck: verification.onlineCheck,
      ...(verification.onlineCheckId === undefined ? {} : { onlineCheckId: verification.onlineCheckId }),
      faceComparison: verification.faceComparison,
      holdsBoundPhone: verification.holdsBoundPhone,
      riskWarningAcknowledged: verification.riskWarningAcknowledged,
      ...(verification.method === 'chip' && verification.chipReadId !== undefined ? { chipReadId: verification.chipReadId } : {}),
    },
    notification: {
      channel: notification.channel,
      ...(notification.language === undefined ? {} : { language: notification.language }),
      ...(email === undefined ? {} : { email }),
    },
    consent: checked.consent,
  };
}

/**
 * The whole request the teller submits. Parse with `safeParse`; on failure every issue's `message`
 * is a code from VALIDATION_CODES. The output is normalized and parses again to itself.
 */
export const applicationInputSchema = requestShape
  .superRefine((value, ctx) => checkAcrossFields(value, ctx), {
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  })
  .transform(toRequest);

/** The normalized request (the schema's output). */
export type ApplicationInput = z.output<typeof applicationInputSchema>;
/** What a form holds before parsing (the schema's input). */
export type ApplicationFormValues = z.input<typeof applicationInputSchema>;

export interface FieldWarning {
  path: string[];
  code: ValidationWarningCode;
}

/** Warnings to show beside the fields of an accepted request (unknown region, virtual operator…). */
export function applicationWarnings(request: ApplicationInput): FieldWarning[] {
  const today = { today: request.businessDate };
  const found: FieldWarning[] = [];
  const collect = (path: string[], result: Check | IdNumberCheck) => {
    if (result.ok) for (const code of result.warnings) found.push({ path, code });
  };
  collect(['applicant', 'documentNumber'], validateIdNumber(request.applicant.documentType, request.applicant.documentNumber, today));
  const agent = request.applicant.agent;
  if (agent !== undefined) {
    collect(['applicant', 'agent', 'documentNumber'], validateIdNumber(agent.documentType, agent.documentNumber, today));
  }
  collect(['mobile', 'bound'], validateMobile(request.mobile.bound));
  if (request.mobile.newMobile !== undefined) collect(['mobile', 'newMobile'], validateMobile(request.mobile.newMobile));
  return found;
}
