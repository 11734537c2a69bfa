// The closed lists a request is made of (DOMAIN.md, "The request"). Stable codes; the renderer
// owns their labels.

/** The three channels that take unbind requests; the request records its own. */
export const CHANNELS = ['counter', 'online', 'hotline'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Why the merchant unbinds; 'other' needs a free-text reason. */
export const REASON_CODES = [
  'no_longer_needed',
  'switch_payment_method',
  'security_concern',
  'phone_changed',
  'other',
] as const;
export type UnbindReasonCode = (typeof REASON_CODES)[number];

/** How the document was read: the chip reader, or keyed by hand (then keyed twice). */
export const VERIFICATION_METHODS = ['chip', 'manual'] as const;
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number];

/**
 * Result of the online ID check (联网核查): 00/01 一致 (match), 02 name mismatch, 03 no such number,
 * 04/05/no answer 未能核查 (not checked).
 */
export const ONLINE_CHECK_RESULTS = ['match', 'name_mismatch', 'no_such_number', 'not_checked'] as const;
export type OnlineCheckResult = (typeof ONLINE_CHECK_RESULTS)[number];

/** Where the online check's result came from: the middleware's answer the core received, or the teller's keying. */
export const ONLINE_CHECK_SOURCES = ['online', 'keyed'] as const;
export type OnlineCheckSource = (typeof ONLINE_CHECK_SOURCES)[number];

/** The other document a supervisor saw when the online check did not say 一致 (银发〔2007〕345号). */
export const OTHER_DOCUMENTS = ['passport', 'household_register', 'driving_licence', 'social_security_card', 'temporary_resident_id', 'other'] as const;
export type OtherDocument = (typeof OTHER_DOCUMENTS)[number];

export const FACE_COMPARISON_RESULTS = ['match', 'mismatch', 'not_performed'] as const;
export type FaceComparisonResult = (typeof FACE_COMPARISON_RESULTS)[number];

/** How the applicant wants to hear the outcome. */
export const NOTIFICATION_CHANNELS = ['sms', 'phone', 'email'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** The language the customer wants the outcome in (absent: Chinese). */
export const NOTIFICATION_LANGUAGES = ['zh-CN', 'en'] as const;
export type NotificationLanguage = (typeof NOTIFICATION_LANGUAGES)[number];

/** Written in documentExpiry for a card valid for life (长期). */
export const LONG_TERM = 'long_term';
