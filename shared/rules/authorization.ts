// When a supervisor must authorize (DOMAIN.md, "When a supervisor must authorize"). The table is
// bank policy, not law: each request trigger can be switched and tuned in settings; the defaults
// below are DOMAIN.md's. An expired document is the exception: DOMAIN.md refuses it outright unless
// a supervisor authorizes, so that trigger cannot be switched off.
import { z } from 'zod';
import { ageOn } from './age';
import type { ApplicationInput } from './application';
import { LONG_TERM, type OnlineCheckSource } from './applicationChoices';
import type { ValidationCode } from './codes';
import { isVirtualOrSatelliteMobile } from './mobile';

/** Reasons that come from the content of a request, in the order they are reported. */
export const REQUEST_AUTHORIZATION_REASONS = [
  'online_check_exception',
  'online_check_not_checked',
  'online_check_keyed',
  'manual_entry',
  'face_mismatch',
  'non_resident_id_document',
  'document_expired',
  'document_expires_today',
  'agent',
  'phone_not_held',
  'virtual_or_satellite_number',
  'repeat_request',
  'elderly_applicant',
] as const;

/** Reasons that come from what someone does with a request or a day; the core applies them directly. */
export const ACTION_AUTHORIZATION_REASONS = [
  'edit_after_submit',
  'cancel_after_submit',
  'reprint',
  'unmasked_view',
  'reopen_day',
  'full_data_export',
  'exact_lookup',
] as const;

export const AUTHORIZATION_REASONS = [...REQUEST_AUTHORIZATION_REASONS, ...ACTION_AUTHORIZATION_REASONS] as const;

export type RequestAuthorizationReason = (typeof REQUEST_AUTHORIZATION_REASONS)[number];
export type ActionAuthorizationReason = (typeof ACTION_AUTHORIZATION_REASONS)[number];
export type AuthorizationReason = (typeof AUTHORIZATION_REASONS)[number];

export const DEFAULT_REPEAT_WINDOW_DAYS = 30;
export const DEFAULT_ELDERLY_AGE = 70;

const policyError = (iss: { code?: string; input?: unknown }): ValidationCode => {
  if (iss.code === 'unrecognized_keys') return 'field.unknown';
  if (iss.code === 'too_big' || iss.code === 'too_small') return 'field.out_of_range';
  return iss.input === undefined ? 'field.required' : 'field.invalid';
};

const trigger = z.strictObject({ enabled: z.boolean({ error: policyError }) }, { error: policyError });

/** A stored policy, as settings save it. Every request trigger except document_expired. */
export const authorizationPolicySchema = z.strictObject(
  {
    online_check_exception: trigger,
    /** A result keyed by the teller rather than received from the middleware (policies saved before it existed read as on). */
    online_check_keyed: trigger,
    manual_entry: trigger,
    face_mismatch: trigger,
    non_resident_id_document: trigger,
    document_expires_today: trigger,
    agent: trigger,
    phone_not_held: trigger,
    virtual_or_satellite_number: trigger,
    repeat_request: z.strictObject(
      {
        enabled: z.boolean({ error: policyError }),
        /** Requests for the same SN, merchant number or phone within this many days count as repeats. */
        repeatWindowDays: z.int({ error: policyError }).min(1, { error: policyError }).max(366, { error: policyError }),
      },
      { error: policyError },
    ),
    elderly_applicant: z.strictObject(
      {
        enabled: z.boolean({ error: policyError }),
        /** Applicants of this age or older need a supervisor. */
        elderlyAge: z.int({ error: policyError }).min(18, { error: policyError }).max(150, { error: policyError }),
      },
      { error: policyError },
    ),
  },
  { error: policyError },
);

export type AuthorizationPolicy = z.infer<typeof authorizationPolicySchema>;

export const defaultAuthorizationPolicy: AuthorizationPolicy = {
  online_check_exception: { enabled: true },
  online_check_keyed: { enabled: true },
  manual_entry: { enabled: true },
  face_mismatch: { enabled: true },
  non_resident_id_document: { enabled: true },
  document_expires_today: { enabled: true },
  agent: { enabled: true },
  phone_not_held: { enabled: true },
  virtual_or_satellite_number: { enabled: true },
  repeat_request: { enabled: true, repeatWindowDays: DEFAULT_REPEAT_WINDOW_DAYS },
  elderly_applicant: { enabled: true, elderlyAge: DEFAULT_ELDERLY_AGE },
};

/** What the caller knows beyond the request itself. */
export interface AuthorizationContext {
  /**
   * Other requests within the policy's repeatWindowDays for the same terminal serial, merchant
   * number and bound phone. The caller counts them (it owns the queue).
   */
  recentMatches: { serial: number; merchant: number; mobile: number };
  /**
   * Where the online check's result came from: 'online' only when the core holds the middleware's answer for
   * this request; 'keyed' otherwise (the teller picked it).
   */
  onlineCheckSource: OnlineCheckSource;
}

/** The reasons this request needs a supervisor, in REQUEST_AUTHORIZATION_REASONS order, each once. */
export function authorizationReasons(
  request: ApplicationInput,
  context: AuthorizationContext,
  policy: AuthorizationPolicy,
): RequestAuthorizationReason[] {
  const { applicant, verification, mobile, businessDate } = request;
  const found = new Set<RequestAuthorizationReason>();
  const when = (reason: RequestAuthorizationReason, enabled: boolean, applies: boolean) => {
    if (enabled && applies) found.add(reason);
  };

  // 02/03 are not a refusal by themselves: a supervisor sees another document (银发〔2007〕345号).
  when(
    'online_check_exception',
    policy.online_check_exception.enabled,
    verification.onlineCheck === 'name_mismatch' || verification.onlineCheck === 'no_such_number',
  );
  // 04/05, a timeout, no answer: not checked, which is never skipped (INTEGRATIONS.md).
  when('online_check_not_checked', true, verification.onlineCheck === 'not_checked');
  when('online_check_keyed', policy.online_check_keyed.enabled, context.onlineCheckSource !== 'online');
  when('manual_entry', policy.manual_entry.enabled, verification.method === 'manual');
  when('face_mismatch', policy.face_mismatch.enabled, verification.faceComparison === 'mismatch');
  when(
    'non_resident_id_document',
    policy.non_resident_id_document.enabled,
    applicant.documentType !== 'resident_id' ||
      (applicant.agent !== undefined && applicant.agent.documentType !== 'resident_id'),
  );
  const expiry = applicant.documentExpiry;
  when('document_expired', true, expiry !== LONG_TERM && expiry < businessDate);
  when('document_expires_today', policy.document_expires_today.enabled, expiry === businessDate);
  when('agent', policy.agent.enabled, applicant.isAgent);
  when('phone_not_held', policy.phone_not_held.enabled, !verification.holdsBoundPhone);
  when(
    'virtual_or_satellite_number',
    policy.virtual_or_satellite_number.enabled,
    isVirtualOrSatelliteMobile(mobile.bound) ||
      (mobile.newMobile !== undefined && isVirtualOrSatelliteMobile(mobile.newMobile)),
  );
  const { serial, merchant, mobile: phone } = context.recentMatches;
  when('repeat_request', policy.repeat_request.enabled, serial > 0 || merchant > 0 || phone > 0);
  when(
    'elderly_applicant',
    policy.elderly_applicant.enabled,
    ageOn(applicant.birthDate, businessDate) >= policy.elderly_applicant.elderlyAge,
  );

  return REQUEST_AUTHORIZATION_REASONS.filter((reason) => found.has(reason));
}
