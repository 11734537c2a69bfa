// Characters refused in anything a teller types that is later shown, printed or exported: they can
// hide or reorder text on the slip and in reports (Unicode TR #36 / CVE-2021-42574 "Trojan Source").
import type { ValidationErrorCode } from './codes';

// Explicit directional formatting characters (UAX #9 §2): embeddings, overrides, isolates, marks.
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
// C0 and C1 controls, DEL, and (deliberately) tab and line breaks: every field is one line.
const CONTROL_CHARACTERS = /\p{Cc}/u;
// Invisible or unrenderable: format characters (zero-width space, joiners, word joiner, BOM, soft
// hyphen…), line and paragraph separators, lone surrogates, private-use and unassigned code points,
// and the blank "letters" used for spoofing (Hangul fillers, Braille blank, combining grapheme
// joiner, variation selectors).
const INVISIBLE_CHARACTERS = /[\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\p{Cn}\u115F\u1160\u180E\u2800\u3164\uFFA0]/u;
// Invisible combining marks, kept out of the class above (a mark inside a class reads as combining
// with its neighbour): combining grapheme joiner and the variation selectors.
const INVISIBLE_MARKS = /\u034F|[\uFE00-\uFE0F]|[\u{E0100}-\u{E01EF}]/u;

export type HiddenCharacterCode = Extract<
  ValidationErrorCode,
  'text.bidi_control' | 'text.control_character' | 'text.invisible_character'
>;

/** The code of the first kind of hidden character found in `s`, or undefined when there is none. */
export function hiddenCharacterCode(s: string): HiddenCharacterCode | undefined {
  if (BIDI_CONTROLS.test(s)) return 'text.bidi_control';
  if (CONTROL_CHARACTERS.test(s)) return 'text.control_character';
  if (INVISIBLE_CHARACTERS.test(s) || INVISIBLE_MARKS.test(s)) return 'text.invisible_character';
  return undefined;
}

/** True when `s` holds none of the characters above. */
export function isPlainText(s: string): boolean {
  return hiddenCharacterCode(s) === undefined;
}
