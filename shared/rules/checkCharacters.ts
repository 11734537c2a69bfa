// Check characters of identity document numbers. Pure arithmetic over strings.

// GB 11643-1999 §7 (ISO 7064:1983 MOD 11-2): weight of position i (1..17) is 2^(18-i) mod 11.
const MOD_11_2_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
// Index is S mod 11; 'X' stands for the check value 10.
const MOD_11_2_CHECK_CHARACTERS = '10X98765432';

/** The check character of the first 17 digits of an 18-character number (resident ID and kin). */
export function mod11_2CheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('MOD 11-2 needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    sum += Number(first17[i]) * (MOD_11_2_WEIGHTS[i] ?? 0);
  }
  return MOD_11_2_CHECK_CHARACTERS[sum % 11] ?? '';
}

// ICAO Doc 9303 part 3 §4.9: weights 7, 3, 1 repeating; digits count as themselves, A=10 … Z=35,
// the filler '<' as 0; the check digit is the weighted sum mod 10.
const ICAO_WEIGHTS = [7, 3, 1] as const;

function icaoValue(ch: string): number {
  if (ch >= '0' && ch <= '9') return ch.charCodeAt(0) - 48;
  if (ch >= 'A' && ch <= 'Z') return ch.charCodeAt(0) - 55;
  if (ch === '<') return 0;
  throw new RangeError(`no ICAO 9303 value for ${JSON.stringify(ch)}`);
}

export function icao9303CheckDigit(s: string): string {
  let sum = 0;
  for (let i = 0; i < s.length; i += 1) {
    sum += icaoValue(s[i] ?? '') * (ICAO_WEIGHTS[i % 3] ?? 0);
  }
  return String(sum % 10);
}
