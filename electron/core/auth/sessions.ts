import type { MethodSpec } from '../../../shared';
import type { Clock } from '../clock';
import { DomainError } from '../rpc/domainError';
import type { AccessGate, Actor } from '../rpc/router';

interface Session {
  actor: Actor;
  lastActivityMs: number;
  locked: boolean;
  /** A password set by an admin must be changed before any work. */
  mustChangePassword: boolean;
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
  ) {}

  start(sessionKey: string, actor: Actor, options: { mustChangePassword: boolean } = { mustChangePassword: false }): void {
    this.sessions.set(sessionKey, { actor, lastActivityMs: this.clock.now().getTime(), locked: false, mustChangePassword: options.mustChangePassword });
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
    const session = this.sessions.get(sessionKey);
    if (spec.access === 'public') return session?.actor ?? null;
    if (!session) throw new DomainError('UNAUTHENTICATED', 'error.unauthenticated');
    const locked = this.refreshIdle(session);
    if (spec.access === 'personal' && locked) throw new DomainError('LOCKED', 'error.locked');
    if (spec.access === 'personal' && session.mustChangePassword) throw new DomainError('FORBIDDEN', 'auth.must_change_password');
    if (spec.roles && !spec.roles.includes(session.actor.role)) throw new DomainError('FORBIDDEN', 'error.forbidden');
    if (!locked) session.lastActivityMs = this.clock.now().getTime();
    return session.actor;
  }

  private refreshIdle(session: Session): boolean {
    const idleMs = this.idleLockMinutes() * 60_000;
    if (!session.locked && idleMs > 0 && this.clock.now().getTime() - session.lastActivityMs >= idleMs) session.locked = true;
    return session.locked;
  }
}
