import { useCallback, useEffect, useState } from 'react';
import type { MethodOutput, RpcError } from '../../../shared';
import { call } from '../../api/client';

export type DayStatus = MethodOutput<'dayclose.status'>;

/**
 * The state of one business day (the open one when `businessDate` is null). A screen that just closed a
 * day keeps looking at that day, not at the new one the core moved on to.
 */
export function useDayStatus(businessDate: string | null): { status: DayStatus | null; error: RpcError | null; loading: boolean; reload: () => Promise<DayStatus | null> } {
  const [status, setStatus] = useState<DayStatus | null>(null);
  const [error, setError] = useState<RpcError | null>(null);
  const [loading, setLoading] = useState(true);

  const reload = useCallback(async () => {
    setLoading(true);
    const result = await call('dayclose.status', businessDate ? { businessDate } : {});
    setLoading(false);
    if (!result.ok) {
      setError(result.error);
      return null;
    }
    setError(null);
    setStatus(result.value);
    return result.value;
  }, [businessDate]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { status, error, loading, reload };
}
