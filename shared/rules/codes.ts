// Every code a rule can answer with. Codes are stable keys: the renderer translates them
// (renderer/i18n/validation.*.json), the core stores and reports them. Add, never rename.

/** Codes that refuse a value. */
export const VALIDATION_ERROR_CODES = [
  // Identity document numbers
  'id.required',
  'id.format',
  'id.length',
  'id.legacy_15',
  'id.checksum',
  'id.birth_date',
  'id.birth_date_future',
  'id.province',
  'id.wrong_document_type',
  'id.hmt_address_code',
  'id.foreign_pr_prefix',
  // Mobile numbers
  'mobile.required',
  'mobile.format',
  'mobile.iot_segment',
  'mobile.confirm_required',
  'mobile.confirm_mismatch',
  'mobile.new_same_as_bound',
  // POS identifiers
  'merchant.format',
  'terminal.format',
  'serial.format',
  'pos.identifiers_required',
  // Names and free text
  'name.required',
  'name.too_long',
  'name.format',
  'text.control_character',
  'text.bidi_control',
  'text.invisible_character',
  // The application as a whole
  'business_date.invalid',
  'applicant.under_age',
  'applicant.birth_date_required',
  'applicant.birth_date_invalid',
  'applicant.birth_date_mismatch',
  'applicant.sex_mismatch',
  'agent.required',
  'agent.not_expected',
  'agent.under_age',
  'agent.same_as_applicant',
  'document.expiry_format',
  'document.expired',
  'document.expiry_too_far',
  'document.long_term_invalid',
  'reason.text_required',
  'reason.text_too_long',
  'verification.reentry_required',
  'verification.reentry_mismatch',
  'verification.risk_warning_required',
  'verification.chip_read_required',
  'verification.chip_read_mismatch',
  'notification.email_required',
  'notification.email_format',
  'consent.required',
  // Shape of the request (missing field, wrong type, unknown key, oversized string)
  'field.required',
  'field.invalid',
  'field.too_long',
  'field.unknown',
  'field.out_of_range',
] as const;

/** Codes that let a value through but that the teller must see. */
export const VALIDATION_WARNING_CODES = [
  'id.unknown_region',
  'id.unknown_nationality',
  'mobile.virtual_operator',
  'mobile.satellite',
] as const;

export const VALIDATION_CODES = [...VALIDATION_ERROR_CODES, ...VALIDATION_WARNING_CODES] as const;

export type ValidationErrorCode = (typeof VALIDATION_ERROR_CODES)[number];
export type ValidationWarningCode = (typeof VALIDATION_WARNING_CODES)[number];
export type ValidationCode = (typeof VALIDATION_CODES)[number];

/**
 * The answer of every single-value rule: the normalized value with any warnings, or one error code.
 * `T` carries what the value reveals (birth date and sex of an ID number).
 */
export type Check<T = Record<never, never>> =
  | ({ ok: true; value: string; warnings: ValidationWarningCode[] } & T)
  | { ok: false; code: ValidationErrorCode };
