import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * RFC 8785 (JSON Canonicalization Scheme): sorted keys, no whitespace, fixed number and string forms, so
 * the bytes signed at the counter are the bytes head office re-derives.
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value cannot be canonicalized');
  return text;
}

/** Ed25519 signature (base64url) over the canonical JSON of a value. */
export function signCanonical(privateKey: KeyObject, value: unknown): string {
  return sign(null, Buffer.from(canonicalJson(value), 'utf8'), privateKey).toString('base64url');
}

/**
 * The same signature as signCanonical, over text that already IS canonical JSON (made by canonicalJson and kept
 * as it was, e.g. a sealed hand-off body): no second canonicalization of bytes that cannot change.
 */
export function signCanonicalText(privateKey: KeyObject, canonicalText: string): string {
  return sign(null, Buffer.from(canonicalText, 'utf8'), privateKey).toString('base64url');
}

export function verifyCanonical(publicKey: KeyObject, value: unknown, signature: string): boolean {
  try {
    const bytes = Buffer.from(signature, 'base64url');
    if (bytes.length !== 64) return false;
    return verify(null, Buffer.from(canonicalJson(value), 'utf8'), publicKey, bytes);
  } catch {
    return false;
  }
}

/** The public key in the PEM form head office keeps. */
export function publicKeyPem(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}
