import { describe, expect, it } from 'vitest';
import {
  REQUEST_AUTHORIZATION_REASONS,
  applicationInputSchema,
  authorizationPolicySchema,
  authorizationReasons,
  type AuthorizationContext,
  defaultAuthorizationPolicy,
  type ApplicationFormValues,
  type ApplicationInput,
  type AuthorizationPolicy,
} from '../../../shared/rules';
import { AGENT_ID, residentIdBornOn, validRequest } from './sampleRequests';

const noRepeats: AuthorizationContext = { recentMatches: { serial: 0, merchant: 0, mobile: 0 }, onlineCheckSource: 'online' };

function request(change: (r: ApplicationFormValues) => void = () => {}): ApplicationInput {
  const form = validRequest();
  change(form);
  return applicationInputSchema.parse(form);
}

function policyWith(change: (p: AuthorizationPolicy) => void): AuthorizationPolicy {
  const policy = structuredClone(defaultAuthorizationPolicy);
  change(policy);
  return authorizationPolicySchema.parse(policy);
}

const reasonsFor = (change: (r: ApplicationFormValues) => void, policy = defaultAuthorizationPolicy, context = noRepeats) =>
  authorizationReasons(request(change), context, policy);

describe('when a supervisor must authorize a request', () => {
  it('needs no supervisor for a chip-read resident ID, matched online and by face, phone in hand', () => {
    expect(authorizationReasons(request(), noRepeats, defaultAuthorizationPolicy)).toEqual([]);
  });

  it('asks for one when the online ID check did not match', () => {
    expect(reasonsFor((r) => (r.verification.onlineCheck = 'name_mismatch'))).toEqual(['online_check_exception']);
    expect(reasonsFor((r) => (r.verification.onlineCheck = 'no_such_number'))).toEqual(['online_check_exception']);
  });

  it('always asks for one when the online check could not be done (04, 05, no answer), even with the exception switch off', () => {
    const off = { ...defaultAuthorizationPolicy, online_check_exception: { enabled: false } };
    expect(reasonsFor((r) => (r.verification.onlineCheck = 'not_checked'), off)).toEqual(['online_check_not_checked']);
    expect(reasonsFor((r) => (r.verification.onlineCheck = 'name_mismatch'), off)).toEqual([]);
  });

  it('asks for one when the teller keyed the result instead of the core receiving it, unless the bank switches that off', () => {
    const keyed = { ...noRepeats, onlineCheckSource: 'keyed' as const };
    expect(reasonsFor(() => undefined, defaultAuthorizationPolicy, keyed)).toEqual(['online_check_keyed']);
    expect(reasonsFor((r) => (r.verification.onlineCheck = 'name_mismatch'), defaultAuthorizationPolicy, keyed)).toEqual(['online_check_exception', 'online_check_keyed']);
    expect(reasonsFor(() => undefined, { ...defaultAuthorizationPolicy, online_check_keyed: { enabled: false } }, keyed)).toEqual([]);
  });

  it('asks for one when the document was keyed by hand instead of read from the chip', () => {
    expect(reasonsFor((r) => {
      r.verification.method = 'manual';
      r.verification.documentNumberReentry = r.applicant.documentNumber;
    })).toEqual(['manual_entry']);
  });

  it('asks for one when the face comparison did not match, but not when none was made', () => {
    expect(reasonsFor((r) => (r.verification.faceComparison = 'mismatch'))).toEqual(['face_mismatch']);
    expect(reasonsFor((r) => (r.verification.faceComparison = 'not_performed'))).toEqual([]);
  });

  it('asks for one for any document other than the resident ID, the applicant\'s or the agent\'s', () => {
    expect(reasonsFor((r) => {
      r.applicant.documentType = 'passport';
      r.applicant.documentNumber = 'E12345678';
      r.applicant.birthDate = '1980-01-01';
    })).toEqual(['non_resident_id_document']);
    expect(reasonsFor((r) => {
      r.applicant.documentType = 'hk_mo_travel_permit';
      r.applicant.documentNumber = 'H12345678';
      r.applicant.birthDate = '1980-01-01';
    })).toEqual(['non_resident_id_document']);
    expect(reasonsFor((r) => {
      r.applicant.isAgent = true;
      r.applicant.agent = { name: 'JOHN SMITH', documentType: 'passport', documentNumber: 'E12345678' };
    })).toEqual(['non_resident_id_document', 'agent']);
  });

  it('asks for one for an expired document accepted by override, and for one expiring today', () => {
    expect(reasonsFor((r) => {
      r.applicant.documentExpiry = '2025-05-31';
      r.applicant.expiredDocumentOverride = true;
    })).toEqual(['document_expired']);
    expect(reasonsFor((r) => (r.applicant.documentExpiry = '2025-06-01'))).toEqual(['document_expires_today']);
    expect(reasonsFor((r) => (r.applicant.documentExpiry = '2025-06-02'))).toEqual([]);
  });

  it('asks for one when an agent acts for the applicant', () => {
    expect(reasonsFor((r) => {
      r.applicant.isAgent = true;
      r.applicant.agent = { name: '李梅', documentType: 'resident_id', documentNumber: AGENT_ID };
    })).toEqual(['agent']);
  });

  it('asks for one when the applicant no longer holds the bound phone', () => {
    expect(reasonsFor((r) => (r.verification.holdsBoundPhone = false))).toEqual(['phone_not_held']);
  });

  it('asks for one for a virtual-operator or satellite number, bound or new', () => {
    expect(reasonsFor((r) => {
      r.mobile.bound = '17012345678';
      r.mobile.boundConfirm = '17012345678';
    })).toEqual(['virtual_or_satellite_number']);
    expect(reasonsFor((r) => {
      r.mobile.newMobile = '17491234567';
      r.mobile.newMobileConfirm = '17491234567';
    })).toEqual(['virtual_or_satellite_number']);
    expect(reasonsFor((r) => {
      r.mobile.bound = '14912345678';
      r.mobile.boundConfirm = '14912345678';
    })).toEqual([]);
  });

  it('asks for one for a repeat request for the same SN, merchant number or phone', () => {
    for (const recentMatches of [
      { serial: 1, merchant: 0, mobile: 0 },
      { serial: 0, merchant: 2, mobile: 0 },
      { serial: 0, merchant: 0, mobile: 1 },
    ]) {
      expect(reasonsFor(() => {}, defaultAuthorizationPolicy, { recentMatches, onlineCheckSource: 'online' })).toEqual(['repeat_request']);
    }
  });

  it('asks for one for an applicant aged 70 or over on the business date', () => {
    expect(reasonsFor((r) => (r.applicant.documentNumber = residentIdBornOn('1955-06-01')))).toEqual(['elderly_applicant']);
    expect(reasonsFor((r) => (r.applicant.documentNumber = residentIdBornOn('1955-06-02')))).toEqual([]);
  });

  it('reports every reason once, in a stable order', () => {
    const everything = reasonsFor(
      (r) => {
        r.applicant.documentType = 'passport';
        r.applicant.documentNumber = 'E12345678';
        r.applicant.birthDate = '1940-01-01';
        r.applicant.documentExpiry = '2025-05-01';
        r.applicant.expiredDocumentOverride = true;
        r.applicant.isAgent = true;
        r.applicant.agent = { name: '李梅', documentType: 'passport', documentNumber: 'G98765432' };
        r.verification = {
          method: 'manual',
          documentNumberReentry: 'E12345678',
          onlineCheck: 'name_mismatch',
          faceComparison: 'mismatch',
          holdsBoundPhone: false,
          riskWarningAcknowledged: true,
        };
        r.mobile = { bound: '16512345678', boundConfirm: '16512345678', newMobile: '17451234567', newMobileConfirm: '17451234567' };
      },
      defaultAuthorizationPolicy,
      { recentMatches: { serial: 3, merchant: 3, mobile: 3 }, onlineCheckSource: 'keyed' },
    );
    // One online-check result at a time: 02/03 here, so not "not checked".
    expect(everything).toEqual(REQUEST_AUTHORIZATION_REASONS.filter((reason) => reason !== 'document_expires_today' && reason !== 'online_check_not_checked'));
  });
});

