// Identifiers of the POS terminal to unbind (DOMAIN.md, "The request").
import type { Check } from './codes';
import { normalizeKeyed, normalizeTerminalSerial } from './normalize';

/** 商户编号: 15 characters [0-9A-Z] (usually digits), as assigned by the acquirer. */
export function validateMerchantNumber(raw: string): Check {
  const value = normalizeKeyed(raw);
  return /^[0-9A-Z]{15}$/.test(value) ? { ok: true, value, warnings: [] } : { ok: false, code: 'merchant.format' };
}

/** 终端编号: 8 characters [0-9A-Z]. */
export function validateTerminalId(raw: string): Check {
  const value = normalizeKeyed(raw);
  return /^[0-9A-Z]{8}$/.test(value) ? { ok: true, value, warnings: [] } : { ok: false, code: 'terminal.format' };
}

/**
 * Terminal serial number (SN): vendor specific, 6–32 of [0-9A-Z-]. The hyphen is part of many
 * vendors' serials, so it is kept; a serial of hyphens only is no serial.
 */
export function validateTerminalSerial(raw: string): Check {
  const value = normalizeTerminalSerial(raw);
  return /^(?=.*[0-9A-Z])[0-9A-Z-]{6,32}$/.test(value)
    ? { ok: true, value, warnings: [] }
    : { ok: false, code: 'serial.format' };
}
