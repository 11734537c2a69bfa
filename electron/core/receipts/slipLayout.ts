import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { signCanonical } from '../crypto/signing';
import { MISSING_GLYPH_WARNING, withVisibleGlyphs, type GlyphCoverage } from './glyphCoverage';
import { asFontSource, parsedCjkFonts } from './parsedFonts';
import { A5_GEOMETRY, arrangeSlip, ROLL80_GEOMETRY, type Arrangement, type DrawOp, type FontFace, type SlipGeometry, type TextMeasure } from './slipArrangement';
import type { SlipModel, SlipOptions, SlipPart } from './slipModel';
import {
  buildSlipPayload,
  PAYLOAD_INFO_KEY,
  QR_BUDGET_BYTES,
  receiptQrText,
  SIGNATURE_INFO_KEY,
  slipPayloadText,
  type SlipPayload,
} from './slipPayload';
import { SLIP_TITLE, slipContent } from './slipSections';

export type SlipWarning = typeof MISSING_GLYPH_WARNING;

export interface IssuedSlip {
  pdf: Buffer;
  payload: SlipPayload;
  /** The canonical JSON that was signed, as embedded in the PDF. */
  payloadText: string;
  signature: string;
  /** The text in the QR code: `UDR1.<payloadText>.<signature>`. */
  qrText: string;
  /** Hex SHA-256 of the PDF bytes, for the audit log. */
  sha256: string;
  warnings: SlipWarning[];
  pages: { part: SlipPart; width: number; height: number }[];
}

const GEOMETRIES = { a5: A5_GEOMETRY, roll80: ROLL80_GEOMETRY } as const;
const PARTS: Record<SlipOptions['parts'], SlipPart[]> = { customer: ['customer'], bank: ['bank'], both: ['customer', 'bank'] };

/**
 * Renders and signs the confirmation slip: one page per part, each labelled 客户联 or 银行留存联. The
 * payload and its Ed25519 signature go into the Info dictionary and into the QR code.
 */
export async function renderSlip(model: SlipModel, options: SlipOptions): Promise<IssuedSlip> {
  const payload = buildSlipPayload(model);
  const payloadText = slipPayloadText(payload);
  const signature = signCanonical(options.signingKey, payload);
  const qrText = receiptQrText(payload, signature);
  if (Buffer.byteLength(qrText, 'utf8') > QR_BUDGET_BYTES) throw new RangeError('slip.qr_over_budget');
  // Level M survives the smudges and fading of thermal paper; the budget keeps it at version ≤ 18.
  const qr = QRCode.create(qrText, { errorCorrectionLevel: 'M' });

  const fonts = parsedCjkFonts(options.resourcesDir);
  const doc = new PDFDocument({
    autoFirstPage: false,
    compress: options.compress ?? true,
    lang: 'zh-CN',
    displayTitle: true,
    info: {
      Title: `${SLIP_TITLE} ${model.applicationNumber}`,
      Subject: '业务受理回执',
      Creator: 'UnbindDesk',
      Producer: 'UnbindDesk (PDFKit)',
      // The time of this print, not of rendering: the same slip renders to the same bytes.
      CreationDate: beijingInstant(model.issuedAt),
    },
  });
  Object.assign(doc.info, { [PAYLOAD_INFO_KEY]: payloadText, [SIGNATURE_INFO_KEY]: signature });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });

  const faces: Record<FontFace, string> = { regular: 'slip-regular', bold: 'slip-bold' };
  doc.registerFont(faces.regular, asFontSource(fonts.regular));
  doc.registerFont(faces.bold, asFontSource(fonts.bold));
  const shown = withVisibleText(model, (cp) => fonts.regular.hasGlyphForCodePoint(cp) && fonts.bold.hasGlyphForCodePoint(cp));

  const measure: TextMeasure = {
    widthOf: (text, face, size) => doc.font(faces[face]).fontSize(size).widthOfString(text),
    // 1.3 em: Noto Sans SC's own line gap (1.45 em) would not leave A5 room for every section.
    lineHeightOf: (_face, size) => size * 1.3,
  };
  const geometry = GEOMETRIES[options.layout];
  const pages: IssuedSlip['pages'] = [];
  for (const part of PARTS[options.parts]) {
    const arrangement = arrangeFitting(shown.model, part, geometry, measure);
    doc.addPage({ size: [arrangement.pageWidth, arrangement.pageHeight], margin: 0 });
    paint(doc, arrangement.ops, faces, qr.modules, model.signaturePng);
    pages.push({ part, width: arrangement.pageWidth, height: arrangement.pageHeight });
  }
  doc.end();
  await ended;

  const pdf = Buffer.concat(chunks);
  return {
    pdf,
    payload,
    payloadText,
    signature,
    qrText,
    sha256: createHash('sha256').update(pdf).digest('hex'),
    warnings: shown.substituted ? [MISSING_GLYPH_WARNING] : [],
    pages,
  };
}