describe('the authorization policy', () => {
  it('ships every trigger switched on with 30 days and age 70', () => {
    expect(authorizationPolicySchema.parse(defaultAuthorizationPolicy)).toEqual(defaultAuthorizationPolicy);
    expect(defaultAuthorizationPolicy.repeat_request.repeatWindowDays).toBe(30);
    expect(defaultAuthorizationPolicy.elderly_applicant.elderlyAge).toBe(70);
    for (const [name, trigger] of Object.entries(defaultAuthorizationPolicy)) expect(trigger.enabled, name).toBe(true);
  });

  it('switches a trigger off', () => {
    const off = policyWith((p) => {
      p.online_check_exception.enabled = false;
      p.phone_not_held.enabled = false;
    });
    expect(reasonsFor((r) => {
      r.verification.onlineCheck = 'no_such_number';
      r.verification.holdsBoundPhone = false;
      r.verification.faceComparison = 'mismatch';
    }, off)).toEqual(['face_mismatch']);
    expect(reasonsFor(() => {}, policyWith((p) => (p.repeat_request.enabled = false)), { recentMatches: { serial: 5, merchant: 5, mobile: 5 }, onlineCheckSource: 'online' })).toEqual([]);
    expect(reasonsFor((r) => (r.applicant.documentNumber = residentIdBornOn('1930-01-01')), policyWith((p) => (p.elderly_applicant.enabled = false)))).toEqual([]);
  });

  it('moves the elderly age as the bank decides', () => {
    const at65 = policyWith((p) => (p.elderly_applicant.elderlyAge = 65));
    expect(reasonsFor((r) => (r.applicant.documentNumber = residentIdBornOn('1960-06-01')), at65)).toEqual(['elderly_applicant']);
    expect(reasonsFor((r) => (r.applicant.documentNumber = residentIdBornOn('1960-06-02')), at65)).toEqual([]);
  });

  it('cannot switch off the authorization of an expired document', () => {
    const everythingOff = policyWith((p) => {
      for (const trigger of Object.values(p)) trigger.enabled = false;
    });
    expect(reasonsFor((r) => {
      r.applicant.documentExpiry = '2024-01-01';
      r.applicant.expiredDocumentOverride = true;
    }, everythingOff)).toEqual(['document_expired']);
    expect(authorizationPolicySchema.safeParse({ ...defaultAuthorizationPolicy, document_expired: { enabled: false } }).success).toBe(false);
  });

  it('refuses a stored policy that is incomplete, out of range or has unknown keys', () => {
    const messages = (policy: unknown) => {
      const result = authorizationPolicySchema.safeParse(policy);
      return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}:${i.message}`);
    };
    const { agent: _agent, ...withoutAgent } = defaultAuthorizationPolicy;
    expect(messages(withoutAgent)).toEqual(['agent:field.required']);
    expect(messages(policyWith(() => {}))).toEqual([]);
    expect(messages({ ...defaultAuthorizationPolicy, repeat_request: { enabled: true, repeatWindowDays: 0 } })).toEqual(['repeat_request.repeatWindowDays:field.out_of_range']);
    expect(messages({ ...defaultAuthorizationPolicy, repeat_request: { enabled: true, repeatWindowDays: 7.5 } })).toEqual(['repeat_request.repeatWindowDays:field.invalid']);
    expect(messages({ ...defaultAuthorizationPolicy, elderly_applicant: { enabled: true, elderlyAge: 200 } })).toEqual(['elderly_applicant.elderlyAge:field.out_of_range']);
    expect(messages({ ...defaultAuthorizationPolicy, agent: { enabled: true, note: 'x' } })).toEqual(['agent:field.unknown']);
  });
});
