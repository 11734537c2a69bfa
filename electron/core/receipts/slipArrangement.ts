import { breakLines } from './lineBreaking';
import type { SlipField, SlipContent } from './slipSections';

/**
 * Where each piece of a slip goes on its page, as plain drawing operations. Kept apart from pdfkit so
 * the 80 mm roll can be measured before its page is created, and so every position is a number a test
 * can check against the page width.
 */
export type FontFace = 'regular' | 'bold';

export interface TextMeasure {
  widthOf(text: string, face: FontFace, size: number): number;
  lineHeightOf(face: FontFace, size: number): number;
}

export type DrawOp =
  | { kind: 'text'; text: string; x: number; y: number; face: FontFace; size: number }
  | { kind: 'rule'; x1: number; y1: number; x2: number; y2: number; width: number; dashed?: boolean }
  | { kind: 'frame'; x: number; y: number; w: number; h: number; width: number }
  | { kind: 'signature'; x: number; y: number; w: number; h: number }
  | { kind: 'qr'; x: number; y: number; side: number };

export interface SlipGeometry {
  pageWidth: number;
  /** Fixed page height, or null when the page is as long as its content (receipt roll). */
  pageHeight: number | null;
  margin: number;
  sizes: { title: number; bank: number; heading: number; body: number; small: number };
  columns: 1 | 2;
  qr: { side: number; placement: 'beside-summary' | 'bottom' };
  signatureBox: { w: number; h: number };
}

// A5 portrait, 148 × 210 mm. 8.5 mm margins clear the unprintable edge (≈ 5 mm) of office printers.
export const A5_GEOMETRY: SlipGeometry = {
  pageWidth: 419.53,
  pageHeight: 595.28,
  margin: 24,
  sizes: { title: 15, bank: 12, heading: 9.5, body: 9, small: 7.5 },
  columns: 2,
  // Up to 89 modules + quiet zone at ≥ 0.4 mm per module: well within a laser printer and a phone camera.
  qr: { side: 110, placement: 'beside-summary' },
  signatureBox: { w: 150, h: 40 },
};

// 80 mm thermal roll: 72 mm (≈ 204 pt) of it is printable, hence the 12 pt margins either side.
export const ROLL80_GEOMETRY: SlipGeometry = {
  pageWidth: 226.77,
  pageHeight: null,
  margin: 12,
  sizes: { title: 11.5, bank: 10.5, heading: 9, body: 8.5, small: 7.5 },
  columns: 1,
  // ≈ 0.55 mm per module: 4 dots of a 203 dpi print head, so no module is lost to rounding.
  qr: { side: 150, placement: 'bottom' },
  signatureBox: { w: 202, h: 60 },
};

export interface Arrangement {
  ops: DrawOp[];
  pageWidth: number;
  pageHeight: number;
  /** Bottom of the content; on a fixed page it must not pass pageHeight − margin. */
  contentBottom: number;
}

