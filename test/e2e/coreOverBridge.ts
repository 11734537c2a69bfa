import { randomUUID } from 'node:crypto';
import type { MethodInput, MethodName, MethodOutput } from '../../shared';
import { issueClient, type RunningPreview } from '../support/preview';
import { ADMIN, BRANCH } from './counterDesk';

/** The session id the bridge issued for each name a test gives its clients, per running preview. */
const issued = new WeakMap<RunningPreview, Map<string, Promise<string>>>();

function sessionOf(preview: RunningPreview, client: string): Promise<string> {
  let byName = issued.get(preview);
  if (!byName) {
    byName = new Map();
    issued.set(preview, byName);
  }
  let session = byName.get(client);
  if (!session) {
    session = issueClient(preview);
    byName.set(client, session);
  }
  return session;
}

/**
 * Calls the core the way the page does — same loopback bridge, same token — from the test, for the
 * set-up a test is not about. `client` names one session (the bridge issues its id), like one browser tab.
 */
export async function callCore<M extends MethodName>(preview: RunningPreview, client: string, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const response = await fetch(`${preview.origin}/rpc`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: preview.origin, 'X-Counter-Token': preview.token, 'X-Counter-Client': await sessionOf(preview, client) },
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
    desk: BRANCH.desk,
    branchName: BRANCH.name,
    bankName: BRANCH.bank,
    admin: { employeeNo: ADMIN.employeeNo, name: ADMIN.name, password: ADMIN.password },
  });
}
