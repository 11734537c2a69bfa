import { randomUUID } from 'node:crypto';
import type { MethodInput, MethodName, MethodOutput } from '../../shared';
import type { RunningPreview } from '../support/preview';
import { ADMIN, BRANCH } from './counterDesk';

/**
 * Calls the core the way the page does — same loopback bridge, same token — from the test, for the
 * set-up a test is not about. `client` is the bridge's session key, like one browser tab.
 */
export async function callCore<M extends MethodName>(preview: RunningPreview, client: string, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const response = await fetch(`${preview.origin}/rpc`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: preview.origin, 'X-Counter-Token': preview.token, 'X-Counter-Client': client },
    body: JSON.stringify({ method, input }),
  });
  const result = (await response.json()) as { ok: true; value: MethodOutput<M> } | { ok: false; error: unknown };
  if (!result.ok) throw new Error(`${method} failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

/** The branch and its admin, set up over the bridge (the setup screen has a test of its own). */
export async function setUpBranchOverBridge(preview: RunningPreview): Promise<void> {
  await callCore(preview, `setup-${randomUUID()}`, 'auth.setup', {
    branchCode: BRANCH.code,
    branchName: BRANCH.name,
    bankName: BRANCH.bank,
    admin: { employeeNo: ADMIN.employeeNo, name: ADMIN.name, password: ADMIN.password },
  });
}
