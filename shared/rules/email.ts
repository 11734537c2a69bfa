// E-mail addresses for the outcome notification. Deliberately narrower than RFC 5322: the address
// is printed and read back to the customer, so quoted local parts, IP literals and non-ASCII
// addresses are refused; a full-width '＠' from a Chinese IME is folded by NFKC.
import type { Check } from './codes';

export const EMAIL_MAX_LENGTH = 254; // RFC 5321 §4.5.3.1.3 path limit

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Validates an address; `value` has surrounding spaces removed and the domain in lower case. */
export function validateEmail(raw: string): Check {
  const trimmed = raw.normalize('NFKC').trim();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || trimmed.length > EMAIL_MAX_LENGTH) return { ok: false, code: 'notification.email_format' };
  const local = trimmed.slice(0, at);
  const domain = trimmed.slice(at + 1).toLowerCase();
  const labels = domain.split('.');
  const topLevel = labels[labels.length - 1] ?? '';
  const valid =
    local.length <= 64 && // RFC 5321 §4.5.3.1.1
    LOCAL_PART.test(local) &&
    labels.length >= 2 &&
    labels.every((label) => DOMAIN_LABEL.test(label)) &&
    /^[a-z]{2,63}$|^xn--[a-z0-9-]{1,59}$/.test(topLevel);
  return valid ? { ok: true, value: `${local}@${domain}`, warnings: [] } : { ok: false, code: 'notification.email_format' };
}
