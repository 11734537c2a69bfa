import type { CoreContext } from '../context';
import type { Handlers } from '../rpc/router';
import type { CorePorts } from '../ports';
import { requireActor } from '../auth/handlers';
import { publicKeyPem } from '../crypto/signing';
import { appendAudit } from '../audit/auditLog';
import { DomainError } from '../rpc/domainError';
import { readSettings, slipPrinterFor } from '../settings';
import { printResult, wasPrinted } from '../printing/slipPrinter';
import { issueReceipt, listReceipts, prepareReceipt, recordReceipt } from './receiptService';

export function receiptHandlers(core: CoreContext, ports: CorePorts): Pick<Handlers, 'receipts.issue' | 'receipts.list' | 'receipts.publicKey'> {
  // One print of a request at a time on this desk: a second press while the spooler works is refused, so a
  // double click never puts two slips on the printer. (One installation is one desk: one process holds the database.)
  const printing = new Set<number>();
  return {
    'receipts.issue': async (input, call) => {
      const actor = requireActor(call);
      const printer = ports.slipPrinter;
      if (!printer) {
        // No printer (the preview without CUPS, tests): the slip is recorded and offered as a file, as before.
        if (input.printer !== undefined) throw new DomainError('VALIDATION', 'error.validation', { printer: 'printer.none' });
        const issued = await issueReceipt(core, actor, call.sessionKey, input);
        return {
          receipt: issued.receipt,
          pdfBase64: issued.slip.pdf.toString('base64'),
          printed: false,
          print: null,
          warnings: issued.slip.warnings,
          status: issued.status,
          version: issued.version,
        };
      }
      if (printing.has(input.id)) throw new DomainError('CONFLICT', 'receipt.print_in_progress');
      printing.add(input.id);
      try {
        const prepared = await prepareReceipt(core, actor, call.sessionKey, input);
        const layout = readSettings(core.db).slip.layout;
        const target = input.printer ?? slipPrinterFor(readSettings(core.db), layout);
        const outcome = await printer.print(prepared.slip.pdf, {
          layout,
          printer: target,
          pageHeightPoints: prepared.slip.pages[0]?.height ?? 0,
          // The queue shows the title to anyone at the printer: the application number only.
          title: `${prepared.row.number}-${prepared.printNo}`,
        });
        const print = printResult(outcome, target);
        if (!wasPrinted(outcome)) {
          // Nothing recorded, nothing changed: the request stays approved (a reprint stays uncounted, its grant
          // unused) and the teller may retry or choose another printer. The attempt is audited.
          const at = core.clock.now();
          core.db.transaction(() =>
            appendAudit(
            core.db,
            {
              actorId: actor.tellerId,
              action: 'receipt.print_failed',
              entity: 'application',
              entityId: String(prepared.row.id),
              details: { printNo: prepared.printNo, reprint: prepared.reprint, printer: target, outcome: outcome.kind },
            },
            at,
          ),
          )();
          return { receipt: null, pdfBase64: null, printed: false, print, warnings: prepared.slip.warnings, status: prepared.row.status, version: prepared.row.version };
        }
        let issued;
        try {
          issued = recordReceipt(core, actor, call.sessionKey, prepared);
        } catch (error) {
          // The request changed while the slip was at the printer (another window cancelled it, say): a slip is on
          // paper that is not on file. Said to the teller (take the slip back) and audited for branch IT.
          const at = core.clock.now();
          core.db.transaction(() =>
            appendAudit(
              core.db,
              {
                actorId: actor.tellerId,
                action: 'receipt.printed_not_recorded',
                entity: 'application',
                entityId: String(prepared.row.id),
                details: { printNo: prepared.printNo, printer: target, jobId: print.jobId, error: error instanceof DomainError ? error.messageKey : 'error.internal' },
              },
              at,
            ),
          )();
          if (error instanceof DomainError) throw new DomainError(error.code, 'receipt.printed_not_recorded', undefined, { cause: error.messageKey });
          throw error;
        }
        return { receipt: issued.receipt, pdfBase64: null, printed: true, print, warnings: issued.slip.warnings, status: issued.status, version: issued.version };
      } finally {
        printing.delete(input.id);
      }
    },
    'receipts.list': (input) => ({ receipts: listReceipts(core, input.id) }),
    'receipts.publicKey': () => ({ pem: publicKeyPem(core.keys.publicKey) }),
  };
}
