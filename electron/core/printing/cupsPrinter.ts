import { spawn } from 'node:child_process';
import { userInfo } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { cupsServer, IppError, ippRequest, ippTag, OPERATION, type CupsServer, type IppAttributes } from './ipp';

/**
 * The slip printer on a CUPS desktop (UOS, Kylin, any Linux; macOS too): plain Node, no Electron. A job goes
 * to the spooler with `lp` on standard input (the slip carries a signature: it never touches a file of ours),
 * and the spooler is then asked over IPP how the job ended, so that "printed" means the spooler printed it.
 */

export type PrinterState = 'idle' | 'printing' | 'stopped';

export interface PrinterStatus {
  name: string;
  description: string;
  isDefault: boolean;
  state: PrinterState;
  accepting: boolean;
  /** IPP printer-state-reasons, e.g. media-empty-error, paused; `none` dropped. */
  reasons: string[];
  /** What the spooler says in words (printer-state-message), possibly empty. */
  message: string;
}

export type PrintOutcome =
  | { kind: 'printed'; jobId: number }
  | { kind: 'printer_missing'; printer: string }
  | { kind: 'not_accepting'; printer: string; reasons: string[] }
  | { kind: 'stopped'; printer: string; reasons: string[] }
  | { kind: 'held'; printer: string; jobId: number; reasons: string[] }
  | { kind: 'cancelled'; printer: string; jobId: number }
  | { kind: 'aborted'; printer: string; jobId: number; message: string }
  | { kind: 'timed_out'; printer: string; jobId: number; seconds: number }
  | { kind: 'spooler_unavailable'; detail: string };

export interface PrintRequest {
  printer: string;
  layout: 'a5' | 'roll80';
  /** The slip's first page height in points: the roll's paper length. */
  pageHeightPoints: number;
  title: string;
  /** How long the spooler has to finish the job; after it the job is cancelled, so a retry never prints twice. */
  timeoutMs?: number;
  pollMs?: number;
  server?: CupsServer;
}

const PRINTER_STATES: Record<number, PrinterState> = { 3: 'idle', 4: 'printing', 5: 'stopped' };
const JOB = { pending: 3, held: 4, processing: 5, stopped: 6, canceled: 7, aborted: 8, completed: 9 } as const;

function text(attributes: IppAttributes, name: string): string {
  const value = attributes.get(name)?.[0];
  return typeof value === 'string' ? value : '';
}

function reasonsOf(attributes: IppAttributes, name: string): string[] {
  return (attributes.get(name) ?? []).filter((value): value is string => typeof value === 'string' && value !== 'none');
}

