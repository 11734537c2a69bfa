import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { MethodOutput, Result, RpcError } from '../../shared';
import { call, watchRefusals } from '../api/client';
import { earlyAnswer } from '../app/earlyQuestions';

type SessionState = MethodOutput<'auth.me'>;
export type Actor = NonNullable<SessionState['actor']>;

export interface Session {
  /** null until auth.me answered. */
  state: SessionState | null;
  /** Grows by one at every unlock, so screens reload what the lock hid from them. */
  unlockCount: number;
  login(employeeNo: string, password: string): Promise<Result<SessionState>>;
  logout(): Promise<void>;
  /** 退出登录 from the header: asks the screen first (a half-typed request would be lost) and logs out only if it agrees. */
  leave(): Promise<void>;
  /** A screen holding unsent work asks before 退出登录 (true: go ahead); the returned function withdraws the question. */
  askBeforeLeaving(ask: () => Promise<boolean>): () => void;
  lock(): void;
  unlock(password: string): Promise<Result<SessionState>>;
  /** After a password change. */
  refresh(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The logged-in teller; only for screens behind the login. */
export function useActor(): Actor {
  const actor = useSession().state?.actor;
  if (!actor) throw new Error('useActor without a logged-in teller');
  return actor;
}

const signedOut: SessionState = { actor: null, locked: false, mustChangePassword: false, notices: [], idleLockMinutes: 5 };

/**
 * Who is at this window, as the core sees it. The core keeps the session (per tab in the preview, per
 * window in Electron); the renderer mirrors it and follows the core's refusals: LOCKED shows the lock
 * screen, a vanished session (disabled account, restarted core) goes back to the login.
 */
export function SessionProvider(props: { children: ReactNode; initial?: SessionState }) {
  const [state, setState] = useState<SessionState | null>(props.initial ?? null);
  const [unlockCount, setUnlockCount] = useState(0);
  const stateRef = useRef(state);
  stateRef.current = state;

  const refresh = useCallback(async () => {
    const me = await (earlyAnswer('me') ?? call('auth.me', {}));
    setState(me.ok ? me.value : signedOut);
  }, []);

  useEffect(() => {
    if (!props.initial) void refresh();
  }, [props.initial, refresh]);

  useEffect(
    () =>
      watchRefusals((_method, error: RpcError) => {
        const current = stateRef.current;
        if (!current?.actor) return;
        if (error.code === 'LOCKED' && !current.locked) setState({ ...current, locked: true });
        if (error.code === 'UNAUTHENTICATED' && error.message === 'error.unauthenticated') setState(signedOut);
      }),
    [],
  );

  const login = useCallback(async (employeeNo: string, password: string) => {
    const result = await call('auth.login', { employeeNo, password });
    if (result.ok) setState(result.value);
    return result;
  }, []);

  const logout = useCallback(async () => {
    await call('auth.logout', {});
    setState(signedOut);
  }, []);

  const leaveQuestion = useRef<(() => Promise<boolean>) | null>(null);
  const askBeforeLeaving = useCallback((ask: () => Promise<boolean>) => {
    leaveQuestion.current = ask;
    return () => {
      if (leaveQuestion.current === ask) leaveQuestion.current = null;
    };
  }, []);
  const leave = useCallback(async () => {
    if (leaveQuestion.current && !(await leaveQuestion.current())) return;
    await logout();
  }, [logout]);

  const lock = useCallback(() => {
    const current = stateRef.current;
    if (!current?.actor || current.locked) return;
    // Locked on screen at once; the core is told in the background (it also locks on its own when idle).
    setState({ ...current, locked: true });
    void call('auth.lock', {});
  }, []);

  const unlock = useCallback(async (password: string) => {
    const result = await call('auth.unlock', { password });
    if (result.ok) {
      setState(result.value);
      setUnlockCount((count) => count + 1);
    }
    return result;
  }, []);

  const session = useMemo<Session>(
    () => ({ state, unlockCount, login, logout, leave, askBeforeLeaving, lock, unlock, refresh }),
    [state, unlockCount, login, logout, leave, askBeforeLeaving, lock, unlock, refresh],
  );
  return <SessionContext.Provider value={session}>{props.children}</SessionContext.Provider>;
}
