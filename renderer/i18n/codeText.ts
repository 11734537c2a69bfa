import { useTranslation } from 'react-i18next';
import type { RpcError } from '../../shared';
import { i18next } from './index';

// Codes are keys with dots in them ("id.checksum", "auth.invalid_credentials"); the flat namespaces are
// searched first, then the screens' own nested words ("error.not_found").
const FLAT_NAMESPACES = ['validation', 'messages'] as const;

/** The text of a code from the rules or the core, in the current language; never the bare code alone. */
export function codeText(code: string, values: Record<string, unknown> = {}): string {
  for (const ns of FLAT_NAMESPACES) {
    if (i18next.exists(code, { ns, keySeparator: false })) return i18next.t(code, { ns, keySeparator: false, ...values });
  }
  if (i18next.exists(code)) return i18next.t(code, values);
  return i18next.t('error.unknown_code', { code });
}

/**
 * A refusal in words: the message, or — for a validation refusal — what was wrong with each field. A failed
 * login says nothing more (no attempts left, no lock time): that would tell an outsider the account exists.
 * Screens with fields of their own map `error.fields` beside them instead (serverFieldErrors.ts).
 */
export function refusalText(error: RpcError): string {
  const fields = error.fields ? [...new Set(Object.values(error.fields))] : [];
  return error.code === 'VALIDATION' && fields.length > 0 ? fields.map((code) => codeText(code)).join(i18next.t('common.clauseSeparator')) : codeText(error.message);
}

/** The same, re-rendered when the language changes. */
export function useCodeText(): { codeText: typeof codeText; refusalText: typeof refusalText } {
  // Subscribing to the translation hook is what re-renders the caller on a language switch.
  useTranslation();
  return { codeText, refusalText };
}
