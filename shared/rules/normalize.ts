// How a keyed number is cleaned before any rule looks at it (DOMAIN.md, "Identity documents").
// A Chinese IME types full-width digits and letters (１２３Ｘ) and the ideographic space; NFKC folds
// them to ASCII. Numbers stay strings throughout: an 18-digit ID does not fit a JS number.

// Whitespace of every kind (\s covers U+3000 ideographic space, U+00A0, U+2000–U+200A, U+FEFF…).
const SPACES = /\s/gu;
// Hyphen-minus and the dashes people paste or an IME produces: hyphen, non-breaking hyphen, figure,
// en and em dash, horizontal bar, minus sign, small and full-width hyphen-minus.
const DASHES = /[-\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/gu;

/** NFKC, no spaces, no hyphens or dashes, upper case: the form every rule and every store uses. */
export function normalizeKeyed(raw: string): string {
  return raw.normalize('NFKC').replace(SPACES, '').replace(DASHES, '').toUpperCase();
}

/**
 * Terminal serial numbers are vendor strings in which the hyphen is significant (`ABC-12345`), so
 * dashes are unified to '-' instead of removed.
 */
export function normalizeTerminalSerial(raw: string): string {
  return raw.normalize('NFKC').replace(SPACES, '').replace(DASHES, '-').toUpperCase();
}

/** True for the empty string and strings of whitespace only: a field left blank. */
export function isBlank(raw: string): boolean {
  return raw.replace(SPACES, '') === '';
}
