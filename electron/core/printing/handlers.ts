import { userInfo } from 'node:os';
import type { CoreContext } from '../context';
import type { Handlers } from '../rpc/router';
import type { CorePorts } from '../ports';
import { requireActor } from '../auth/handlers';
import { appendAudit } from '../audit/auditLog';
import { DomainError } from '../rpc/domainError';
import { readSettings, slipPrinterFor } from '../settings';
import { printerReadiness, printResult, slipOutcomeText, wasPrinted, type SlipPrinter } from './slipPrinter';
import { renderTestPage } from './testPage';
import type { PrinterStatus } from './cupsPrinter';
import { printOutcomeText } from './cupsPrinter';

/** The spooler's printers, or why there are none: the spooler is a program outside ours and may not answer. */
export async function askPrinters(printer: SlipPrinter): Promise<{ printers: PrinterStatus[]; error: { 'zh-CN': string; en: string } | null }> {
  try {
    return { printers: await printer.listPrinters(), error: null };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const outcome = { kind: 'spooler_unavailable' as const, detail };
    return { printers: [], error: { 'zh-CN': printOutcomeText(outcome, 'zh-CN'), en: printOutcomeText(outcome, 'en') } };
  }
}

/**
 * The names an admin may choose: only printers the spooler has now. Checked in the core (the renderer's list
 * may be stale, and the renderer is not trusted); refused with the field it belongs to.
 */
export async function assertPrintersExist(ports: CorePorts, names: Record<string, string | null>): Promise<void> {
  const chosen = Object.entries(names).filter((entry): entry is [string, string] => entry[1] !== null);
  if (chosen.length === 0) return;
  if (!ports.slipPrinter) throw new DomainError('VALIDATION', 'error.validation', Object.fromEntries(chosen.map(([field]) => [`slipPrinters.${field}`, 'printer.none'])));
  const { printers, error } = await askPrinters(ports.slipPrinter);
  if (error) throw new DomainError('VALIDATION', 'error.validation', Object.fromEntries(chosen.map(([field]) => [`slipPrinters.${field}`, 'printer.spooler_unavailable'])));
  const fields: Record<string, string> = {};
  for (const [field, name] of chosen) if (!printers.some((printer) => printer.name === name)) fields[`slipPrinters.${field}`] = 'printer.unknown';
  if (Object.keys(fields).length > 0) throw new DomainError('VALIDATION', 'error.validation', fields);
}

export function printingHandlers(core: CoreContext, ports: CorePorts): Pick<Handlers, 'printing.status' | 'printing.testPage'> {
  return {
    'printing.status': async () => {
      const settings = readSettings(core.db);
      const layout = settings.slip.layout;
      const printer = slipPrinterFor(settings, layout);
      const base = { layout, printer, configured: { ...settings.slipPrinters } };
      if (!ports.slipPrinter) return { ...base, path: 'download' as const, ready: null, stateText: null, printers: [], spoolerError: null };
      const { printers, error } = await askPrinters(ports.slipPrinter);
      const listed = printers.map((status) => {
        const readiness = printerReadiness(status);
        return { ...status, ready: readiness.ready, stateText: readiness.text };
      });
      if (ports.slipPrinter.kind === 'dialog') return { ...base, path: 'dialog' as const, ready: null, stateText: null, printers: listed, spoolerError: null };
      const current = printer === null ? null : listed.find((status) => status.name === printer);
      const stateText =
        error ??
        (printer === null
          ? slipOutcomeText({ kind: 'not_configured', layout })
          : (current?.stateText ?? printerReadiness(undefined).text));
      return { ...base, path: 'spooler' as const, ready: current?.ready ?? false, stateText, printers: listed, spoolerError: error };
    },
    'printing.testPage': async (input, call) => {
      const actor = requireActor(call);
      if (!ports.slipPrinter) throw new DomainError('VALIDATION', 'error.validation', { printer: 'printer.none' });
      const at = core.clock.now();
      const page = await renderTestPage({ layout: input.layout, printer: input.printer, requestedBy: `${actor.employeeNo} @ ${userInfo().username}`, at });
      const outcome = await ports.slipPrinter.print(page.pdf, { layout: input.layout, printer: input.printer, pageHeightPoints: page.pageHeightPoints, title: 'UnbindDesk-test-page' });
      // Not a slip: no receipt row, no count; but who printed what, where and how it ended is audited.
      core.db.transaction(() =>
        appendAudit(core.db, { actorId: actor.tellerId, action: 'printing.test_page', entity: 'printer', entityId: input.printer, details: { layout: input.layout, outcome: outcome.kind } }, at),
      )();
      return { printed: wasPrinted(outcome), result: printResult(outcome, input.printer) };
    },
  };
}
