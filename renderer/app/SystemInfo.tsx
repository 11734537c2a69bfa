import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { MethodOutput, RpcError } from '../../shared';
import { call } from '../api/client';
import { earlyAnswer } from './earlyQuestions';

export type SystemInfo = MethodOutput<'system.info'>;

interface SystemInfoState {
  info: SystemInfo | null;
  error: RpcError | null;
  refresh: () => void;
}

const SystemInfoContext = createContext<SystemInfoState>({ info: null, error: null, refresh: () => undefined });

// The business date moves on at midnight (Beijing time) and after a day close; a counter stays open all day.
const REFRESH_MS = 5 * 60_000;

/** Branch, business date, time zone and versions, from the core; refreshed on demand (after setup) and every few minutes. */
export function SystemInfoProvider(props: { children: ReactNode }) {
  const [info, setInfo] = useState<SystemInfo | null>(null);
  const [error, setError] = useState<RpcError | null>(null);
  const refresh = useCallback(() => {
    void (earlyAnswer('info') ?? call('system.info', {})).then((result) => {
      if (result.ok) {
        setInfo(result.value);
        setError(null);
      } else setError(result.error);
    });
  }, []);
  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);
  const value = useMemo(() => ({ info, error, refresh }), [info, error, refresh]);
  return <SystemInfoContext.Provider value={value}>{props.children}</SystemInfoContext.Provider>;
}

export function useSystemInfo(): SystemInfoState {
  return useContext(SystemInfoContext);
}

/** This installation's desk (counter) number, null until set (or until the core has answered). */
export function useDesk(): string | null {
  return useSystemInfo().info?.branch?.desk ?? null;
}

/** The branch's time zone; Beijing time until the core has answered. */
export function useTimeZone(): string {
  return useSystemInfo().info?.timeZone ?? 'Asia/Shanghai';
}