/** Every queue the spooler has, with its state, whether it accepts jobs, and whether it is the default. */
export async function listPrinters(server: CupsServer = cupsServer()): Promise<PrinterStatus[]> {
  const requested = ['printer-name', 'printer-info', 'printer-state', 'printer-state-reasons', 'printer-state-message', 'printer-is-accepting-jobs'];
  const [all, fallback] = await Promise.all([
    ippRequest(server, '/', OPERATION.cupsGetPrinters, [{ tag: ippTag.keyword, name: 'requested-attributes', values: requested }]),
    ippRequest(server, '/', OPERATION.cupsGetDefault, [{ tag: ippTag.keyword, name: 'requested-attributes', values: ['printer-name'] }]),
  ]);
  const defaultName = fallback.groups.find((group) => group.tag === ippTag.printer)?.attributes.get('printer-name')?.[0];
  return all.groups
    .filter((group) => group.tag === ippTag.printer)
    .map(({ attributes }) => ({
      name: text(attributes, 'printer-name'),
      description: text(attributes, 'printer-info'),
      isDefault: text(attributes, 'printer-name') === defaultName,
      state: PRINTER_STATES[Number(attributes.get('printer-state')?.[0])] ?? 'stopped',
      accepting: attributes.get('printer-is-accepting-jobs')?.[0] === true,
      reasons: reasonsOf(attributes, 'printer-state-reasons'),
      message: text(attributes, 'printer-state-message'),
    }))
    .filter((printer) => printer.name !== '')
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The `media` option for the slip: A5, or the 80 mm roll as a custom size of the slip's own length. */
export function mediaFor(layout: PrintRequest['layout'], pageHeightPoints: number): string {
  if (layout === 'a5') return 'A5';
  // To the tenth of a millimetre first: 110 mm is 311.81 pt, which must not come back as 110.0000001 → 111.
  const millimetres = Math.max(20, Math.ceil(Math.round((pageHeightPoints * 254) / 72) / 10));
  return `Custom.80x${millimetres}mm`;
}

/** Runs `lp` with the PDF on standard input; resolves with the job id the spooler assigned. */
function submit(pdf: Buffer, request: PrintRequest, server: CupsServer): Promise<number> {
  const args = ['-d', request.printer, '-o', `media=${mediaFor(request.layout, request.pageHeightPoints)}`, '-t', request.title, '-'];
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', LANG: 'C' };
  env.CUPS_SERVER = 'socketPath' in server ? server.socketPath : `${server.host}:${server.port}`;
  return new Promise((resolve, reject) => {
    const child = spawn('lp', args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', (error) => reject(new IppError(`lp could not be started: ${error.message}`)));
    child.stdin.on('error', () => undefined); // lp refusing early closes the pipe; its exit status says why
    child.once('close', (code) => {
      const id = /request id is .*-(\d+)\s/.exec(stdout)?.[1];
      if (code === 0 && id) return resolve(Number(id));
      reject(new IppError((stderr.trim().split('\n')[0] ?? '') || `lp exited with ${code}`));
    });
    child.stdin.end(pdf);
  });
}

async function cancelJob(server: CupsServer, jobId: number): Promise<void> {
  await ippRequest(server, '/jobs/', OPERATION.cancelJob, [
    { tag: ippTag.uri, name: 'job-uri', values: [`ipp://localhost/jobs/${jobId}`] },
    // The job's owner, as lp submitted it: this process's user.
    { tag: ippTag.name, name: 'requesting-user-name', values: [userInfo().username] },
  ]).catch(() => undefined);
}

/**
 * Prints the PDF and waits for the spooler's verdict. A printer that is missing, stopped or refusing jobs
 * is refused before anything is queued; a job that the spooler holds, stops or does not finish in time is
 * cancelled, so the slip cannot come out later behind the teller's back (and a retry never prints twice).
 */
export async function printPdf(pdf: Buffer, request: PrintRequest): Promise<PrintOutcome> {
  const server = request.server ?? cupsServer();
  const timeoutMs = request.timeoutMs ?? 60_000;
  const pollMs = request.pollMs ?? 20;
  let printers: PrinterStatus[];
  try {
    printers = await listPrinters(server);
  } catch (error) {
    return { kind: 'spooler_unavailable', detail: spoolerDetail(error) };
  }
  const printer = printers.find((candidate) => candidate.name === request.printer);
  if (!printer) return { kind: 'printer_missing', printer: request.printer };
  if (!printer.accepting) return { kind: 'not_accepting', printer: printer.name, reasons: printer.reasons };
  if (printer.state === 'stopped') return { kind: 'stopped', printer: printer.name, reasons: printer.reasons };

  let jobId: number;
  try {
    jobId = await submit(pdf, request, server);
  } catch (error) {
    return { kind: 'spooler_unavailable', detail: spoolerDetail(error) };
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let job: IppAttributes | undefined;
    try {
      const answer = await ippRequest(server, '/jobs/', OPERATION.getJobAttributes, [
        { tag: ippTag.uri, name: 'job-uri', values: [`ipp://localhost/jobs/${jobId}`] },
        { tag: ippTag.keyword, name: 'requested-attributes', values: ['job-state', 'job-state-reasons', 'job-printer-state-message'] },
      ]);
      job = answer.groups.find((group) => group.tag === ippTag.job)?.attributes;
    } catch (error) {
      return { kind: 'spooler_unavailable', detail: spoolerDetail(error) };
    }
    const state = Number(job?.get('job-state')?.[0]);
    if (state === JOB.completed) return { kind: 'printed', jobId };
    if (state === JOB.canceled) return { kind: 'cancelled', printer: printer.name, jobId };
    if (state === JOB.aborted) return { kind: 'aborted', printer: printer.name, jobId, message: job ? text(job, 'job-printer-state-message') : '' };
    if (state === JOB.held || state === JOB.stopped) {
      const reasons = job ? reasonsOf(job, 'job-state-reasons') : [];
      await cancelJob(server, jobId);
      if (state === JOB.held) return { kind: 'held', printer: printer.name, jobId, reasons };
      const now = (await listPrinters(server).catch(() => [])).find((candidate) => candidate.name === printer.name);
      return { kind: 'stopped', printer: printer.name, reasons: now?.reasons.length ? now.reasons : reasons };
    }
    if (Date.now() >= deadline) {
      await cancelJob(server, jobId);
      return { kind: 'timed_out', printer: printer.name, jobId, seconds: Math.round(timeoutMs / 1000) };
    }
    await sleep(pollMs);
  }
}

function spoolerDetail(error: unknown): string {
  if (error instanceof Error) return 'code' in error && typeof error.code === 'string' ? `${error.code} ${error.message}`.trim() : error.message;
  return String(error);
}

const REASON_TEXT: Record<string, { zh: string; en: string }> = {
  'media-empty': { zh: '缺纸', en: 'out of paper' },
  'media-needed': { zh: '缺纸', en: 'out of paper' },
  'media-jam': { zh: '卡纸', en: 'paper jam' },
  paused: { zh: '已暂停', en: 'paused' },
  offline: { zh: '未连接', en: 'offline' },
  'connecting-to-device': { zh: '正在连接打印机', en: 'connecting to the device' },
  'door-open': { zh: '机盖打开', en: 'door open' },
  'cover-open': { zh: '机盖打开', en: 'cover open' },
  'toner-empty': { zh: '墨粉用尽', en: 'toner empty' },
  'marker-supply-empty': { zh: '耗材用尽', en: 'supplies empty' },
  'input-tray-missing': { zh: '纸盒未装好', en: 'input tray missing' },
  'job-hold-until-specified': { zh: '任务被设为暂缓打印', en: 'held until a set time' },
  'job-canceled-by-user': { zh: '任务被取消', en: 'cancelled by a user' },
  'printer-stopped': { zh: '打印机已停止', en: 'printer stopped' },
};

/** One reason keyword in the reader's words: media-empty-error → 缺纸 / out of paper; unknown ones as they are. */
export function reasonText(reason: string, language: 'zh-CN' | 'en'): string {
  const base = reason.replace(/-(error|warning|report)$/, '');
  const known = REASON_TEXT[base];
  if (!known) return reason;
  return language === 'en' ? known.en : known.zh;
}

function reasonsText(reasons: string[], language: 'zh-CN' | 'en'): string {
  const said = [...new Set(reasons.map((reason) => reasonText(reason, language)))];
  if (said.length === 0) return '';
  return language === 'en' ? ` (${said.join(', ')})` : `（${said.join('、')}）`;
}

/** The outcome in one sentence, in Chinese or English: what the teller or branch IT reads. */
export function printOutcomeText(outcome: PrintOutcome, language: 'zh-CN' | 'en' = 'zh-CN'): string {
  const en = language === 'en';
  switch (outcome.kind) {
    case 'printed':
      return en ? `Printed (job ${outcome.jobId}).` : `已打印（任务 ${outcome.jobId}）。`;
    case 'printer_missing':
      return en
        ? `The printer "${outcome.printer}" does not exist (removed or renamed); choose the printer again in the settings.`
        : `打印机「${outcome.printer}」不存在（已删除或改名），请在系统设置中重新选择打印机。`;
    case 'not_accepting':
      return en
        ? `The printer "${outcome.printer}" is not accepting jobs${reasonsText(outcome.reasons, language)}.`
        : `打印机「${outcome.printer}」不接受新的打印任务${reasonsText(outcome.reasons, language)}。`;
    case 'stopped':
      return en
        ? `The printer "${outcome.printer}" is stopped${reasonsText(outcome.reasons, language)}; check it and print again.`
        : `打印机「${outcome.printer}」已停止${reasonsText(outcome.reasons, language)}，请检查打印机后重新打印。`;
    case 'held':
      return en
        ? `The spooler held the job${reasonsText(outcome.reasons, language)}; it was withdrawn. Print again.`
        : `打印任务被挂起${reasonsText(outcome.reasons, language)}，已撤销，请重新打印。`;
    case 'cancelled':
      return en ? `The print job was cancelled on "${outcome.printer}".` : `打印任务在「${outcome.printer}」上被取消。`;
    case 'aborted':
      return en
        ? `The printer "${outcome.printer}" could not print the job${outcome.message ? `: ${outcome.message}` : ''}.`
        : `打印机「${outcome.printer}」未能打印${outcome.message ? `：${outcome.message}` : ''}。`;
    case 'timed_out':
      return en
        ? `The printer "${outcome.printer}" did not finish within ${outcome.seconds} s; the job was withdrawn. Check the printer and print again.`
        : `打印机「${outcome.printer}」在 ${outcome.seconds} 秒内未完成打印，任务已撤销，请检查打印机后重新打印。`;
    case 'spooler_unavailable':
      return en ? `The print service (CUPS) cannot be reached: ${outcome.detail}.` : `无法连接打印服务（CUPS）：${outcome.detail}。`;
  }
}
