import { cupsServer, type CupsServer } from './ipp';
import { listPrinters, printOutcomeText, printPdf, reasonText, type PrinterStatus, type PrintOutcome } from './cupsPrinter';

/**
 * The port through which the core prints a slip. Two implementations: the CUPS adapter below (plain Node:
 * Linux and macOS desktops, the preview, the tests) and, on Windows only, the Electron shell's print dialog.
 * A print ends in an outcome, never a bare boolean: only `printed` completes a request.
 */
export interface SlipPrinter {
  /** `spooler`: the job goes to a named printer and the spooler says how it ended. `dialog`: the system print dialog. */
  readonly kind: 'spooler' | 'dialog';
  /** The printers the system has, with their state (the dialog path knows names only: state `unknown`). */
  listPrinters(): Promise<PrinterStatus[]>;
  print(pdf: Buffer, job: SlipPrintJob): Promise<SlipPrintOutcome>;
}

export interface SlipPrintJob {
  layout: 'a5' | 'roll80';
  /** The printer to use; null on the dialog path lets the teller choose in the dialog. */
  printer: string | null;
  /** The first page's height in points: the roll's paper length. */
  pageHeightPoints: number;
  /** The job's title in the spooler's queue: the application number, never a name or an ID number. */
  title: string;
}

export type SlipPrintOutcome =
  | PrintOutcome
  /** The teller pressed 打印 in the system dialog (the Windows path): the only confirmation that path has. */
  | { kind: 'dialog_printed' }
  | { kind: 'dialog_failed'; reason: string }
  | { kind: 'not_configured'; layout: 'a5' | 'roll80' };

export function wasPrinted(outcome: SlipPrintOutcome): boolean {
  return outcome.kind === 'printed' || outcome.kind === 'dialog_printed';
}

/** The slip printer on a CUPS desktop: submits with `lp`, waits for the spooler's verdict over IPP. */
export function cupsSlipPrinter(options: { server?: CupsServer; timeoutMs?: number } = {}): SlipPrinter {
  const server = () => options.server ?? cupsServer();
  return {
    kind: 'spooler',
    listPrinters: () => listPrinters(server()),
    async print(pdf, job) {
      if (job.printer === null) return { kind: 'not_configured', layout: job.layout };
      return printPdf(pdf, {
        printer: job.printer,
        layout: job.layout,
        pageHeightPoints: job.pageHeightPoints,
        title: job.title,
        server: server(),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      });
    },
  };
}

/** Whether a CUPS scheduler answers at all (the preview prints through it when it does, else offers the download). */
export async function spoolerAnswers(server: CupsServer = cupsServer()): Promise<boolean> {
  try {
    await listPrinters(server);
    return true;
  } catch {
    return false;
  }
}

/** The outcome in the teller's words, both languages (the renderer shows the one in use; the CLI the English one). */
export function slipOutcomeText(outcome: SlipPrintOutcome): { 'zh-CN': string; en: string } {
  switch (outcome.kind) {
    case 'dialog_printed':
      return { 'zh-CN': '已发送到打印机。', en: 'Sent to the printer.' };
    case 'dialog_failed':
      return outcome.reason === 'cancelled'
        ? { 'zh-CN': '打印已取消（在打印对话框中取消）。', en: 'Printing was cancelled in the print dialog.' }
        : { 'zh-CN': `打印失败：${outcome.reason}。`, en: `Printing failed: ${outcome.reason}.` };
    case 'not_configured':
      return {
        'zh-CN': `尚未设置${outcome.layout === 'a5' ? ' A5 ' : ' 80 mm 卷纸'}打印机，请管理员在系统设置中选择打印机，或选择其他打印机。`,
        en: `No ${outcome.layout === 'a5' ? 'A5' : '80 mm roll'} printer is set; an admin chooses it in the settings, or choose another printer.`,
      };
    default:
      return { 'zh-CN': printOutcomeText(outcome, 'zh-CN'), en: printOutcomeText(outcome, 'en') };
  }
}

/** A printer's state in the teller's words: 就绪 / 正在打印 / 已停止（缺纸）/ 不接受任务. */
export function printerReadiness(printer: PrinterStatus | undefined): { ready: boolean; text: { 'zh-CN': string; en: string } } {
  if (!printer) return { ready: false, text: { 'zh-CN': '打印机不存在', en: 'printer does not exist' } };
  const reasons = (language: 'zh-CN' | 'en') => [...new Set(printer.reasons.map((reason) => reasonText(reason, language)))];
  const zhReasons = reasons('zh-CN').length ? `（${reasons('zh-CN').join('、')}）` : '';
  const enReasons = reasons('en').length ? ` (${reasons('en').join(', ')})` : '';
  if (!printer.accepting) return { ready: false, text: { 'zh-CN': `不接受打印任务${zhReasons}`, en: `not accepting jobs${enReasons}` } };
  if (printer.state === 'stopped') return { ready: false, text: { 'zh-CN': `已停止${zhReasons}`, en: `stopped${enReasons}` } };
  // A printer that prints but reports a problem (offline, out of paper as a warning) is shown with it.
  if (printer.state === 'printing') return { ready: true, text: { 'zh-CN': `正在打印${zhReasons}`, en: `printing${enReasons}` } };
  return { ready: true, text: { 'zh-CN': `就绪${zhReasons}`, en: `ready${enReasons}` } };
}

/** The outcome as the contract carries it (printResultSchema). */
export function printResult(outcome: SlipPrintOutcome, printer: string | null) {
  return { outcome: outcome.kind, printer, jobId: 'jobId' in outcome ? outcome.jobId : null, text: slipOutcomeText(outcome) };
}
