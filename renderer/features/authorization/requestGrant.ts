import type { ActionAuthorizationReason, Result } from '../../../shared';
import { call } from '../../api/client';
import type { Credentials } from './SupervisorCredentials';

/** What a grant is for: one request, a whole business day (full-data export, reopening), or neither (one exact lookup). */
export type GrantScope = { applicationId: number } | { businessDate: string } | Record<string, never>;

/**
 * A supervisor's grant for one action on one request or day. It is good for a couple of minutes and once
 * only, so it is asked for right before the action it allows.
 */
export function requestGrant(action: ActionAuthorizationReason, scope: GrantScope, credentials: Credentials): Promise<Result<{ grantId: number; supervisorNo: string }>> {
  return call('authorization.grant', {
    action,
    ...scope,
    supervisor: { employeeNo: credentials.employeeNo.trim(), password: credentials.password },
  });
}
