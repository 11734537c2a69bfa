import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { defaultAuthorizationPolicy, type AuthorizationPolicy, type MethodOutput } from '../../../shared';
import { call } from '../../api/client';
import { useSession } from '../../session/SessionContext';

export type BranchSettingsValue = MethodOutput<'settings.get'>;

interface BranchSettingsState {
  settings: BranchSettingsValue | null;
  /** The bank's authorization table as the admin set it; DOMAIN.md's defaults until the core has answered. */
  policy: AuthorizationPolicy;
  reload: () => void;
  replace: (settings: BranchSettingsValue) => void;
}

const BranchSettingsContext = createContext<BranchSettingsState | null>(null);

export function useBranchSettings(): BranchSettingsState {
  const state = useContext(BranchSettingsContext);
  if (!state) throw new Error('useBranchSettings outside BranchSettingsProvider');
  return state;
}

/** The branch's settings for every screen behind the login; loaded again after an unlock and after an admin saves. */
export function BranchSettingsProvider(props: { children: ReactNode; initial?: BranchSettingsValue }) {
  const { unlockCount, state } = useSession();
  const locked = state?.locked ?? false;
  const [settings, setSettings] = useState<BranchSettingsValue | null>(props.initial ?? null);
  const reload = useCallback(() => {
    void call('settings.get', {}).then((result) => {
      if (result.ok) setSettings(result.value);
    });
  }, []);
  useEffect(() => {
    if (!locked && !props.initial) reload();
  }, [reload, unlockCount, locked, props.initial]);
  const value = useMemo(
    () => ({ settings, policy: settings?.authorizationPolicy ?? defaultAuthorizationPolicy, reload, replace: setSettings }),
    [settings, reload],
  );
  return <BranchSettingsContext.Provider value={value}>{props.children}</BranchSettingsContext.Provider>;
}