function paint(doc: PDFKit.PDFDocument, ops: DrawOp[], faces: Record<FontFace, string>, qr: QRCode.BitMatrix, signaturePng: Buffer | null): void {
  doc.fillColor('black').strokeColor('black');
  for (const op of ops) {
    switch (op.kind) {
      case 'text':
        doc.font(faces[op.face]).fontSize(op.size).text(op.text, op.x, op.y, { lineBreak: false });
        break;
      case 'rule':
        doc.save().lineWidth(op.width);
        if (op.dashed) doc.dash(2, { space: 2 });
        doc.moveTo(op.x1, op.y1).lineTo(op.x2, op.y2).stroke().restore();
        break;
      case 'frame':
        doc.save().lineWidth(op.width).rect(op.x, op.y, op.w, op.h).stroke().restore();
        break;
      case 'signature':
        if (signaturePng !== null) doc.image(signaturePng, op.x + 2, op.y + 2, { fit: [op.w - 4, op.h - 4], align: 'center', valign: 'center' });
        break;
      case 'qr':
        paintQr(doc, qr, op.x, op.y, op.side);
        break;
    }
  }
}

/** Vector modules, each dark run of a row one rectangle: sharp at any printer resolution, no seams. */
function paintQr(doc: PDFKit.PDFDocument, modules: QRCode.BitMatrix, x: number, y: number, side: number): void {
  const quietZone = 4; // ISO/IEC 18004 §6.3.8
  const n = modules.size;
  const unit = side / (n + 2 * quietZone);
  for (let row = 0; row < n; row++) {
    let col = 0;
    while (col < n) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < n && modules.get(row, col)) col++;
      doc.rect(x + (quietZone + start) * unit, y + (quietZone + row) * unit, (col - start) * unit, unit);
    }
  }
  doc.fill('black');
}

const REASON_CUT = '…（全文见业务档案）';

/**
 * The slip's arrangement for one part. A fixed page (A5) that the customer's own reason (up to 200 characters)
 * would overflow prints as much of it as fits, marked as cut; the whole text stays in the request's record.
 */
function arrangeFitting(model: SlipModel, part: SlipPart, geometry: SlipGeometry, measure: TextMeasure): Arrangement {
  const fits = (a: Arrangement) => a.contentBottom <= a.pageHeight - geometry.margin;
  const whole = arrangeSlip(slipContent(model, part), geometry, measure);
  if (fits(whole)) return whole;
  const chars = Array.from(model.reasonText ?? '');
  let best: Arrangement | null = null;
  for (let low = 0, high = chars.length - 1; low <= high; ) {
    const keep = Math.floor((low + high) / 2);
    const cut = arrangeSlip(slipContent({ ...model, reasonText: chars.slice(0, keep).join('') + REASON_CUT }, part), geometry, measure);
    if (fits(cut)) {
      best = cut;
      low = keep + 1;
    } else {
      high = keep - 1;
    }
  }
  if (!best) {
    // The reader's SAM id row is the one line a full A5 slip (a reprint, say) can do without.
    if (model.verification.chip) return arrangeFitting({ ...model, verification: { ...model.verification, chip: null } }, part, geometry, measure);
    throw new RangeError('slip.overflow');
  }
  return best;
}

/** Beijing wall-clock time (no daylight saving since 1991) as an instant. */
function beijingInstant(wallClock: string): Date {
  const instant = new Date(`${wallClock.replace(' ', 'T')}+08:00`);
  if (Number.isNaN(instant.getTime())) throw new RangeError('slip.issuedAt: not in the expected form');
  return instant;
}

/** The model as printable text: every character the font lacks becomes a visible substitute. */
function withVisibleText(model: SlipModel, covers: GlyphCoverage): { model: SlipModel; substituted: boolean } {
  let substituted = false;
  const show = (text: string): string => {
    const visible = withVisibleGlyphs(text, covers);
    substituted ||= visible.substituted;
    return visible.text;
  };
  const showOptional = (text: string | null): string | null => (text === null ? null : show(text));
  const shown: SlipModel = {
    ...model,
    applicationNumber: show(model.applicationNumber),
    bankName: show(model.bankName),
    branchName: show(model.branchName),
    branchCode: show(model.branchCode),
    businessDate: show(model.businessDate),
    issuedAt: show(model.issuedAt),
    firstPrintedAt: show(model.firstPrintedAt),
    applicantNameMasked: show(model.applicantNameMasked),
    documentNumberMasked: show(model.documentNumberMasked),
    mobileMasked: show(model.mobileMasked),
    newMobileMasked: showOptional(model.newMobileMasked),
    merchantNumber: showOptional(model.merchantNumber),
    terminalId: showOptional(model.terminalId),
    terminalSerial: showOptional(model.terminalSerial),
    tellerNo: show(model.tellerNo),
    reviewerNo: showOptional(model.reviewerNo),
    authorizerNo: showOptional(model.authorizerNo),
    reprintAuthorizerNo: showOptional(model.reprintAuthorizerNo),
    reasonText: showOptional(model.reasonText),
  };
  return { model: shown, substituted };
}
