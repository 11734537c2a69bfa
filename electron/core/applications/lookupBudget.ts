import { createHash } from 'node:crypto';
import type { Db } from '../db/connection';
import type { Clock } from '../clock';
import type { EventLog } from '../eventLog';
import type { Actor } from '../rpc/router';
import { DomainError } from '../rpc/domainError';
import { appendAudit } from '../audit/auditLog';
import { consumeGrant } from '../auth/supervisorAuthorization';
import { statement } from '../db/statements';

/**
 * 完整号码查询额度: how many exact lookups by a full phone or ID number a teller may make without a supervisor.
 * Each lookup answers "is there a request with this full number?", so a loop of lookups over the candidates a
 * mask leaves open (150****3252 leaves 10,000) recovers the number. The budget bounds that loop: per window
 * (rolling minute), per teller (rolling minute and rolling 24 hours, over all their windows). Beyond it every
 * lookup needs its own supervisor grant.
 */
export const EXACT_LOOKUP_LIMITS = { sessionPerMinute: 5, tellerPerMinute: 10, tellerPerDay: 60 } as const;

/** The audit rows are the ledger: kept in SQLite, append-only, so neither a restart nor a new login resets it. */
export const EXACT_LOOKUP_ENTITY = 'exact_lookup';
export const EXACT_LOOKUP_ACTION = 'search.exact_lookup';

export type ExactLookupKind = 'mobile' | 'document';
export type ExactLookupSurface = 'search' | 'repeat_check';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** A tag for the window a lookup came from; the session key itself (a bearer secret for the preview) is never stored. */
function sessionTag(sessionKey: string): string {
  return createHash('sha256').update(sessionKey, 'utf8').digest('hex').slice(0, 16);
}

interface LedgerRow {
  at: string;
  details: string;
}

export interface ExactLookupRequest {
  actor: Actor;
  sessionKey: string;
  kind: ExactLookupKind;
  surface: ExactLookupSurface;
  /**
   * Identifies the question without the value (a blind index and the other inputs): asking the same question
   * again in the same window answers nothing new, so it is not charged twice within a day.
   */
  question: string;
  grantId?: number | undefined;
}

/**
 * Charges exact lookups against the budget and records each one in the audit log (kind, surface, hit count,
 * never the value), in the same transaction as the query it allows. A miss costs the same as a hit.
 */
export class ExactLookupBudget {
  /** Questions already charged, per window: session key → question → when. Memory only; losing it only costs budget. */
  private readonly asked = new Map<string, Map<string, number>>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: EventLog,
  ) {}

  /**
   * Runs `lookup` (which returns its hit count) if the budget allows it or a grant pays for it; otherwise
   * refuses with AUTHORIZATION_REQUIRED before anything is looked up.
   */
  run<T>(request: ExactLookupRequest, lookup: () => { result: T; hits: number }): T {
    const now = this.clock.now();
    const nowMs = now.getTime();
    const asked = this.askedBy(request.sessionKey, nowMs);
    if (asked.has(request.question) && request.grantId === undefined) return lookup().result;
    const outcome = this.db.transaction(() => {
      const grant = this.allowance(request, now);
      const { result, hits } = lookup();
      appendAudit(
        this.db,
        {
          actorId: request.actor.tellerId,
          action: EXACT_LOOKUP_ACTION,
          entity: EXACT_LOOKUP_ENTITY,
          entityId: String(request.actor.tellerId),
          details: { kind: request.kind, surface: request.surface, hits, session: sessionTag(request.sessionKey), ...(grant ? { grantId: grant.grantId, supervisorId: grant.supervisorId } : {}) },
        },
        now,
      );
      return result;
    })();
    asked.set(request.question, nowMs);
    return outcome;
  }

  /** This window's answered questions of the last day; questions older than that, in any window, are forgotten. */
  private askedBy(sessionKey: string, nowMs: number): Map<string, number> {
    for (const [key, questions] of this.asked) {
      for (const [question, at] of questions) if (nowMs - at >= DAY_MS) questions.delete(question);
      if (questions.size === 0 && key !== sessionKey) this.asked.delete(key);
    }
    let asked = this.asked.get(sessionKey);
    if (!asked) {
      asked = new Map();
      this.asked.set(sessionKey, asked);
    }
    return asked;
  }

  /**
   * The grant that pays for this one lookup (checked and used whenever one is offered), or, without one, null
   * within budget and a refusal beyond it.
   */
  private allowance(request: ExactLookupRequest, now: Date): { grantId: number; supervisorId: number } | null {
    if (request.grantId !== undefined) {
      const { supervisorId } = consumeGrant(
        this.db,
        request.grantId,
        { action: 'exact_lookup', applicationId: null, businessDate: null, requestedBy: request.actor.tellerId, sessionKey: request.sessionKey },
        now,
      );
      return { grantId: request.grantId, supervisorId };
    }
    const used = this.used(request.actor.tellerId, sessionTag(request.sessionKey), now.getTime());
    const over =
      used.tellerDay >= EXACT_LOOKUP_LIMITS.tellerPerDay ||
      used.tellerMinute >= EXACT_LOOKUP_LIMITS.tellerPerMinute ||
      used.sessionMinute >= EXACT_LOOKUP_LIMITS.sessionPerMinute;
    if (!over) return null;
    // The event log says that the budget ran out, and for whom; never what was asked.
    this.log.info('search.exact_lookup_refused', { tellerId: request.actor.tellerId, kind: request.kind, surface: request.surface });
    throw new DomainError('AUTHORIZATION_REQUIRED', 'search.lookup_budget_exhausted', undefined, { action: 'exact_lookup', limits: { ...EXACT_LOOKUP_LIMITS } });
  }

  /**
   * The teller's lookups in the last 24 hours, the last minute, and this window's in the last minute. Only the
   * newest `tellerPerDay` rows are read (the audit index is by entity and seq): once that many fall within the
   * day, the budget is spent whatever the rest say.
   */
  private used(tellerId: number, session: string, nowMs: number): { tellerDay: number; tellerMinute: number; sessionMinute: number } {
    const rows = statement(this.db, 'SELECT at, details FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY seq DESC LIMIT ?').all(
      EXACT_LOOKUP_ENTITY,
      String(tellerId),
      EXACT_LOOKUP_LIMITS.tellerPerDay,
    ) as LedgerRow[];
    let tellerDay = 0;
    let tellerMinute = 0;
    let sessionMinute = 0;
    for (const row of rows) {
      const age = nowMs - Date.parse(row.at);
      if (age >= DAY_MS) continue;
      tellerDay += 1;
      if (age >= MINUTE_MS) continue;
      tellerMinute += 1;
      if ((JSON.parse(row.details) as { session?: string }).session === session) sessionMinute += 1;
    }
    return { tellerDay, tellerMinute, sessionMinute };
  }
}
