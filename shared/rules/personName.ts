// Names of applicants and agents as printed on their documents: Han characters, letters of any
// script, the middle dot of ethnic-minority and transliterated foreign names ('阿依古丽·买买提'),
// spaces, and the hyphen and apostrophe of foreign names ('JEAN-PAUL', "O'BRIEN").
import type { Check } from './codes';
import { hiddenCharacterCode } from './textCharacters';

export const PERSON_NAME_MAX_LENGTH = 50;

// Dots an IME or a font offers in place of U+00B7 MIDDLE DOT (katakana middle dot, bullet,
// hyphenation point, dot operators, word separator middle dot).
const MIDDLE_DOT_LOOKALIKES = /[\u2022\u2027\u2219\u22C5\u2E31\u30FB]/gu;
const APOSTROPHE_LOOKALIKES = /[\u2018\u2019\u02BC]/gu;
const HYPHEN_LOOKALIKES = /[\u2010\u2011\u2012\u2013\u2212]/gu;

/** NFKC (full-width letters to ASCII), one kind of middle dot, apostrophe and hyphen, single spaces. */
export function normalizePersonName(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(MIDDLE_DOT_LOOKALIKES, '·')
    .replace(APOSTROPHE_LOOKALIKES, "'")
    .replace(HYPHEN_LOOKALIKES, '-')
    .replace(/\s+/gu, ' ')
    .trim();
}

// Letters (with their combining marks) joined by at most one separator; no leading or trailing
// separator. Each repetition consumes exactly one letter, so matching stays linear.
const NAME_PATTERN = /^\p{L}\p{M}*(?:[·' -]?\p{L}\p{M}*)*$/u;

/** Validates a keyed name; `value` is the normalized name. */
export function checkPersonName(raw: string): Check {
  const hidden = hiddenCharacterCode(raw);
  if (hidden !== undefined) return { ok: false, code: hidden };
  const value = normalizePersonName(raw);
  if (value === '') return { ok: false, code: 'name.required' };
  if (Array.from(value).length > PERSON_NAME_MAX_LENGTH) return { ok: false, code: 'name.too_long' };
  if (!NAME_PATTERN.test(value)) return { ok: false, code: 'name.format' };
  return { ok: true, value, warnings: [] };
}
