import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { CoreContext } from '../context';
import { DomainError } from '../rpc/domainError';
import { readSettings } from '../settings';

/**
 * Authenticated outcome files (README "Acquirer hand-off: the batch contract"): the acquirer signs each outcome
 * file with its own key; the admin configures the public key (PEM, SPKI; Ed25519 or ECDSA P-256) in the batch
 * channel's settings. Beside `<name>.csv` comes `<name>.csv.sig`: the base64 of the signature over the file's exact
 * bytes (Ed25519: the 64-byte signature of the bytes; ECDSA P-256: over their SHA-256, DER as `openssl dgst -sha256
 * -sign` writes it, or the 64-byte r‖s form). Whitespace in the .sig (a line break, base64's wrapping) is ignored.
 */
export interface OutcomeKey {
  key: KeyObject;
  /** SHA-256, lower-case hex, of the key's SPKI DER: what the audit and the screens name it by (`openssl pkey -pubin -outform DER | sha256sum`). */
  fingerprint: string;
  /** 'ed25519' or 'p256'. */
  kind: 'ed25519' | 'p256';
}

/** The largest .sig read: a P-256 DER signature is 72 bytes (96 in base64); anything far larger is not a signature. */
export const OUTCOME_SIGNATURE_MAX_CHARS = 1024;
const PEM_MAX_CHARS = 4096;

function keyRefused(code: string): DomainError {
  return new DomainError('VALIDATION', 'error.validation', { 'acquirer.batch.outcomePublicKey': code });
}

/** Reads an admin's PEM as the acquirer's public key, or refuses it (field error) saying why. */
export function parseOutcomePublicKey(pem: string): OutcomeKey {
  const text = pem.trim();
  // A private key pasted by mistake would give its public half; it is refused instead, so it is noticed (and not stored).
  if (/PRIVATE KEY/.test(text)) throw keyRefused('settings.acquirer_public_key_private');
  if (text.length > PEM_MAX_CHARS || !/^-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----$/.test(text)) throw keyRefused('settings.acquirer_public_key_invalid');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: text, format: 'pem' });
  } catch {
    throw keyRefused('settings.acquirer_public_key_invalid');
  }
  let kind: OutcomeKey['kind'];
  if (key.asymmetricKeyType === 'ed25519') kind = 'ed25519';
  else if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') kind = 'p256';
  else throw keyRefused('settings.acquirer_public_key_type');
  return { key, kind, fingerprint: createHash('sha256').update(key.export({ format: 'der', type: 'spki' })).digest('hex') };
}

/** The key as saved: the same PEM in its standard form (what `openssl pkey -pubin` prints). */
export function normalizedOutcomePublicKey(pem: string): string {
  return parseOutcomePublicKey(pem).key.export({ format: 'pem', type: 'spki' }).toString().trim();
}

const parsed = new Map<string, OutcomeKey | null>();

/** The acquirer's key the settings name; null when none is set (or the stored one no longer reads, which saving prevents). */
export function configuredOutcomeKey(core: CoreContext): OutcomeKey | null {
  const pem = readSettings(core.db).acquirer.batch.outcomePublicKey;
  if (!pem) return null;
  if (!parsed.has(pem)) {
    let key: OutcomeKey | null;
    try {
      key = parseOutcomePublicKey(pem);
    } catch {
      key = null;
    }
    if (parsed.size > 8) parsed.clear();
    parsed.set(pem, key);
  }
  return parsed.get(pem) ?? null;
}

/** Whether `signatureText` (the .sig's content) is the acquirer's signature over exactly these bytes. */
export function outcomeSignatureValid(key: OutcomeKey, bytes: Buffer, signatureText: string): boolean {
  const base64 = signatureText.replace(/\s+/g, '');
  if (base64.length === 0 || base64.length > OUTCOME_SIGNATURE_MAX_CHARS || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 !== 0) return false;
  const signature = Buffer.from(base64, 'base64');
  try {
    if (key.kind === 'ed25519') return signature.length === 64 && verify(null, bytes, key.key, signature);
    // ECDSA: DER as OpenSSL and Java write it; the raw r‖s (64 bytes) as Web Crypto does.
    return verify('sha256', bytes, { key: key.key, dsaEncoding: signature.length === 64 ? 'ieee-p1363' : 'der' }, signature);
  } catch {
    return false;
  }
}

/**
 * The check before an outcome file is read: with a key configured, its signature must be there and verify, else the
 * file is refused whole ('handoff.signature_missing' / 'handoff.signature_invalid'); without a key nothing is
 * checked (the screen's import only: the watched folder imports nothing then). Returns the key's fingerprint, for the audit.
 */
export function checkOutcomeSignature(core: CoreContext, fileName: string, bytes: Buffer, signatureText: string | null): string | null {
  const key = configuredOutcomeKey(core);
  if (!key) return null;
  if (signatureText === null) throw new DomainError('VALIDATION', 'handoff.signature_missing', undefined, { file: fileName.slice(0, 255) });
  if (!outcomeSignatureValid(key, bytes, signatureText)) throw new DomainError('VALIDATION', 'handoff.signature_invalid', undefined, { file: fileName.slice(0, 255), fingerprint: key.fingerprint.slice(0, 16) });
  return key.fingerprint;
}
