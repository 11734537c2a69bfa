/**
 * Line breaking for slip text, done here rather than by pdfkit so that a layout can be measured before
 * its page exists (the 80 mm roll's page is exactly as long as its content).
 *
 * Chinese breaks between any two characters, except that closing punctuation never starts a line and
 * opening punctuation never ends one (避头尾, W3C "Requirements for Chinese Text Layout"); runs of Latin
 * letters, digits and the symbols of numbers and codes stay whole unless longer than a line, and then break
 * after a hyphen where they can.
 */
const CLOSING = '，。、；：？！）」』”’》〉】%,.;:?!)]';
const OPENING = '（「『“‘《〈【([';
const TOKEN = /[0-9A-Za-z*#@._\-/+]+|\s+|./gsu;

export type WidthOf = (text: string) => number;

export function breakLines(text: string, maxWidth: number, widthOf: WidthOf): string[] {
  const lines: string[] = [];
  let line = '';
  for (const token of tokens(text)) {
    if (line === '' && token.trim() === '') continue;
    if (widthOf(line + token) <= maxWidth) {
      line += token;
      continue;
    }
    if (line.trim() !== '') lines.push(line.trimEnd());
    line = '';
    if (token.trim() === '') continue;
    // A code longer than a line breaks after one of its hyphens where it can (a SAM id, a long SN): each
    // group of digits stays whole; only a group longer than a line is cut.
    for (const part of token.split(/(?<=-)/u)) {
      if (line !== '' && widthOf(line + part) > maxWidth) {
        lines.push(line);
        line = '';
      }
      if (widthOf(line + part) <= maxWidth) {
        line += part;
        continue;
      }
      for (const ch of part) {
        if (line !== '' && widthOf(line + ch) > maxWidth) {
          lines.push(line);
          line = '';
        }
        line += ch;
      }
    }
  }
  if (line.trim() !== '') lines.push(line.trimEnd());
  return lines.length > 0 ? lines : [''];
}

/** Words to keep whole: a Latin run, a space, or one Chinese character with its clinging punctuation. */
function tokens(text: string): string[] {
  const raw = text.match(TOKEN) ?? [];
  const out: string[] = [];
  let pendingOpening = '';
  for (const token of raw) {
    if (OPENING.includes(token)) {
      pendingOpening += token;
    } else if (CLOSING.includes(token) && out.length > 0 && pendingOpening === '') {
      out[out.length - 1] += token;
    } else {
      out.push(pendingOpening + token);
      pendingOpening = '';
    }
  }
  if (pendingOpening !== '') out.push(pendingOpening);
  return out;
}
