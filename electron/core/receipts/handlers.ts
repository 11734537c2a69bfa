import type { CoreContext } from '../context';
import type { Handlers } from '../rpc/router';
import type { CorePorts } from '../ports';
import { requireActor } from '../auth/handlers';
import { publicKeyPem } from '../crypto/signing';
import { readSettings } from '../settings';
import { issueReceipt, listReceipts } from './receiptService';

export function receiptHandlers(core: CoreContext, ports: CorePorts): Pick<Handlers, 'receipts.issue' | 'receipts.list' | 'receipts.publicKey'> {
  return {
    'receipts.issue': async (input, call) => {
      const actor = requireActor(call);
      const issued = await issueReceipt(core, actor, call.sessionKey, input);
      const { slip, printer } = readSettings(core.db);
      const printed = ports.printSlip
        ? await ports.printSlip(issued.slip.pdf, { layout: slip.layout, mode: printer.mode, printerName: printer.name, pageHeightPoints: issued.slip.pages[0]?.height ?? 0 })
        : false;
      return {
        receipt: issued.receipt,
        pdfBase64: issued.slip.pdf.toString('base64'),
        printed,
        warnings: issued.slip.warnings,
        status: issued.status,
        version: issued.version,
      };
    },
    'receipts.list': (input) => ({ receipts: listReceipts(core, input.id) }),
    'receipts.publicKey': () => ({ pem: publicKeyPem(core.keys.publicKey) }),
  };
}
