import { syntheticRandom, type ApplicationFormValues, type SyntheticRandom, type MethodInput, type MethodName, type MethodOutput } from '../../../shared';
import type { Core } from '..';
import { makeDemoRequest } from './demoRequests';
import { demoSignaturePng } from './demoSignature';
import type { SamReaderSimulator } from '../cardReader/samReaderSimulator';
import { chipFactsFor, syntheticPhoto } from '../cardReader/syntheticCards';
import { buildTextBlock } from '../cardReader/textBlock';

/** Demo accounts; their passwords are printed by the CLI because this is demo data, never a real branch. */
export const DEMO_ACCOUNTS = [
  { employeeNo: 'A001', name: '系统管理员', role: 'admin', password: 'Demo-Admin-2026' },
  { employeeNo: 'T001', name: '王晓柜', role: 'teller', password: 'Demo-Teller-2026' },
  { employeeNo: 'T002', name: '李文静', role: 'teller', password: 'Demo-Teller-2026' },
  { employeeNo: 'S001', name: '赵主管', role: 'supervisor', password: 'Demo-Super-2026' },
  { employeeNo: 'S002', name: '钱主管', role: 'supervisor', password: 'Demo-Super-2026' },
] as const;

export interface SeedSummary {
  created: number;
  byStatus: Record<string, number>;
  /** How the customers of the submitted requests asked to be told the acquirer's outcome. */
  byNotification: Record<DemoNotification['channel'], number>;
}

type DemoNotification = ApplicationFormValues['notification'];

/**
 * How a demo customer asks to be told the outcome: mostly by SMS, some by a call from the branch (回访电话), some
 * by e-mail (a few of them in English), so a demo branch shows all three. The address is on example.com (RFC 2606).
 */
function demoNotification(random: SyntheticRandom, index: number): DemoNotification {
  const roll = random();
  if (roll < 0.7) return { channel: 'sms' };
  if (roll < 0.85) return { channel: 'phone' };
  return { channel: 'email', email: `merchant${String(index + 1).padStart(4, '0')}@example.com`, language: roll >= 0.96 ? 'en' : 'zh-CN' };
}

/**
 * Fills a data folder with realistic requests across every status, through the router exactly as the
 * screens would (so every row is validated, sealed and audited). Deterministic for a given seed.
 */
