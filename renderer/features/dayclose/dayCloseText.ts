import type { RpcError } from '../../../shared';
import { i18next } from '../../i18n';
import { refusalText } from '../../i18n/codeText';

/** A day-close refusal in words; an open-items refusal also names the requests still open. */
export function dayCloseRefusal(error: RpcError): string {
  const main = refusalText(error);
  const openItems = error.details?.openItems;
  if (Array.isArray(openItems) && openItems.length > 0) return `${main}${i18next.t('dayClose.openItemsList', { numbers: openItems.join(i18next.t('common.listSeparator')) })}`;
  return main;
}

/** 1.2 KB, 3.4 MB: file sizes as people read them. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The start and end of a SHA-256, enough to compare by eye with the manifest; the full value is in the title. */
export function shortHash(sha256: string): string {
  return sha256.length > 16 ? `${sha256.slice(0, 8)}…${sha256.slice(-8)}` : sha256;
}
