import { createCipheriv, createDecipheriv, createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';

/**
 * AES-256-GCM for one personal-data value. Layout: version (1 byte) ‖ nonce (12) ‖ tag (16) ‖ ciphertext.
 * The associated data binds the value to its table, column and row, so a ciphertext copied into another
 * row or column fails to decrypt instead of silently showing another customer's data.
 */
const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

// Node turns a raw key Buffer into a key on every cipher or HMAC (by way of a thrown and caught brand
// check, a tenth of a millisecond each); converting once per key saves that.
const keyObjects = new WeakMap<Buffer, KeyObject>();
function keyObject(dataKey: Buffer): KeyObject {
  let key = keyObjects.get(dataKey);
  if (!key) {
    key = createSecretKey(dataKey);
    keyObjects.set(dataKey, key);
  }
  return key;
}

export function fieldContext(table: string, column: string, rowId: number | string): string {
  return `${table}.${column}.${rowId}`;
}

export function encryptField(dataKey: Buffer, plaintext: Buffer | string, context: string): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyObject(dataKey), nonce);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), nonce, cipher.getAuthTag(), body]);
}

export function decryptField(dataKey: Buffer, sealed: Buffer, context: string): Buffer {
  if (sealed.length < 1 + NONCE_BYTES + TAG_BYTES || sealed[0] !== VERSION) throw new Error('sealed field: unknown format');
  const nonce = sealed.subarray(1, 1 + NONCE_BYTES);
  const tag = sealed.subarray(1 + NONCE_BYTES, 1 + NONCE_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', keyObject(dataKey), nonce);
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(sealed.subarray(1 + NONCE_BYTES + TAG_BYTES)), decipher.final()]);
}

/** HMAC-SHA256 blind index for exact search; the kind keeps a phone and an ID number with equal digits apart. */
export function blindIndex(indexKey: Buffer, kind: 'document' | 'mobile' | 'identity', normalizedValue: string): Buffer {
  return createHmac('sha256', keyObject(indexKey)).update(`${kind}:${normalizedValue}`, 'utf8').digest();
}
