import { useCallback, useEffect, useState } from 'react';
import type { MethodOutput, RpcError } from '../../shared';
import { call } from '../api/client';

export type SystemInfo = MethodOutput<'system.info'>;

/** Branch, business date and versions, from the core; refreshed on demand (after setup, day close). */
export function useSystemInfo(): { info: SystemInfo | null; error: RpcError | null; refresh: () => void } {
  const [info, setInfo] = useState<SystemInfo | null>(null);
  const [error, setError] = useState<RpcError | null>(null);
  const refresh = useCallback(() => {
    void call('system.info', {}).then((result) => {
      if (result.ok) {
        setInfo(result.value);
        setError(null);
      } else setError(result.error);
    });
  }, []);
  useEffect(refresh, [refresh]);
  return { info, error, refresh };
}
