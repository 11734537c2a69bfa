import type { AccountNotice, MethodSpec } from '../../../shared';
import type { Clock } from '../clock';
import { DomainError } from '../rpc/domainError';
import type { AccessGate, Actor } from '../rpc/router';

/** An account as it is now in the database: read again on every call, so a change reaches open sessions. */
export interface AccountState {
  actor: Actor;
  disabled: boolean;
  mustChangePassword: boolean;
}

interface Session {
  actor: Actor;
  lastActivityMs: number;
  locked: boolean;
  /** A password set by an admin must be changed before any work. */
  mustChangePassword: boolean;
  /** Account changes this supervisor is told about at login (accountNotices.ts). */
  notices: AccountNotice[];
}

/**
 * The main process's own record of who is logged in at each window. The actor of every call comes from
 * here, never from the payload. Idle time is measured on calls: a session quiet for longer than the idle
 * limit is locked before the next call is admitted.
 */
export class SessionStore implements AccessGate {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly clock: Clock,
    private readonly idleLockMinutes: () => number,
    private readonly loadAccount: (tellerId: number) => AccountState | null,
  ) {}

  start(sessionKey: string, actor: Actor, options: { mustChangePassword: boolean; notices?: AccountNotice[] } = { mustChangePassword: false }): void {
    this.sessions.set(sessionKey, {
      actor,
      lastActivityMs: this.clock.now().getTime(),
      locked: false,
      mustChangePassword: options.mustChangePassword,
      notices: options.notices ?? [],
    });
  }

  notices(sessionKey: string): AccountNotice[] {
    return this.sessions.get(sessionKey)?.notices ?? [];
  }

  passwordChanged(sessionKey: string): void {
    const session = this.sessions.get(sessionKey);
    if (session) session.mustChangePassword = false;
  }

  mustChangePassword(sessionKey: string): boolean {
    return this.sessions.get(sessionKey)?.mustChangePassword ?? false;
  }

  end(sessionKey: string): void {
    this.sessions.delete(sessionKey);
  }

  /** Ends every session of a teller (account disabled, password reset). */
  endAllOf(tellerId: number): void {
    for (const [key, session] of this.sessions) if (session.actor.tellerId === tellerId) this.sessions.delete(key);
  }

  /** Ends a teller's sessions at other windows (after a password change: whoever knew the old one is out). */
  endOthersOf(tellerId: number, keepSessionKey: string): void {
    for (const [key, session] of this.sessions) if (session.actor.tellerId === tellerId && key !== keepSessionKey) this.sessions.delete(key);
  }

  actorOf(sessionKey: string): Actor | null {
    return this.sessions.get(sessionKey)?.actor ?? null;
  }

  isLocked(sessionKey: string): boolean {
    const session = this.sessions.get(sessionKey);
    return session ? this.refreshIdle(session) : false;
  }

  lock(sessionKey: string): void {
    const session = this.sessions.get(sessionKey);
    if (session) session.locked = true;
  }

  unlock(sessionKey: string): void {
    const session = this.sessions.get(sessionKey);
    if (session) {
      session.locked = false;
      session.lastActivityMs = this.clock.now().getTime();
    }
  }

  admit(sessionKey: string, spec: MethodSpec): Actor | null {
    const session = this.current(sessionKey);
    if (spec.access === 'public') return session?.actor ?? null;
    if (!session) throw new DomainError('UNAUTHENTICATED', 'error.unauthenticated');
    const locked = this.refreshIdle(session);
    if (spec.access === 'personal' && locked) throw new DomainError('LOCKED', 'error.locked');
    if (spec.access === 'personal' && session.mustChangePassword) throw new DomainError('FORBIDDEN', 'auth.must_change_password');
    if (spec.roles && !spec.roles.includes(session.actor.role)) throw new DomainError('FORBIDDEN', 'error.forbidden');
    if (!locked) session.lastActivityMs = this.clock.now().getTime();
    return session.actor;
  }

  /**
   * The session with its account as the database has it now: a changed role or name applies from this call
   * on, and a disabled or deleted account has no session any more.
   */
  private current(sessionKey: string): Session | undefined {
    const session = this.sessions.get(sessionKey);
    if (!session) return undefined;
    const account = this.loadAccount(session.actor.tellerId);
    if (!account || account.disabled) {
      this.sessions.delete(sessionKey);
      return undefined;
    }
    session.actor = account.actor;
    session.mustChangePassword = account.mustChangePassword;
    return session;
  }

  private refreshIdle(session: Session): boolean {
    const idleMs = this.idleLockMinutes() * 60_000;
    if (!session.locked && idleMs > 0 && this.clock.now().getTime() - session.lastActivityMs >= idleMs) session.locked = true;
    return session.locked;
  }
}
