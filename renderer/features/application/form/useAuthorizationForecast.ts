import { useEffect, useRef, useState } from 'react';
import { useWatch, type Control } from 'react-hook-form';
import {
  authorizationReasons,
  validateMerchantNumber,
  validateMobile,
  validateTerminalSerial,
  type ApplicationFormValues,
  type AuthorizationPolicy,
  type RequestAuthorizationReason,
} from '../../../../shared';
import { call } from '../../../api/client';
import type { ApplicationDraft } from '../drafts/DraftStore';
import { provisionalRequest } from './provisionalRequest';

export interface RecentMatches {
  serial: number;
  merchant: number;
  mobile: number;
  windowDays: number;
}

export interface AuthorizationForecast {
  reasons: RequestAuthorizationReason[];
  /** False while the form is incomplete: more reasons may appear as it is filled in. */
  complete: boolean;
  recent: RecentMatches | null;
}

const RULES_DELAY_MS = 150;
const REPEAT_CHECK_DELAY_MS = 400;
const NO_MATCHES = { serial: 0, merchant: 0, mobile: 0 };

/** The identifiers worth asking the queue about: only complete, valid ones. */
function repeatKeys(values: ApplicationDraft): { merchantNumber?: string; terminalSerial?: string; mobile?: string } {
  const pos = values.pos ?? {};
  const merchant = pos.merchantNumber ? validateMerchantNumber(pos.merchantNumber) : undefined;
  const serial = pos.terminalSerial ? validateTerminalSerial(pos.terminalSerial) : undefined;
  const mobile = values.mobile?.bound ? validateMobile(values.mobile.bound) : undefined;
  return {
    ...(merchant?.ok ? { merchantNumber: merchant.value } : {}),
    ...(serial?.ok ? { terminalSerial: serial.value } : {}),
    ...(mobile?.ok ? { mobile: mobile.value } : {}),
  };
}

/**
 * Every reason a supervisor will have to authorize, worked out live from the form with the bank's own
 * rule and the branch's policy; repeat requests are counted by the core (it owns the queue), asked a
 * moment after the merchant number, SN or phone stops changing.
 */
export function useAuthorizationForecast(options: {
  control: Control<ApplicationFormValues>;
  applicationId: number;
  businessDate: string;
  policy: AuthorizationPolicy;
}): AuthorizationForecast {
  const { control, applicationId, businessDate, policy } = options;
  const values = useWatch({ control }) as ApplicationDraft;
  const [recent, setRecent] = useState<RecentMatches | null>(null);
  const [forecast, setForecast] = useState<AuthorizationForecast>({ reasons: [], complete: false, recent: null });
  const askedFor = useRef('');

  const keys = repeatKeys(values);
  const keysSignature = JSON.stringify(keys);

  useEffect(() => {
    if (keysSignature === askedFor.current) return;
    const timer = setTimeout(() => {
      askedFor.current = keysSignature;
      const wanted = JSON.parse(keysSignature) as ReturnType<typeof repeatKeys>;
      if (Object.keys(wanted).length === 0) {
        setRecent(null);
        return;
      }
      void call('applications.repeatCheck', { businessDate, excludeId: applicationId, ...wanted }).then((result) => {
        if (result.ok && askedFor.current === keysSignature) setRecent(result.value);
      });
    }, REPEAT_CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [keysSignature, businessDate, applicationId]);

  useEffect(() => {
    const timer = setTimeout(() => {
      const { request, complete } = provisionalRequest(values, businessDate);
      // A forecast: the core decides from the evidence it holds, the form only from the check it was shown.
      const onlineCheckSource = values.verification?.onlineCheckId !== undefined ? 'online' : 'keyed';
      const reasons = authorizationReasons(request, { recentMatches: recent ?? NO_MATCHES, onlineCheckSource }, policy);
      setForecast({ reasons, complete, recent });
    }, RULES_DELAY_MS);
    return () => clearTimeout(timer);
  }, [values, businessDate, policy, recent]);

  return forecast;
}
