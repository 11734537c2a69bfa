import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApplicationSummary, RpcError } from '../../../shared';
import { call } from '../../api/client';
import { statusesOf, type BoardFilter } from './statusGroups';

// Other counters register walk-ins too; the board follows them without a click.
/** How often the board (and a request's detail while the acquirer may move it on) reads again. */
export const POLL_MS = 10_000;
// The contract's largest page: a busy day (5,000 requests) comes in one or two calls.
const PAGE_SIZE = 5000;

export interface QueueBoardData {
  rows: ApplicationSummary[];
  counts: Record<string, number>;
  businessDate: string | null;
  loading: boolean;
  error: RpcError | null;
  reload: () => void;
}

/** Today's requests for one filter, ticket order, refreshed while the board is on screen. */
export function useQueueBoard(filter: BoardFilter, visible: boolean): QueueBoardData {
  const [rows, setRows] = useState<ApplicationSummary[]>([]);
  const [counts, setCounts] = useState<Record<string, number>>({});
  const [businessDate, setBusinessDate] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<RpcError | null>(null);
  const generation = useRef(0);
  const shown = useRef('');

  const reload = useCallback(() => {
    const mine = ++generation.current;
    void (async () => {
      const collected: ApplicationSummary[] = [];
      const statuses = statusesOf(filter);
      for (let page = 1; ; page += 1) {
        const result = await call('applications.board', { ...(statuses ? { statuses } : {}), page, pageSize: PAGE_SIZE });
        // A newer load (another filter, a later tick) has started: this one's answer is stale.
        if (mine !== generation.current) return;
        if (!result.ok) {
          setError(result.error);
          setLoading(false);
          return;
        }
        collected.push(...result.value.rows);
        setCounts(result.value.counts);
        setBusinessDate(result.value.businessDate);
        if (result.value.rows.length < PAGE_SIZE || collected.length >= result.value.total) break;
      }
      // Most ticks change nothing; a new array would still re-render 5,000 rows' worth of table state.
      const signature = `${collected.length}|${collected.reduce((sum, row) => sum + row.version, 0)}|${collected.reduce((max, row) => (row.updatedAt > max ? row.updatedAt : max), '')}`;
      if (signature !== shown.current) {
        shown.current = signature;
        collected.sort((a, b) => a.ticketNo - b.ticketNo);
        setRows(collected);
      }
      setError(null);
      setLoading(false);
    })();
  }, [filter]);

  useEffect(() => {
    shown.current = '';
  }, [filter]);

  useEffect(() => {
    if (!visible) return;
    setLoading(true);
    reload();
    const timer = setInterval(reload, POLL_MS);
    return () => clearInterval(timer);
  }, [reload, visible]);

  return { rows, counts, businessDate, loading, error, reload };
}
