// Renders the sample slips shown in docs/: `tsx test/unit/receipts/renderSamples.ts [outDir]`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSlip } from '../../../electron/core/receipts/slipLayout';
import { branchKeys, pageOnePng, sampleSlipModel } from './slipFixtures';

const outDir = process.argv[2] ?? join(import.meta.dirname, '..', '..', '..', 'docs');
mkdirSync(outDir, { recursive: true });

for (const layout of ['a5', 'roll80'] as const) {
  const started = performance.now();
  const slip = await renderSlip(sampleSlipModel(), { layout, parts: 'customer', signingKey: branchKeys.privateKey });
  const ms = performance.now() - started;
  writeFileSync(join(outDir, `slip-${layout}.png`), pageOnePng(slip.pdf, 100));
  console.log(`slip-${layout}.png: ${slip.pdf.length} bytes of PDF, ${ms.toFixed(0)} ms, QR ${Buffer.byteLength(slip.qrText)} bytes`);
}