export function arrangeSlip(content: SlipContent, geometry: SlipGeometry, measure: TextMeasure): Arrangement {
  const g = geometry;
  const left = g.margin;
  const right = g.pageWidth - g.margin;
  const width = right - left;
  const ops: DrawOp[] = [];

  const lh = (face: FontFace, size: number) => measure.lineHeightOf(face, size);
  /** Writes wrapped text; returns the height used. */
  const write = (text: string, x: number, y: number, maxWidth: number, face: FontFace, size: number, align: 'left' | 'center' = 'left') => {
    const lines = breakLines(text, maxWidth, (s) => measure.widthOf(s, face, size));
    lines.forEach((line, i) => {
      const dx = align === 'center' ? (maxWidth - measure.widthOf(line, face, size)) / 2 : 0;
      ops.push({ kind: 'text', text: line, x: x + dx, y: y + i * lh(face, size), face, size });
    });
    return lines.length * lh(face, size);
  };
  const labelText = (label: string) => `${label}：`;
  // Labels never wrap: the label column is as wide as the longest label it holds.
  const labelWidthOf = (fields: SlipField[]) => Math.max(...fields.map((f) => measure.widthOf(labelText(f.label), 'regular', g.sizes.body))) + 4;
  const field = (f: SlipField, x: number, y: number, cellWidth: number, labelWidth: number) => {
    const size = g.sizes.body;
    const face: FontFace = f.emphasis ? 'bold' : 'regular';
    const labelHeight = write(labelText(f.label), x, y, labelWidth, 'regular', size);
    // A code such as the SN reads better whole on the next line than broken beside its label. Words (a
    // long Latin name, a reason in the customer's words) wrap under their value column instead.
    const valueWidth = measure.widthOf(f.value, face, size);
    const oneCode = /^[0-9A-Za-z*#@._\-/+]+$/.test(f.value);
    if (oneCode && valueWidth > cellWidth - labelWidth && valueWidth <= cellWidth) return labelHeight + write(f.value, x, y + labelHeight, cellWidth, face, size);
    return write(f.value, x + labelWidth, y, cellWidth - labelWidth, face, size);
  };
  /** Lays fields out in a grid, wide ones alone on their row; returns the height used. */
  const grid = (fields: SlipField[], x: number, y: number, areaWidth: number, columns: number, labelWidth: number) => {
    const gap = 12;
    const cellWidth = (areaWidth - gap * (columns - 1)) / columns;
    let top = y;
    let column = 0;
    let rowHeight = 0;
    const endRow = () => {
      top += rowHeight + 2;
      column = 0;
      rowHeight = 0;
    };
    for (const f of fields) {
      const spans = columns === 1 || f.wide === true;
      if (spans && column > 0) endRow();
      rowHeight = Math.max(rowHeight, field(f, x + column * (cellWidth + gap), top, spans ? areaWidth : cellWidth, labelWidth));
      column += 1;
      if (spans || column === columns) endRow();
    }
    if (column > 0) endRow();
    return top - y;
  };
  const sharedLabelWidth = labelWidthOf([...content.summary, ...content.sections.filter((s) => !s.dense).flatMap((s) => s.fields)]);

  let y = g.margin;

  // Bank, part label (客户联 / 银行留存联) and branch.
  const badgeSize = g.sizes.body + 1;
  const badgeWidth = measure.widthOf(content.partLabel, 'bold', badgeSize) + 12;
  const badgeHeight = lh('bold', badgeSize) + 4;
  ops.push({ kind: 'frame', x: right - badgeWidth, y, w: badgeWidth, h: badgeHeight, width: 1 });
  ops.push({ kind: 'text', text: content.partLabel, x: right - badgeWidth + 6, y: y + 2, face: 'bold', size: badgeSize });
  const bankHeight = write(content.bankName, left, y, width - badgeWidth - 8, 'bold', g.sizes.bank);
  y += Math.max(bankHeight, badgeHeight) + 1;
  y += write(content.branchLine, left, y, width, 'regular', g.sizes.small);
  y += 3;
  y += write(content.title, left, y, width, 'bold', g.sizes.title, 'center');
  ops.push({ kind: 'rule', x1: left, y1: y + 2, x2: right, y2: y + 2, width: 1.2 });
  y += 6;

  // A reprint must be impossible to miss: boxed, bold, above everything else.
  if (content.reprint !== null) {
    const size = g.sizes.body + 1.5;
    const textHeight = breakLines(content.reprint, width - 12, (s) => measure.widthOf(s, 'bold', size)).length * lh('bold', size);
    ops.push({ kind: 'frame', x: left, y, w: width, h: textHeight + 6, width: 2 });
    write(content.reprint, left + 6, y + 3, width - 12, 'bold', size);
    y += textHeight + 6 + 5;
  }

  // Summary and the status note, with the QR code beside them on A5.
  if (g.qr.placement === 'beside-summary') {
    const summaryWidth = width - g.qr.side - 10;
    let h = grid(content.summary, left, y, summaryWidth, 1, sharedLabelWidth) + 2;
    h += write(content.statusNote, left, y + h, summaryWidth, 'regular', g.sizes.small);
    ops.push({ kind: 'qr', x: right - g.qr.side, y, side: g.qr.side });
    const captionHeight = write(content.qrCaption, right - g.qr.side, y + g.qr.side, g.qr.side, 'regular', g.sizes.small, 'center');
    y += Math.max(h, g.qr.side + captionHeight) + 4;
  } else {
    y += grid(content.summary, left, y, width, 1, sharedLabelWidth) + 2;
    y += write(content.statusNote, left, y, width, 'regular', g.sizes.small) + 5;
  }

  for (const section of content.sections) {
    y += write(section.heading, left, y, width, 'bold', g.sizes.heading);
    ops.push({ kind: 'rule', x1: left, y1: y + 1, x2: right, y2: y + 1, width: 0.5 });
    y += 3;
    const columns = g.columns === 1 ? 1 : section.dense ? 3 : g.columns;
    const labelWidth = columns === 3 ? labelWidthOf(section.fields) : sharedLabelWidth;
    y += grid(section.fields, left, y, width, columns, labelWidth) + 2;
  }

  // Risk warnings, framed.
  {
    const top = y;
    const inner = width - 12;
    let h = 3;
    h += write(content.riskHeading, left + 6, top + h, inner, 'bold', g.sizes.heading);
    const indent = measure.widthOf('0. ', 'regular', g.sizes.small);
    content.riskWarnings.forEach((warning, i) => {
      ops.push({ kind: 'text', text: `${i + 1}.`, x: left + 6, y: top + h, face: 'regular', size: g.sizes.small });
      h += write(warning, left + 6 + indent, top + h, inner - indent, 'regular', g.sizes.small);
    });
    h += 3;
    ops.push({ kind: 'frame', x: left, y: top, w: width, h, width: 1 });
    y += h + 6;
  }

  // The customer's confirmation and drawn signature (or a line to sign on), side by side when they fit.
  {
    const box = g.signatureBox;
    const confirmationSize = g.sizes.body + 0.5;
    const signerLabel = labelText(content.signerLabel);
    const signerLabelWidth = measure.widthOf(signerLabel, 'regular', g.sizes.body) + 4;
    const confirmationWidth = measure.widthOf(content.confirmation, 'bold', confirmationSize);
    const sideBySide = confirmationWidth + 12 + signerLabelWidth + box.w <= width;
    let top = y;
    let x = right - box.w;
    if (sideBySide) {
      write(content.confirmation, left, y + box.h - lh('bold', confirmationSize), width, 'bold', confirmationSize);
    } else {
      top += write(content.confirmation, left, y, width, 'bold', confirmationSize) + 2;
      x = signerLabelWidth + box.w <= width ? left + signerLabelWidth : left;
    }
    const labelBeside = x >= left + signerLabelWidth;
    if (!labelBeside) top += write(signerLabel, left, top, width, 'regular', g.sizes.body);
    else write(signerLabel, x - signerLabelWidth, top + box.h - lh('regular', g.sizes.body), signerLabelWidth, 'regular', g.sizes.body);
    ops.push({ kind: 'signature', x, y: top, w: box.w, h: box.h });
    ops.push({ kind: 'rule', x1: x, y1: top + box.h, x2: x + box.w, y2: top + box.h, width: 0.7 });
    y = top + box.h + 6;
  }

  if (g.qr.placement === 'bottom') {
    ops.push({ kind: 'qr', x: left + (width - g.qr.side) / 2, y, side: g.qr.side });
    y += g.qr.side;
    y += write(content.qrCaption, left, y, width, 'regular', g.sizes.small, 'center') + 4;
  }

  ops.push({ kind: 'rule', x1: left, y1: y, x2: right, y2: y, width: 0.5, dashed: true });
  y += 3;
  const printFace: FontFace = content.reprint === null ? 'regular' : 'bold';
  const printLineHeight = write(content.printLine, left, y, width, printFace, g.sizes.small);
  const partNoteWidth = measure.widthOf(content.partNote, 'regular', g.sizes.small);
  if (measure.widthOf(content.printLine, printFace, g.sizes.small) + 12 + partNoteWidth <= width) {
    write(content.partNote, right - partNoteWidth, y, partNoteWidth, 'regular', g.sizes.small);
    y += printLineHeight;
  } else {
    y += printLineHeight;
    y += write(content.partNote, left, y, width, 'regular', g.sizes.small);
  }

  const pageHeight = g.pageHeight ?? Math.ceil(y + g.margin);
  return { ops, pageWidth: g.pageWidth, pageHeight, contentBottom: y };
}
