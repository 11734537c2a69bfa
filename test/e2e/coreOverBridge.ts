import { randomUUID } from 'node:crypto';
import type { MethodInput, MethodName, MethodOutput } from '../../shared';
import { issueClient, type RunningPreview } from '../support/preview';
import { ADMIN, BRANCH } from './counterDesk';
import { chipFactsFor } from '../support/chipCards';
import { syntheticPhoto } from '../../electron/core/cardReader/syntheticCards';
import { buildTextBlock } from '../../electron/core/cardReader/textBlock';

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
  if (method === 'applications.submit' || method === 'applications.edit') input = (await withChipRead(preview, client, input as never)) as never;
  return rawCallCore(preview, client, method, input);
}

type Submission = { request: { businessDate: string; applicant: Parameters<typeof chipFactsFor>[0]; verification: { method: string; chipReadId?: string } } };

/**
 * A request that says 读取证件芯片 without naming a read is read first, as at the counter: the applicant's card
 * goes on the preview's simulated reader (`--reader-sim`) and the core reads it in this client's session.
 */
async function withChipRead<I extends Submission>(preview: RunningPreview, client: string, input: I): Promise<I> {
  const { request } = input;
  if (request.verification.method !== 'chip' || request.verification.chipReadId !== undefined) return input;
  const facts = chipFactsFor(request.applicant, request.businessDate);
  await readerSimAction(preview, 'lift', {});
  await readerSimAction(preview, 'place', { textBlock: buildTextBlock(facts).toString('base64'), photo: syntheticPhoto(facts.documentNumber).toString('base64') });
  const status = await rawCallCore(preview, client, 'reader.readAgain', {});
  await rawCallCore(preview, client, 'reader.watch', { on: false });
  await readerSimAction(preview, 'lift', {});
  if (status.read === null) throw new Error(`the preview's reader did not read the card: ${String(status.error)}`);
  return { ...input, request: { ...request, verification: { ...request.verification, chipReadId: status.read.readId } } };
}

async function readerSimAction(preview: RunningPreview, action: string, body: object): Promise<void> {
  const response = await fetch(`${preview.origin}/reader-sim/${action}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: preview.origin, 'X-Counter-Token': preview.token },
    body: JSON.stringify(body),
  });
  const result = (await response.json()) as { ok: boolean };
  if (!result.ok) throw new Error(`reader-sim ${action} refused: ${JSON.stringify(result)}`);
}

async function rawCallCore<M extends MethodName>(preview: RunningPreview, client: string, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
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
export async function setUpBranchOverBridge(preview: RunningPreview, options: { tellerKeyedOnlineCheck?: boolean } = {}): Promise<void> {
  await callCore(preview, `setup-${randomUUID()}`, 'auth.setup', {
    branchCode: BRANCH.code,
    desk: BRANCH.desk,
    branchName: BRANCH.name,
    bankName: BRANCH.bank,
    admin: { employeeNo: ADMIN.employeeNo, name: ADMIN.name, password: ADMIN.password },
  });
  if (options.tellerKeyedOnlineCheck !== false) await allowKeyedOnlineCheck(preview);
}

/**
 * Most walk-ins in these tests are keyed by hand, with no 联网核查 middleware: the branch's policy lets a keyed
 * online-check result through without a supervisor (a bank policy switch, 系统设置 → 授权规则), so the tests
 * about other things see only their own reasons. The identity-check e2e keeps the default (switch on).
 */
export async function allowKeyedOnlineCheck(preview: RunningPreview): Promise<void> {
  const admin = `policy-${randomUUID()}`;
  await callCore(preview, admin, 'auth.login', { employeeNo: ADMIN.employeeNo, password: ADMIN.password });
  const { authorizationPolicy } = await callCore(preview, admin, 'settings.get', {});
  await callCore(preview, admin, 'settings.update', { authorizationPolicy: { ...authorizationPolicy, online_check_keyed: { enabled: false } } });
  await callCore(preview, admin, 'auth.logout', {});
}