export async function seedDemo(
  core: Core,
  /** `readerSim`: the simulated reader the core was opened with; each chip request's card is read on it. */
  options: { count: number; seed?: number; branchCode?: string; desk?: string; branchName?: string; readerSim?: SamReaderSimulator },
): Promise<SeedSummary> {
  const call = async <M extends MethodName>(session: string, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> => {
    const result = await core.router.invoke(session, method, input);
    if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message} ${JSON.stringify(result.error.fields ?? {})}`);
    return result.value as MethodOutput<M>;
  };
  const info = await call('seed', 'system.info', {});
  if (!info.setupDone) {
    const admin = DEMO_ACCOUNTS[0];
    await call('seed', 'auth.setup', { branchCode: options.branchCode ?? '310101', desk: options.desk ?? '01', branchName: options.branchName ?? '上海分行营业部', bankName: '示例银行', admin: { employeeNo: admin.employeeNo, name: admin.name, password: admin.password } });
    await call('seed:admin', 'auth.login', { employeeNo: admin.employeeNo, password: admin.password });
    for (const account of DEMO_ACCOUNTS.slice(1)) {
      const created = await call('seed:admin', 'tellers.create', account);
      // Demo accounts are ready to use; real accounts must change the admin's password first.
      core.db.prepare('UPDATE tellers SET must_change_password = 0 WHERE id = ?').run(created.id);
    }
    // A demo branch has no 联网核查 middleware: its tellers key the result, and its policy lets that through
    // (系统设置 → 授权规则), so the demo shows the other reasons a supervisor is called for.
    const { authorizationPolicy } = await call('seed:admin', 'settings.get', {});
    await call('seed:admin', 'settings.update', { authorizationPolicy: { ...authorizationPolicy, online_check_keyed: { enabled: false } } });
  }
  await call('seed:t1', 'auth.login', { employeeNo: 'T001', password: 'Demo-Teller-2026' });
  await call('seed:t2', 'auth.login', { employeeNo: 'T002', password: 'Demo-Teller-2026' });
  const businessDate = (await call('seed', 'system.info', {})).businessDate;
  const random = syntheticRandom(options.seed ?? 20261125);
  // A stream of its own, so the requests and statuses a seed gave before stay as they were.
  const contact = syntheticRandom(((options.seed ?? 20261125) ^ 0x9e3779b9) >>> 0);
  const byStatus: Record<string, number> = {};
  const byNotification: SeedSummary['byNotification'] = { sms: 0, phone: 0, email: 0 };
  for (let i = 0; i < options.count; i += 1) {
    const session = i % 2 === 0 ? 'seed:t1' : 'seed:t2';
    const roll = random();
    let app = await call(session, 'applications.register', {});
    if (roll >= 0.08) app = await call(session, 'applications.startReview', { id: app.id, version: app.version });
    if (roll >= 0.14 && roll < 0.17) {
      app = await call(session, 'applications.reject', { id: app.id, version: app.version, reasonCode: 'document_invalid' });
    } else if (roll >= 0.17 && roll < 0.2) {
      app = await call(session, 'applications.cancel', { id: app.id, version: app.version, reasonCode: 'customer_withdrew' });
    } else if (roll >= 0.2) {
      const exception = roll < 0.35;
      let request = makeDemoRequest(random, businessDate, exception ? 'exception' : 'plain');
      request = { ...request, notification: demoNotification(contact, i) };
      byNotification[request.notification.channel] += 1;
      if (request.verification.method === 'chip') {
        // 读取证件芯片 only with a read the core made: the applicant's card goes on the simulated reader.
        const sim = options.readerSim;
        if (!sim) throw new Error('seedDemo: chip requests need the simulated reader the core was opened with');
        const facts = chipFactsFor(request.applicant, businessDate);
        sim.lift();
        sim.place({ textBlock: buildTextBlock(facts), photo: syntheticPhoto(facts.documentNumber) });
        const status = await call(session, 'reader.readAgain', {});
        await call(session, 'reader.watch', { on: false });
        sim.lift();
        if (!status.read) throw new Error(`seedDemo: the card was not read (${String(status.error)})`);
        request = { ...request, verification: { ...request.verification, chipReadId: status.read.readId } };
      }
      app = await call(session, 'applications.submit', { id: app.id, version: app.version, request });
      if (app.status === 'pending_authorization' && roll >= 0.26) {
        const supervisor = roll < 0.31 ? DEMO_ACCOUNTS[3] : DEMO_ACCOUNTS[4];
        app = await call(session, 'applications.authorize', {
          id: app.id,
          version: app.version,
          decision: roll < 0.33 ? 'approve' : 'decline',
          reasonCode: 'information_inconsistent',
          supervisor: { employeeNo: supervisor.employeeNo, password: supervisor.password },
        });
      }
      if (app.status === 'approved' && roll >= 0.45) {
        // The customer signs on the pad, then the first slip completes the request.
        app = await call(session, 'applications.setSignature', { id: app.id, version: app.version, pngBase64: demoSignaturePng(random).toString('base64') });
        const issued = await call(session, 'receipts.issue', { id: app.id, version: app.version });
        app = { ...app, status: 'completed', version: issued.version };
      }
    }
    byStatus[app.status] = (byStatus[app.status] ?? 0) + 1;
  }
  return { created: options.count, byStatus, byNotification };
}

/**
 * Ends the seeded day as a supervisor would: every open request carried over to the next business day,
 * the day closed, and (when the core has an export folder) its bundle written.
 */
/** The day was closed, but its bundle could not be written: `reason` is the export's refusal code. */
export class SeededDayExportError extends Error {
  constructor(
    readonly businessDate: string,
    readonly reason: string,
  ) {
    super(`${businessDate} closed, bundle not written: ${reason}`);
    this.name = 'SeededDayExportError';
  }
}

export async function closeSeededDay(core: Core, exportBundle: boolean): Promise<{ businessDate: string; carriedOver: number; bundle: string | null }> {
  const call = async <M extends MethodName>(session: string, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> => {
    const result = await core.router.invoke(session, method, input);
    if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
    return result.value as MethodOutput<M>;
  };
  const supervisor = DEMO_ACCOUNTS[3];
  await call('seed:s1', 'auth.login', { employeeNo: supervisor.employeeNo, password: supervisor.password });
  const status = await call('seed:s1', 'dayclose.status', {});
  for (const item of status.openItems) await call('seed:s1', 'dayclose.carryOver', { id: item.id, version: item.version });
  await call('seed:s1', 'dayclose.close', { businessDate: status.businessDate });
  let bundle: string | null = null;
  if (exportBundle) {
    const exported = await core.router.invoke('seed:s1', 'dayclose.export', { businessDate: status.businessDate });
    if (!exported.ok) throw new SeededDayExportError(status.businessDate, exported.error.fields?.destination ?? `${exported.error.code} ${exported.error.message}`);
    bundle = (exported.value as MethodOutput<'dayclose.export'>).dir;
  }
  return { businessDate: status.businessDate, carriedOver: status.openItems.length, bundle };
}
