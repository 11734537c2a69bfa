// Application numbers (受理编号) and the counter (desk) number within a branch. Pure: used by the core, the
// CLI and the screens alike.
//
// New form, since desks were numbered: `<branch>-<desk>-<YYYYMMDD>-<seq>`, e.g. 310101-02-20261202-0007.
// Old form, issued before: `<branch>-<YYYYMMDD>-<seq>`, e.g. 310101-20261202-0007; still valid and verifiable.
// The two cannot be mistaken for each other: the new form has four parts, the old three.

/** A desk number: two digits, 01–99 (00 is no desk). */
export const DESK_NUMBER = /^(0[1-9]|[1-9]\d)$/;

export interface ApplicationNumberParts {
  branch: string;
  /** null for a number of the old form, issued before the installation had a desk number. */
  desk: string | null;
  /** YYYY-MM-DD */
  businessDate: string;
  seq: number;
}

const NEW_FORM = /^([0-9A-Z]{3,12})-(0[1-9]|[1-9]\d)-(\d{4})(\d{2})(\d{2})-(\d{4,6})$/;
const OLD_FORM = /^([0-9A-Z]{3,12})-(\d{4})(\d{2})(\d{2})-(\d{4,6})$/;

export function isDeskNumber(value: string): boolean {
  return DESK_NUMBER.test(value);
}

/** The number of the `seq`-th request of a business day at a desk. */
export function formatApplicationNumber(branch: string, desk: string, businessDate: string, seq: number): string {
  if (!DESK_NUMBER.test(desk)) throw new RangeError('application_number.desk: not 01–99');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(businessDate)) throw new RangeError('application_number.date: not YYYY-MM-DD');
  if (!Number.isSafeInteger(seq) || seq < 1 || seq > 999_999) throw new RangeError('application_number.seq: out of range');
  return `${branch}-${desk}-${businessDate.replaceAll('-', '')}-${String(seq).padStart(4, '0')}`;
}

/** Reads a number of either form; null when it is neither. */
export function parseApplicationNumber(value: string): ApplicationNumberParts | null {
  const fresh = NEW_FORM.exec(value);
  if (fresh) {
    const [, branch = '', desk = '', y, m, d, seq = ''] = fresh;
    return { branch, desk, businessDate: `${y}-${m}-${d}`, seq: Number(seq) };
  }
  const old = OLD_FORM.exec(value);
  if (old) {
    const [, branch = '', y, m, d, seq = ''] = old;
    return { branch, desk: null, businessDate: `${y}-${m}-${d}`, seq: Number(seq) };
  }
  return null;
}

/** True when the text has the shape of an application number (either form), e.g. typed into the search box. */
export function looksLikeApplicationNumber(value: string): boolean {
  return parseApplicationNumber(value) !== null;
}

/**
 * The ticket as called and shown: `02-7` at desk 02, so a customer holding two branches' tickets, or two desks'
 * queues shown side by side, cannot confuse them; the bare number for a request numbered before desks.
 */
export function ticketLabel(desk: string | null, ticketNo: number): string {
  return desk ? `${desk}-${ticketNo}` : String(ticketNo);
}
