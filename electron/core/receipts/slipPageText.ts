import { DOCUMENT_TYPE_LABELS } from '../printedLabels';
import { receiptFields, type SlipPayload } from './slipPayload';
import { REPRINT_AUTHORIZER_LABEL, STATUS_ACCEPTED } from './slipSections';

/**
 * What the page of a slip says, read back and held against its signed payload. The signature covers the
 * payload and the QR code; nothing else ties them to the words printed beside them, so a slip whose printed
 * 商户编号 was edited (metadata and QR left alone) would still verify. Here every signed field that the slip
 * prints is found by its label on every page, and its printed value must be exactly what the payload says.
 *
 * The page's text is read with PDF.js (Mozilla's parser, through `unpdf`, which ships it without a canvas
 * or a worker): the text a viewer would copy, decoded through each font's ToUnicode map, in drawing order.
 * It proves what the text layer says, not what ink covers: text drawn as vector outlines or as an image,
 * or a shape painted over a value, is beyond any text check (see README, "Security").
 */
export interface PrintedField {
  /** The label as printed, without its colon: also the name a failed check reports. */
  label: string;
  expected: string;
}

const ABSENT = '—';

/** The signed fields a slip prints beside a label, in the order the page shows them. */
export function printedFieldsOf(payload: SlipPayload): PrintedField[] {
  const f = receiptFields(payload);
  const reprint = f.printCount > 1;
  const beijing = (wallClock: string) => `${wallClock}（北京时间）`;
  return [
    { label: '受理编号', expected: f.applicationNumber },
    { label: '业务状态', expected: STATUS_ACCEPTED },
    { label: '业务日期', expected: f.businessDate },
    ...(reprint
      ? [
          { label: '受理时间', expected: beijing(f.firstPrintedAt) },
          { label: '本次打印', expected: beijing(f.issuedAt) },
          { label: REPRINT_AUTHORIZER_LABEL, expected: f.reprintAuthorizerNo ?? ABSENT },
        ]
      : [{ label: '打印时间', expected: beijing(f.issuedAt) }]),
    { label: '证件类型', expected: DOCUMENT_TYPE_LABELS[f.documentType] },
    { label: '证件号码', expected: f.documentNumberMasked },
    { label: '解绑手机号', expected: f.mobileMasked },
    { label: '新绑定手机号', expected: f.newMobileMasked ?? '无' },
    { label: '商户编号', expected: f.merchantNumber ?? ABSENT },
    { label: '终端编号', expected: f.terminalId ?? ABSENT },
    { label: '终端序列号', expected: f.terminalSerial ?? ABSENT },
    { label: '经办柜员', expected: f.tellerNo },
    { label: '复核', expected: f.reviewerNo ?? ABSENT },
    { label: '授权', expected: f.authorizerNo ?? ABSENT },
  ];
}

interface TextRun {
  text: string;
  size: number;
}

export type PageTextCheck = { ok: true; pages: number } | { ok: false; pages: number; field: string; page: number };

const squash = (text: string) => text.replace(/\s+/g, '');
// A label run: a few Chinese characters and the full-width colon the slip puts after every label.
const LABEL = /^[\u4e00-\u9fff]{2,8}：/;

/** The first printed field, on the first page, whose value is missing or differs from the payload. */
export async function checkPrintedFields(pdf: Uint8Array, payload: SlipPayload): Promise<PageTextCheck> {
  const { getDocumentProxy } = await import('unpdf');
  const doc = await getDocumentProxy(new Uint8Array(pdf), { stopAtErrors: true, verbosity: 0 });
  try {
    const pages: TextRun[][] = [];
    for (let n = 1; n <= doc.numPages; n += 1) {
      const content = await (await doc.getPage(n)).getTextContent();
      const runs: TextRun[] = [];
      for (const item of content.items) {
        if (!('str' in item) || item.str.trim() === '') continue;
        const [a = 0, b = 0] = item.transform as number[];
        runs.push({ text: item.str, size: Math.round(Math.hypot(a, b) * 100) / 100 });
      }
      pages.push(runs);
    }
    // In the order the page reads: the branch code in the branch line at the top, the fields beside their labels,
    // the print count in the print line at the bottom.
    // The branch and desk as signed: in the number on a version-2 slip, beside it on a version-1 slip.
    const signed = receiptFields(payload);
    const lines = [
      // With its desk (柜台) on a version-2 slip: the printed desk must be the signed one.
      { field: '网点号', found: (runs: TextRun[]) => runs.some((r) => squash(r.text).includes(`（网点号${signed.branchCode}${signed.desk === null ? '' : `柜台${signed.desk}`}）`)) },
      ...printedFieldsOf(payload).map((field) => ({
        field: field.label,
        found: (runs: TextRun[]) => {
          const values = valuesAfter(runs, field.label);
          return values.length > 0 && values.every((v) => v === squash(field.expected));
        },
      })),
      { field: '打印次数', found: (runs: TextRun[]) => printCounts(runs).length > 0 && printCounts(runs).every((n) => n === payload.p) },
    ];
    for (const line of lines) {
      const page = pages.findIndex((runs) => !line.found(runs));
      if (page >= 0) return { ok: false, pages: pages.length, field: line.field, page: page + 1 };
    }
    return { ok: true, pages: pages.length };
  } finally {
    await doc.loadingTask.destroy();
  }
}

/**
 * The value printed after each occurrence of `label：`: the runs that follow it in drawing order, in the
 * label's type size, up to the next label or a change of size (a heading, the status note).
 */
function valuesAfter(runs: TextRun[], label: string): string[] {
  const head = `${label}：`;
  const values: string[] = [];
  runs.forEach((run, index) => {
    const text = run.text.trim();
    if (!text.startsWith(head)) return;
    let value = squash(text.slice(head.length));
    for (const next of runs.slice(index + 1)) {
      if (next.size !== run.size || LABEL.test(next.text.trim())) break;
      value += squash(next.text);
    }
    values.push(value);
  });
  return values;
}

function printCounts(runs: TextRun[]): number[] {
  return [...runs.map((r) => r.text).join('').matchAll(/第(\d+)次打印/g)].map((m) => Number(m[1]));
}
