import { ABSENT, DAY_EXPORT_STATUSES, type DayExportRow, type DayTotals } from './exportModel';

/**
 * The day's counts as the report, the summary sheet and the manifest state them. Every status is
 * listed, with 0 when none, so a supervisor sees "已拒绝 0" rather than wondering whether it was left out.
 */
export function dayTotals(rows: readonly DayExportRow[]): DayTotals {
  const byStatus: Record<string, number> = Object.fromEntries(DAY_EXPORT_STATUSES.map((status) => [status, 0]));
  const byDocumentType: Record<string, number> = {};
  const byTeller: Record<string, number> = {};
  let authorizations = 0;
  let pendingAuthorizations = 0;
  let reprints = 0;
  let onlineCheckExceptions = 0;
  let manualEntries = 0;
  for (const row of rows) {
    byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
    const documentType = row.documentType ?? ABSENT;
    byDocumentType[documentType] = (byDocumentType[documentType] ?? 0) + 1;
    byTeller[row.tellerNo] = (byTeller[row.tellerNo] ?? 0) + 1;
    if (isAuthorized(row)) authorizations += 1;
    if (row.authorizationDecision === 'pending') pendingAuthorizations += 1;
    reprints += reprintsOf(row);
    if (isOnlineCheckException(row)) onlineCheckExceptions += 1;
    if (row.verificationMethod === 'manual') manualEntries += 1;
  }
  return { total: rows.length, byStatus, byDocumentType, byTeller, authorizations, pendingAuthorizations, reprints, onlineCheckExceptions, manualEntries };
}

/** A supervisor DECIDED the authorization the request needed (approved or declined); one still waiting is counted apart. */
export function isAuthorized(row: Pick<DayExportRow, 'authorizationDecision'>): boolean {
  return row.authorizationDecision === 'approved' || row.authorizationDecision === 'declined';
}

/** Every print after the first is a reprint (DOMAIN.md: each one is authorized and says 重打). */
export function reprintsOf(row: Pick<DayExportRow, 'printCount'>): number {
  return Math.max(0, row.printCount - 1);
}

/**
 * An online check that was made and did not answer "match" (DOMAIN.md: what makes the supervisor
 * authorize). A request never keyed has no check: it is not an exception.
 */
export function isOnlineCheckException(row: Pick<DayExportRow, 'onlineCheck'>): boolean {
  return row.onlineCheck !== null && row.onlineCheck !== '' && row.onlineCheck !== 'match';
}
