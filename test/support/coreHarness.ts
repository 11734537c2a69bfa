import { afterEach } from 'vitest';
import type { ApplicationInput, MethodInput, MethodName, MethodOutput, Result } from '../../shared';
import { openCore, type Core } from '../../electron/core';
import { silentEventLog, type EventLog } from '../../electron/core/eventLog';
import { FixedClock } from './fixedClock';
import type { CorePorts } from '../../electron/core/ports';
import { readSettings, writeSetting } from '../../electron/core/settings';
import { SamReaderSimulator } from '../../electron/core/cardReader/samReaderSimulator';
import { openInProcessReader } from '../../electron/core/cardReader/inProcessReader';
import { placeCardFor } from './chipCards';

/** scrypt at 2^17 costs ~0.3 s a hash; tests that log in often use 2^12. The default is tested on its own. */
export const TEST_PASSWORD_COST = 12;

export interface Harness {
  core: Core;
  clock: FixedClock;
  dataDir: string;
  /** Calls the router as a window (session key) would. */
  call<M extends MethodName>(session: string, method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>>;
  /** Same, but fails the test on an error envelope. */
  ok<M extends MethodName>(session: string, method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  /** The desk's ID card reader: the SAM protocol simulator, reached in process (issue 14). */
  readerSim: SamReaderSimulator;
}

// Strong enough for the zxcvbn check (score 3 or more) that every new password must pass.
export const PASSWORDS = { admin: 'Brass-Lantern-61', teller: 'Quiet-Harbor-27', teller2: 'Maple-Orbit-58', supervisor: 'Cobalt-Ridge-34', supervisor2: 'Velvet-Canyon-72' };

/**
 * The cores a test file opens, each closed after its test. Call after `useTempDirs()`: the cores then close
 * before their folders go. `close` ends one in the middle of a test (a restart); the clean-up leaves it alone.
 */
export function useHarnesses(tempDir: () => string) {
  const open = new Set<Harness>();
  afterEach(() => {
    for (const h of open) h.core.close();
    open.clear();
  });
  return {
    async harness(dataDir: string = tempDir(), options: { now?: string; setup?: boolean; branchCode?: string; desk?: string; ports?: CorePorts } = {}): Promise<Harness> {
      const h = await openHarness(dataDir, options);
      open.add(h);
      return h;
    },
    close(h: Harness): void {
      h.core.close();
      open.delete(h);
    },
  };
}

/** The database id of the account with this employee number. */
export function tellerId(h: Harness, employeeNo: string): number {
  return (h.core.db.prepare('SELECT id FROM tellers WHERE employee_no = ?').get(employeeNo) as { id: number }).id;
}

/** A real core on a real SQLite file: set up, with an admin, two tellers and two supervisors. */
export async function openHarness(dataDir: string, options: { now?: string; setup?: boolean; log?: EventLog; branchCode?: string; desk?: string; ports?: CorePorts } = {}): Promise<Harness> {
  const clock = new FixedClock(options.now ?? '2026-11-25T02:00:00Z');
  const readerSim = new SamReaderSimulator();
  const core = await openCore({
    dataDir,
    appVersion: '0.0.0-test',
    clock,
    log: options.log ?? silentEventLog,
    passwordCost: TEST_PASSWORD_COST,
    openCardReader: () => Promise.resolve(openInProcessReader(readerSim, 0)),
    ...(options.ports ? { ports: options.ports } : {}),
  });
  const invoke = (session: string, method: string, input: unknown) => core.router.invoke(session, method, input);
  // A request that says `chip` without naming a read is read first, as at the counter: a card with its
  // applicant's facts goes on the simulated reader and the core reads it (F4). A test that means to claim
  // `chip` without a read names a chipReadId itself, or calls core.router.invoke.
  const call: Harness['call'] = async (session, method, input) => {
    if ((method === 'applications.submit' || method === 'applications.edit') && needsChipRead(input)) {
      const readId = await placeCardFor(core, readerSim, session, (input as { request: ApplicationInput }).request);
      const request = (input as { request: ApplicationInput }).request;
      input = { ...input, request: { ...request, verification: { ...request.verification, chipReadId: readId } } } as never;
    }
    return invoke(session, method, input) as never;
  };
  const ok: Harness['ok'] = async (session, method, input) => {
    const result = await call(session, method, input);
    if (!result.ok) throw new Error(`${method} failed: ${JSON.stringify(result.error)}`);
    return result.value;
  };
  const harness: Harness = { core, clock, dataDir, call, ok, readerSim };
  if (options.setup !== false) await setUpBranch(harness, { ...(options.branchCode ? { branchCode: options.branchCode } : {}), ...(options.desk ? { desk: options.desk } : {}) });
  return harness;
}

/** The desk (counter) number tests set up with unless they name another. */
export const TEST_DESK = '01';

/**
 * Tests about other things key the online-check result by hand (no 联网核查 middleware): their branch's
 * policy lets a keyed result through without a supervisor (a bank policy switch), written straight into
 * the settings like the password flag below, so no audit row moves. The identity-check tests keep the
 * default policy (`keyedOnlineCheckNeedsSupervisor`).
 */
export function allowKeyedOnlineCheck(h: Harness): void {
  const policy = readSettings(h.core.db).authorizationPolicy;
  writeSetting(h.core.db, 'authorizationPolicy', { ...policy, online_check_keyed: { enabled: false } }, h.clock.now());
}

export async function setUpBranch(h: Harness, where: { branchCode?: string; desk?: string } = {}): Promise<void> {
  await h.ok('admin', 'auth.setup', {
    branchCode: where.branchCode ?? '310101',
    desk: where.desk ?? TEST_DESK,
    branchName: '上海分行营业部',
    bankName: '示例银行',
    admin: { employeeNo: 'A001', name: '管理员', password: PASSWORDS.admin },
  });
  await h.ok('admin', 'auth.login', { employeeNo: 'A001', password: PASSWORDS.admin });
  const accounts = [
    { employeeNo: 'T001', name: '王柜员', role: 'teller', password: PASSWORDS.teller },
    { employeeNo: 'T002', name: '李柜员', role: 'teller', password: PASSWORDS.teller2 },
    { employeeNo: 'S001', name: '赵主管', role: 'supervisor', password: PASSWORDS.supervisor },
    { employeeNo: 'S002', name: '钱主管', role: 'supervisor', password: PASSWORDS.supervisor2 },
  ] as const;
  for (const account of accounts) {
    const created = await h.ok('admin', 'tellers.create', account);
    // New accounts must choose their own password before working; for tests, set it directly.
    h.core.db.prepare('UPDATE tellers SET must_change_password = 0 WHERE id = ?').run(created.id);
  }
  await h.ok('t1', 'auth.login', { employeeNo: 'T001', password: PASSWORDS.teller });
  await h.ok('t2', 'auth.login', { employeeNo: 'T002', password: PASSWORDS.teller2 });
  await h.ok('s1', 'auth.login', { employeeNo: 'S001', password: PASSWORDS.supervisor });
  allowKeyedOnlineCheck(h);
}

function needsChipRead(input: unknown): boolean {
  const request = (input as { request?: { verification?: { method?: unknown; chipReadId?: unknown } } } | null)?.request;
  return request?.verification?.method === 'chip' && request.verification.chipReadId === undefined;
}
