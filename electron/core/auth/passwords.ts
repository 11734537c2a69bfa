import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt password hashes: N=2^17, r=8, p=1, 16-byte salt (OWASP's recommendation for scrypt). The stored
 * form carries its parameters (`scrypt$17$8$1$salt$hash`), so a later cost increase still verifies old hashes.
 */
export const DEFAULT_PASSWORD_COST = 17;

const KEY_BYTES = 32;

function scrypt(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** logN, r, p, maxmem: 256 * 2 ** logN * r + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFKC'), salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function hashPassword(password: string, logN: number = DEFAULT_PASSWORD_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, logN, 8, 1);
  return `scrypt$${logN}$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [logN, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![logN, r, p].every((n) => Number.isInteger(n) && n > 0) || logN > 20) return false;
  const expected = Buffer.from(parts[5] ?? '', 'base64');
  const actual = await scrypt(password, Buffer.from(parts[4] ?? '', 'base64'), logN, r, p);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Spends the same time as a real check, so an unknown employee number cannot be told from a wrong password. */
export async function burnPasswordCheck(password: string, logN: number): Promise<void> {
  await scrypt(password, Buffer.alloc(16), logN, 8, 1);
}
