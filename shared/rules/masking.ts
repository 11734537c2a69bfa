// Masks for personal information wherever it is shown, printed or exported for reporting
// (PIPL; JR/T 0171-2020 classes ID and phone numbers as C2). DOMAIN.md fixes the masks for the
// normal cases; for any other input a mask shows less, never more.
import { COMPOUND_SURNAMES } from './compoundSurnames';

function maskEnds(value: string, head: number, tail: number): string {
  const chars = Array.from(value);
  return chars.map((ch, i) => (i < head || i >= chars.length - tail ? ch : '*')).join('');
}

/**
 * 1101**********002X: first 4 and last 4 characters of an 18-character number. Shorter numbers
 * (passports, travel permits, the 15-character permanent resident card) show at most a quarter of
 * their characters at each end, 8 characters or fewer only the first and last one, and 3 or fewer
 * nothing at all.
 */
export function maskIdNumber(value: string): string {
  const n = Array.from(value).length;
  const reveal = n >= 16 ? 4 : n >= 9 ? Math.floor(n / 4) : n >= 4 ? 1 : 0;
  return maskEnds(value, reveal, reveal);
}

/** 138****5678: first 3 and last 4 of 11 digits; shorter input shows proportionally less. */
export function maskMobile(value: string): string {
  const n = Array.from(value).length;
  if (n >= 11) return maskEnds(value, 3, 4);
  const reveal = n >= 8 ? 2 : n >= 4 ? 1 : 0;
  return maskEnds(value, reveal, reveal);
}

// Word separators stay visible (they are not part of the name): the space of 'JOHN SMITH' and the
// middle dot of minority names such as '阿依古丽·买买提'.
const NAME_SEPARATORS = new Set([' ', '\u3000', '·']);

/**
 * 张* and 欧阳**: the family name and one '*' per other character. Non-Han names keep their first
 * letter. A name is never shown whole: a one-character name becomes '*', and '欧阳' alone is '欧*'.
 */
export function maskName(value: string): string {
  const chars = Array.from(value);
  const letters = chars.filter((ch) => !NAME_SEPARATORS.has(ch));
  const familyNameLength = COMPOUND_SURNAMES.has(letters.slice(0, 2).join('')) ? 2 : 1;
  const keep = Math.max(0, Math.min(familyNameLength, letters.length - 1));
  let kept = 0;
  return chars
    .map((ch) => {
      if (NAME_SEPARATORS.has(ch)) return ch;
      if (kept < keep) {
        kept += 1;
        return ch;
      }
      return '*';
    })
    .join('');
}
