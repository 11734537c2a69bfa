import type { ActionAuthorizationReason, Result } from '../../../shared';
import { call } from '../../api/client';
import type { Credentials } from './SupervisorCredentials';

/**
 * A supervisor's grant for one action on one request. It is good for a couple of minutes and once only,
 * so it is asked for right before the action it allows.
 */
export function requestGrant(action: ActionAuthorizationReason, applicationId: number, credentials: Credentials): Promise<Result<{ grantId: number; supervisorNo: string }>> {
  return call('authorization.grant', {
    action,
    applicationId,
    supervisor: { employeeNo: credentials.employeeNo.trim(), password: credentials.password },
  });
}
