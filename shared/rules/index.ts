// The bank's validation rules: pure functions and data, no Node, DOM or Electron. Import from here.
export type { Check, ValidationCode, ValidationErrorCode, ValidationWarningCode } from './codes';
export { VALIDATION_CODES, VALIDATION_ERROR_CODES, VALIDATION_WARNING_CODES } from './codes';

export { normalizeKeyed, normalizeTerminalSerial } from './normalize';
export { isValidCalendarDate, isLeapYear, addYears } from './calendarDate';
export { ageOn, documentValidity, ADULT_AGE, LONG_TERM_DOCUMENT_MIN_AGE, type DocumentValidity } from './age';

export { ID_DOCUMENT_TYPES, validateIdNumber, documentCarriesBirthDate } from './idNumber';
export type { IdDocumentType, IdNumberCheck } from './idNumber';
export { birthDateFromTwoDigitYear } from './foreignPermanentResident';
export { mod11_2CheckCharacter, icao9303CheckDigit } from './checkCharacters';
export {
  regionOf,
  isKnownAddressCode,
  MAINLAND_PROVINCE_CODES,
  HMT_RESIDENCE_PERMIT_ADDRESS_CODES,
  type Region,
} from './regions';

export { validateMobile, normalizeMobile, mobileSegmentKind, isVirtualOrSatelliteMobile } from './mobile';
export { MOBILE_SEGMENTS, type MobileSegment, type MobileSegmentKind } from './mobileSegments';
export { validateMerchantNumber, validateTerminalId, validateTerminalSerial } from './posIdentifiers';
export { validateEmail } from './email';
export { checkPersonName, normalizePersonName, PERSON_NAME_MAX_LENGTH } from './personName';
export { hiddenCharacterCode, isPlainText } from './textCharacters';

export { maskIdNumber, maskMobile, maskName } from './masking';
export { ACQUIRER_REASONS, acquirerReasonForStaff, acquirerReasonWords, type AcquirerReasonLanguage } from './acquirerReasons';
export { ANTI_FRAUD_HOTLINE, RISK_POINTS, RISK_WARNINGS, RISK_WARNING_TEXT, type RiskPoint } from './riskWarnings';

export {
  CHANNELS,
  REASON_CODES,
  VERIFICATION_METHODS,
  ONLINE_CHECK_RESULTS,
  ONLINE_CHECK_SOURCES,
  OTHER_DOCUMENTS,
  FACE_COMPARISON_RESULTS,
  NOTIFICATION_CHANNELS,
  NOTIFICATION_LANGUAGES,
  LONG_TERM,
} from './applicationChoices';
export type {
  Channel,
  UnbindReasonCode,
  VerificationMethod,
  OnlineCheckResult,
  OnlineCheckSource,
  OtherDocument,
  FaceComparisonResult,
  NotificationChannel,
  NotificationLanguage,
} from './applicationChoices';
export { applicationInputSchema, applicationWarnings, REASON_TEXT_MAX_LENGTH } from './application';
export type { ApplicationInput, ApplicationFormValues, FieldWarning } from './application';

export {
  authorizationReasons,
  authorizationPolicySchema,
  defaultAuthorizationPolicy,
  AUTHORIZATION_REASONS,
  REQUEST_AUTHORIZATION_REASONS,
  ACTION_AUTHORIZATION_REASONS,
  DEFAULT_ELDERLY_AGE,
  DEFAULT_REPEAT_WINDOW_DAYS,
} from './authorization';
export type {
  AuthorizationReason,
  RequestAuthorizationReason,
  ActionAuthorizationReason,
  AuthorizationPolicy,
  AuthorizationContext,
} from './authorization';

export {
  syntheticRandom,
  makeResidentIdNumber,
  makeHmtResidencePermitNumber,
  makeForeignPermanentResidentNumber2023,
  makeForeignPermanentResidentNumber2017,
  makeMobile,
  makeMerchantNumber,
  makeTerminalId,
  makeTerminalSerial,
  makePersonName,
  makeBirthDate,
  makeSyntheticResident,
} from './syntheticIdentities';
export type { SyntheticRandom, SyntheticResident } from './syntheticIdentities';

export {
  DESK_NUMBER,
  isDeskNumber,
  formatApplicationNumber,
  parseApplicationNumber,
  looksLikeApplicationNumber,
  ticketLabel,
  type ApplicationNumberParts,
} from './applicationNumber';
