// Where the 联网核查 middleware is and how to reach it: an admin's setting, validated here in the core (the
// renderer is not trusted): https only, a bounded timeout, and PEM files that exist, parse and belong together.
import { readFileSync, statSync } from 'node:fs';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { DomainError } from '../rpc/domainError';
import type { EventLog } from '../eventLog';
import type { IdentityCheck } from './identityCheck';
import { httpsIdentityCheck } from './httpsIdentityCheck';

export interface IdentityCheckSettings {
  url: string;
  timeoutMs: number;
  clientCertPath: string | null;
  clientKeyPath: string | null;
  caPath: string | null;
}

export const IDENTITY_CHECK_TIMEOUT_MS = { min: 1000, max: 60_000, default: 8000 } as const;
const MAX_PEM_BYTES = 64 * 1024;

type FieldCodes = Record<string, string>;

function readPem(path: string): string | null {
  try {
    const stat = statSync(path);
    if (!stat.isFile() || stat.size > MAX_PEM_BYTES) return null;
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function certificatesIn(pem: string): X509Certificate[] | null {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (!blocks) return null;
  try {
    return blocks.map((block) => new X509Certificate(block));
  } catch {
    return null;
  }
}

/** The PEM texts the adapter needs, or the field codes of what is wrong. */
function loadMaterial(settings: IdentityCheckSettings): { ok: true; cert?: string; key?: string; ca?: string } | { ok: false; fields: FieldCodes } {
  const fields: FieldCodes = {};
  const material: { cert?: string; key?: string; ca?: string } = {};
  let url: URL | null = null;
  try {
    url = new URL(settings.url);
  } catch {
    fields['identityCheck.url'] = 'settings.identity_check_url';
  }
  if (url && url.protocol !== 'https:') fields['identityCheck.url'] = 'settings.identity_check_https_only';
  else if (url && (url.username !== '' || url.password !== '' || url.hostname === '')) fields['identityCheck.url'] = 'settings.identity_check_url';
  if (!Number.isInteger(settings.timeoutMs) || settings.timeoutMs < IDENTITY_CHECK_TIMEOUT_MS.min || settings.timeoutMs > IDENTITY_CHECK_TIMEOUT_MS.max) {
    fields['identityCheck.timeoutMs'] = 'settings.identity_check_timeout_range';
  }
  if ((settings.clientCertPath === null) !== (settings.clientKeyPath === null)) {
    fields[settings.clientCertPath === null ? 'identityCheck.clientCertPath' : 'identityCheck.clientKeyPath'] = 'settings.identity_check_pair';
  }
  let certificate: X509Certificate | undefined;
  if (settings.clientCertPath !== null) {
    const pem = readPem(settings.clientCertPath);
    const certs = pem === null ? null : certificatesIn(pem);
    if (pem === null) fields['identityCheck.clientCertPath'] = 'settings.identity_check_file';
    else if (!certs) fields['identityCheck.clientCertPath'] = 'settings.identity_check_certificate';
    else {
      certificate = certs[0];
      material.cert = pem;
    }
  }
  if (settings.clientKeyPath !== null) {
    const pem = readPem(settings.clientKeyPath);
    if (pem === null) fields['identityCheck.clientKeyPath'] = 'settings.identity_check_file';
    else {
      try {
        const key = createPrivateKey(pem);
        const matches =
          certificate === undefined ||
          createPublicKey(key).export({ type: 'spki', format: 'der' }).equals(certificate.publicKey.export({ type: 'spki', format: 'der' }));
        if (matches) material.key = pem;
        else fields['identityCheck.clientKeyPath'] = 'settings.identity_check_key_mismatch';
      } catch {
        fields['identityCheck.clientKeyPath'] = 'settings.identity_check_key';
      }
    }
  }
  if (settings.caPath !== null) {
    const pem = readPem(settings.caPath);
    if (pem === null) fields['identityCheck.caPath'] = 'settings.identity_check_file';
    else if (!certificatesIn(pem)) fields['identityCheck.caPath'] = 'settings.identity_check_certificate';
    else material.ca = pem;
  }
  return Object.keys(fields).length > 0 ? { ok: false, fields } : { ok: true, ...material };
}

/** Refuses settings that could not work, before they are saved; nothing changes on a refusal. */
export function assertIdentityCheckSettings(settings: IdentityCheckSettings): void {
  const loaded = loadMaterial(settings);
  if (!loaded.ok) throw new DomainError('VALIDATION', 'error.validation', loaded.fields);
}

/**
 * The adapter for the saved settings, or null when no middleware is configured. Files are read at each
 * call (a renewed certificate is used at once); a file gone since it was saved answers "not checked".
 */
export function identityCheckFor(settings: IdentityCheckSettings | null, log: EventLog): IdentityCheck | null {
  if (settings === null) return null;
  return {
    check(request) {
      const loaded = loadMaterial(settings);
      if (!loaded.ok) {
        log.error('identity_check.not_checked', { transactionNo: request.transactionNo, reason: 'configuration', detail: Object.values(loaded.fields).join(',') });
        return Promise.resolve({ kind: 'not_checked', reason: 'configuration', detail: Object.values(loaded.fields).join(',') });
      }
      const adapter = httpsIdentityCheck(
        { url: new URL(settings.url), timeoutMs: settings.timeoutMs, ...(loaded.cert ? { clientCert: loaded.cert } : {}), ...(loaded.key ? { clientKey: loaded.key } : {}), ...(loaded.ca ? { ca: loaded.ca } : {}) },
        log,
      );
      return adapter.check(request);
    },
  };
}
