import { OPEN_STATUSES, type ApplicationStatus } from '../../../shared';

/** The board's filters: the teller's to-do list first, then each status, then everything. */
export const BOARD_FILTERS = ['open', 'waiting', 'in_review', 'pending_authorization', 'approved', 'completed', 'forwarded', 'unbound', 'unbind_failed', 'closed', 'all'] as const;
export type BoardFilter = (typeof BOARD_FILTERS)[number];

export function statusesOf(filter: BoardFilter): ApplicationStatus[] | undefined {
  switch (filter) {
    case 'all':
      return undefined;
    case 'open':
      return [...OPEN_STATUSES];
    case 'closed':
      return ['rejected', 'cancelled'];
    default:
      return [filter];
  }
}

export function countOf(filter: BoardFilter, counts: Record<string, number>): number {
  const statuses = statusesOf(filter);
  const all = Object.values(counts).reduce((sum, n) => sum + n, 0);
  return statuses ? statuses.reduce((sum, status) => sum + (counts[status] ?? 0), 0) : all;
}
