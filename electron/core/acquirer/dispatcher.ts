import type { AcquirerOutcome } from '../../../shared';
import type { CoreContext } from '../context';
import { atomically, statement } from '../db/statements';
import { withDeferredSync } from '../db/connection';
import { signCanonicalText } from '../crypto/signing';
import { DomainError } from '../rpc/domainError';
import { OUTBOX_WITH_PAYLOAD, openSealed, type OutboxRow } from './outbox';
import { arrivalDate, recordAcceptOf, recordAcquirerOutcome, type Arrival, type RequestHead } from './outcomes';

/** What a channel made of one send. `retry`: try again later (network, 5xx, a malformed answer); `fail`: retrying cannot help. */
export type SendResult =
  | { kind: 'accepted'; acquirerReference: string }
  | { kind: 'refused'; reason: string; acquirerReference: string | null }
  | { kind: 'retry'; error: string }
  | { kind: 'fail'; error: string };

export type PollResult =
  | { kind: 'pending' }
  | { kind: 'final'; outcome: AcquirerOutcome; reason: string | null; decidedAt: string; acquirerReference: string }
  | { kind: 'retry'; error: string };

/** One way to the acquirer. The HTTPS channel answers each send; a file channel would answer `accepted` once the file is written. */
export interface AcquirerChannel {
  readonly kind: 'https' | 'batch';
  /** `body`: the canonical JSON sealed at completion (the contract's HandoffRequest), sent as it is. */
  send(handoff: { number: string; body: string; signature: string }): Promise<SendResult>;
  poll?(number: string, acquirerReference: string): Promise<PollResult>;
  close?(): void;
}

export interface DispatcherOptions {
  /** Sends in flight at once. */
  concurrency?: number;
  /** Backoff: first delay, cap (exponential between), each delay drawn in [½, 1] of its value (jitter). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** After this many failed attempts the entry is `failed` and waits for a supervisor's retry. */
  maxAttempts?: number;
  /** How often an accepted request's outcome is asked for. */
  pollIntervalMs?: number;
  /** An entry whose answer could not be written (full disk) waits this long before it is sent again. */
  leaseMs?: number;
  /** How often the dispatcher looks for due work when idle. */
  idleMs?: number;
  /** Answers written together: those that arrive within groupWindowMs of the first, at most groupMax. */
  groupWindowMs?: number;
  groupMax?: number;
  random?: () => number;
  now?: () => Date;
}

/** Answers are written together: as many as arrive within this window after the first, up to GROUP_MAX. */
const GROUP_WINDOW_MS = 20;
const GROUP_MAX = 256;

/** Due entries read ahead by one walk of the outbox's indexes. */
const READ_AHEAD = 64;

/**
 * How due work is found (two parameters each: a time, a limit). Each is one walk of a partial index (it holds only
 * the entries of its state) that stops after `limit` entries, however many requests await their outcome;
 * test/integration/acquirerDispatcher.test.ts checks the plans. No entry is in state 'sending' (a claim written by
 * versions that claimed durably; migration 014 made any left waiting again), so no walk looks for one.
 */
export const DUE_QUERIES = {
  /** Waiting entries whose next attempt is due, the longest due first, each with its sealed request. */
  send: `${OUTBOX_WITH_PAYLOAD} WHERE o.state = 'waiting' AND o.next_attempt_at <= ? ORDER BY o.next_attempt_at LIMIT ?`,
  /** Accepted entries whose outcome is due to be asked for (no sealed request: a poll sends the number). */
  poll: "SELECT *, NULL AS payload_enc FROM acquirer_outbox INDEXED BY acquirer_outbox_poll WHERE state = 'accepted' AND next_poll_at <= ? ORDER BY next_poll_at LIMIT ?",
} as const;

/** Capped exponential backoff with "equal jitter": attempt n waits between ½ and 1 of min(cap, base·2^(n-1)). */
export function backoffMs(attempt: number, base: number, cap: number, random: () => number): number {
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** Error text kept on the entry and shown to supervisors: ours, short, never personal data. */
function short(text: string): string {
  return text.replace(/[\p{Cc}]/gu, ' ').slice(0, 200);
}

/**
 * Delivers the outbox to the acquirer: at least once (an entry stays waiting until its answer is committed; a
 * crash or a refused write in between sends the same sealed bytes again under the same idempotency key, the
 * application number), with capped, jittered backoff, then polls each accepted request until its outcome is final.
 * Nothing runs while the app is closed; `start()` resumes whatever was waiting or in flight.
 */
export class AcquirerDispatcher {
  private readonly concurrency: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxAttempts: number;
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly idleMs: number;
  private readonly groupWindowMs: number;
  private readonly groupMax: number;
  private readonly random: () => number;
  private readonly now: () => Date;
  /** Entries started and not yet settled: exchanging with the acquirer, or their answer waiting to be written. */
  private readonly inFlight = new Set<number>();
  /** Exchanges with the acquirer in progress (at most `concurrency`). */
  private exchanges = 0;
  /** Entries whose answer could not be written (full disk): not sent again before the lease runs out. */
  private readonly heldUntil = new Map<number, number>();
  private readonly running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly core: CoreContext,
    private readonly channel: AcquirerChannel,
    options: DispatcherOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 8;
    this.baseDelayMs = options.baseDelayMs ?? 2_000;
    this.maxDelayMs = options.maxDelayMs ?? 10 * 60_000;
    this.maxAttempts = options.maxAttempts ?? 12;
    this.pollIntervalMs = options.pollIntervalMs ?? 60_000;
    this.leaseMs = options.leaseMs ?? 120_000;
    this.idleMs = options.idleMs ?? 1_000;
    this.groupWindowMs = options.groupWindowMs ?? GROUP_WINDOW_MS;
    this.groupMax = options.groupMax ?? GROUP_MAX;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? (() => core.clock.now());
  }

  /**
   * Resumes at start. A send that was in flight when the app stopped is still waiting (its claim was this process's
   * in-flight set, never written), so it goes again, same bytes, same key (the acquirer dedupes by number).
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.schedule(0);
  }

  /** Pauses: no new send starts; the ones in flight finish (their results are recorded). */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.ahead = [];
    this.aheadAt = 0;
    await Promise.allSettled([...this.running]);
    this.channel.close?.();
  }

  /** Look for work now (a request was just completed). */
  nudge(): void {
    if (this.started) this.schedule(0);
  }

  private schedule(ms: number): void {
    if (!this.started) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pumpSafely();
      this.schedule(this.idleMs);
    }, ms);
    this.timer.unref?.();
  }

  /**
   * Due work read ahead (whole entries, in the order they are due): one walk of each index serves many sends
   * instead of a read per send. `aheadChanges` is the connection's count of changed rows (SQLite's
   * total_changes()) when they were read: while it has not moved, no row was written since, so the entries are
   * as read; once it has (an answer written, a supervisor's retry, an outcome file), the rest is read again.
   */
  private ahead: { row: OutboxRow; kind: 'send' | 'poll' }[] = [];
  private aheadAt = 0;
  private aheadChanges = -1;

  /** Rows changed by this connection since it opened (no table is read: no lock, well under a microsecond). */
  private changes(): number {
    return (statement(this.core.db, 'SELECT total_changes() AS n').get() as { n: number }).n;
  }

  /** Reads ahead up to READ_AHEAD due entries that are not in flight: the DUE_QUERIES rather than one OR that would scan the table. */
  private readAhead(now: Date): void {
    const iso = now.toISOString();
    const limit = READ_AHEAD + this.inFlight.size;
    this.aheadChanges = this.changes();
    const rows = (sql: string, ...params: unknown[]) => (statement(this.core.db, sql).all(...params) as OutboxRow[]).filter((row) => !this.inFlight.has(row.application_id));
    this.ahead = [
      ...rows(DUE_QUERIES.send, iso, limit).map((row) => ({ row, kind: 'send' as const })),
      ...(this.channel.poll ? rows(DUE_QUERIES.poll, iso, limit).map((row) => ({ row, kind: 'poll' as const })) : []),
    ];
    this.aheadAt = 0;
  }

  /**
   * Starts as many due sends and polls as there is room for. Returns how many it started. An entry read ahead
   * is started only while no row has been written since it was read (else everything is read again), and only
   * if it is still due: one that moved since (a supervisor's retry, an outcome file, another answer) is started
   * as it now is, or not at all.
   */
  pump(): number {
    let room = this.concurrency - this.exchanges;
    if (room <= 0) return 0;
    const now = this.now();
    const iso = now.toISOString();
    const clock = Date.now();
    const starts: { row: OutboxRow; kind: 'send' | 'poll' }[] = [];
    let readAgain = false;
    // No durable claim: this process's in-flight set is the claim (one dispatcher per database). A crash during a
    // send leaves the entry waiting, and the next start sends the same bytes again under the same key.
    while (room > 0) {
      let next = this.ahead[this.aheadAt];
      if (next && this.changes() !== this.aheadChanges) next = undefined;
      if (!next) {
        if (readAgain) break;
        this.readAhead(now);
        readAgain = true;
        continue;
      }
      this.aheadAt += 1;
      const row = next.row;
      if (this.inFlight.has(row.application_id)) continue;
      const held = this.heldUntil.get(row.application_id);
      if (held !== undefined && held > clock) continue;
      const due =
        next.kind === 'send'
          ? row.state === 'waiting' && row.next_attempt_at <= iso
          : row.state === 'accepted' && row.acquirer_reference !== null && row.next_poll_at !== null && row.next_poll_at <= iso;
      if (!due) continue;
      this.heldUntil.delete(row.application_id);
      this.inFlight.add(row.application_id);
      starts.push({ row: next.kind === 'poll' ? row : { ...row, attempts: row.attempts + 1 }, kind: next.kind });
      room -= 1;
    }
    for (const { row, kind } of starts) this.track(row.application_id, (exchanged) => (kind === 'poll' ? this.pollOne(row, exchanged) : this.sendOne(row, exchanged)));
    return starts.length;
  }

  /** pump() where nothing may throw: a database that cannot be read now is tried again by the next round. */
  private pumpSafely(): void {
    try {
      this.pump();
    } catch (error) {
      this.core.log.error('acquirer.pump_failed', { error: short(String((error as Error).message)) });
    }
  }

  /**
   * Runs one send or poll. Its slot (one exchange with the acquirer) is given back as soon as the answer is in,
   * so the next exchange starts while the answer waits for its write; the entry stays in `inFlight` (never
   * started twice) until its answer is written or refused.
   */
  private track(id: number, work: (exchanged: () => void) => Promise<void>): void {
    this.exchanges += 1;
    let holding = true;
    const exchanged = () => {
      if (!holding) return;
      holding = false;
      this.exchanges -= 1;
      // The freed slot is filled now, not on the next timer tick (a timer of 0 ms still waits a millisecond or more).
      if (this.started) this.pumpSafely();
    };
    const done = work(exchanged)
      .catch((error: unknown) => {
        this.heldUntil.set(id, Date.now() + this.leaseMs);
        this.core.log.error('acquirer.result_not_recorded', { applicationId: id, error: short(String((error as Error).message)) });
      })
      .finally(() => {
        this.inFlight.delete(id);
        this.running.delete(done);
        exchanged();
        this.wake?.();
        // exchanged() may have started the next send: idle only if it did not.
        if (this.idleWaiters.length > 0 && !this.busy()) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
    this.running.add(done);
  }

  private async sendOne(row: OutboxRow, exchanged: () => void): Promise<void> {
    const opened = openSealed(this.core.keys, row);
    if (!opened) {
      exchanged();
      await this.commit((arrival) => this.settle(row, { kind: 'fail', error: 'payload purged' }, arrival));
      return;
    }
    // Signed at completion with the seal; an entry sealed before that is signed now (its body is the canonical
    // JSON of the payload, so signing it is signing the payload).
    const signature = opened.signature ?? signCanonicalText(this.core.keys.signingKey, opened.body);
    let result: SendResult;
    try {
      result = await this.channel.send({ number: row.number, body: opened.body, signature });
    } catch (error) {
      result = { kind: 'retry', error: short(`channel error: ${(error as Error).message}`) };
    }
    exchanged();
    await this.commit((arrival) => this.settle(row, result, arrival));
  }

  private flushTimer: NodeJS.Timeout | null = null;
  private queued: { write: (arrival: Arrival | undefined) => void; resolve: () => void; reject: (error: unknown) => void }[] = [];

  /**
   * Answers that arrive together are written in one transaction (group commit): one durable write for several
   * answers, each in a savepoint of its own, so an answer that cannot be written is undone alone. If the database
   * refuses the whole write (full disk), none of them is recorded; those entries are still waiting and are sent
   * again after the lease (same bytes, same key).
   */
  private commit(write: (arrival: Arrival | undefined) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ write, resolve, reject });
      // Written at once when the group is full, or when no exchange is under way (no other answer is on its way:
      // waiting would only delay this one).
      if (this.queued.length >= this.groupMax || this.exchanges === 0) {
        if (this.flushTimer) clearTimeout(this.flushTimer);
        this.flushTimer = null;
        this.flush();
      } else if (this.queued.length === 1) {
        this.flushTimer = setTimeout(() => {
          this.flushTimer = null;
          this.flush();
        }, this.groupWindowMs);
      }
    });
  }

  private flush(): void {
    const batch = this.queued.splice(0);
    const db = this.core.db;
    const refused = new Map<(typeof batch)[number], unknown>();
    // This group writes only entries in flight, and the read-ahead never holds one (it leaves out what is in
    // flight, and an entry started from it lies behind `aheadAt`): what was read ahead stays as read, unless
    // something else wrote since it was read.
    const aheadCurrent = this.changes() === this.aheadChanges;
    try {
      // Not forced to disk on its own (withDeferredSync): an answer lost to a power cut leaves its entry waiting
      // (or accepted, for a poll), and the same bytes go again under the same idempotency key, which the acquirer
      // answers as before. The entry itself was forced to disk with the slip that completed the request.
      withDeferredSync(db, db.transaction(() => {
        // The arrival (time, business date) worked out once for the group; when it cannot be (the day is closed),
        // each answer meets that refusal on its own, as it would alone.
        let arrival: Arrival | undefined;
        try {
          const at = this.now();
          arrival = { at, businessDate: arrivalDate(this.core, at) };
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
        }
        for (const item of batch) {
          // Each answer in a savepoint of its own: one that cannot be written is undone alone, the others commit.
          try {
            atomically(db, () => item.write(arrival));
          } catch (error) {
            // When SQLite has rolled the whole transaction back (full disk, I/O error) nothing more can be written in it.
            if (!db.inTransaction) throw error;
            refused.set(item, error);
          }
        }
      }));
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    if (aheadCurrent) this.aheadChanges = this.changes();
    for (const item of batch) {
      if (refused.has(item)) item.reject(refused.get(item));
      else item.resolve();
    }
  }

  private settle(row: OutboxRow, result: SendResult, arrival: Arrival | undefined): void {
    const at = arrival?.at ?? this.now();
    const iso = at.toISOString();
    const db = this.core.db;
    const still = statement(db, 'SELECT state, attempts FROM acquirer_outbox WHERE application_id = ?').get(row.application_id) as { state: string; attempts: number } | undefined;
    // Written only while the entry is still the one that was sent (a supervisor's retry or an outcome file may have moved it).
    if (!still || still.state !== 'waiting' || still.attempts !== row.attempts - 1) return;
    try {
      switch (result.kind) {
        case 'accepted': {
          // Already inside this answer's savepoint (flush): the two writes stand or fall together. The request is
          // read by its key (by its number it would be a second index walk); a join of the two reads is slower.
          const request = statement(db, 'SELECT id, number, status, version FROM applications WHERE id = ?').get(row.application_id) as RequestHead | undefined;
          if (!request) throw new DomainError('NOT_FOUND', 'acquirer.unknown_number', undefined, { number: row.number });
          recordAcceptOf(this.core, request, { acquirerReference: result.acquirerReference, source: this.channel.kind }, arrival);
          statement(db,
            `UPDATE acquirer_outbox SET state = 'accepted', sent_at = ?, claimed_at = NULL, attempts = ?,
                    last_error = NULL, acquirer_reference = ?, polls = 0, next_poll_at = ? WHERE application_id = ?`,
          ).run(iso, row.attempts, result.acquirerReference, new Date(at.getTime() + this.pollIntervalMs).toISOString(), row.application_id);
          break;
        }
        case 'refused':
          db.transaction(() => {
            statement(db, 'UPDATE acquirer_outbox SET sent_at = ?, last_error = NULL, attempts = ? WHERE application_id = ?').run(iso, row.attempts, row.application_id);
            recordAcquirerOutcome(this.core, { number: row.number, outcome: 'unbind_failed', reason: result.reason, acquirerReference: result.acquirerReference, decidedAt: iso, source: this.channel.kind }, arrival);
          })();
          break;
        case 'retry':
        case 'fail': {
          const giveUp = result.kind === 'fail' || row.attempts >= this.maxAttempts;
          const next = new Date(at.getTime() + backoffMs(row.attempts, this.baseDelayMs, this.maxDelayMs, this.random)).toISOString();
          statement(db,
            `UPDATE acquirer_outbox SET state = ?, claimed_at = NULL, attempts = ?, last_error = ?, next_attempt_at = ? WHERE application_id = ?`,
          ).run(giveUp ? 'failed' : 'waiting', row.attempts, short(result.error), next, row.application_id);
          this.core.log.info(giveUp ? 'acquirer.send_failed' : 'acquirer.send_retry', { applicationId: row.application_id, attempts: row.attempts, error: short(result.error) });
          break;
        }
      }
    } catch (error) {
      if (error instanceof DomainError) {
        // The answer cannot be recorded (e.g. an outcome that contradicts one already recorded): a supervisor looks.
        statement(db, "UPDATE acquirer_outbox SET state = 'failed', claimed_at = NULL, attempts = ?, last_error = ? WHERE application_id = ?").run(row.attempts, short(`${error.messageKey}`), row.application_id);
        return;
      }
      // The database refused the write (full disk…): the entry stays waiting and the same bytes go again later.
      throw error;
    }
  }

  private async pollOne(row: OutboxRow, exchanged: () => void): Promise<void> {
    let result: PollResult;
    try {
      result = await (this.channel.poll as NonNullable<AcquirerChannel['poll']>)(row.number, row.acquirer_reference as string);
    } catch (error) {
      result = { kind: 'retry', error: short(`channel error: ${(error as Error).message}`) };
    }
    exchanged();
    await this.commit((arrival) => {
      const at = arrival?.at ?? this.now();
      const db = this.core.db;
      if (result.kind === 'final') {
        try {
          recordAcquirerOutcome(this.core, { number: row.number, outcome: result.outcome, reason: result.reason, acquirerReference: result.acquirerReference, decidedAt: result.decidedAt, source: this.channel.kind }, arrival);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          statement(db, "UPDATE acquirer_outbox SET state = 'failed', last_error = ?, next_poll_at = NULL WHERE application_id = ?").run(short(error.messageKey), row.application_id);
        }
        return;
      }
      const polls = row.polls + (result.kind === 'retry' ? 1 : 0);
      const wait = result.kind === 'retry' ? Math.max(this.pollIntervalMs, backoffMs(polls, this.baseDelayMs, this.maxDelayMs, this.random)) : this.pollIntervalMs;
      statement(db, "UPDATE acquirer_outbox SET polls = ?, last_error = ?, next_poll_at = ? WHERE application_id = ? AND state = 'accepted'").run(
        polls,
        result.kind === 'retry' ? short(result.error) : null,
        new Date(at.getTime() + wait).toISOString(),
        row.application_id,
      );
    });
  }

  /** An exchange with the acquirer under way, or an answer not yet written. */
  busy(): boolean {
    return this.inFlight.size > 0 || this.queued.length > 0;
  }

  private idleWaiters: (() => void)[] = [];

  /** Resolves when the dispatcher is next not busy (at once if it is not busy now): the bench waits on it instead of polling. */
  whenIdle(): Promise<void> {
    if (!this.busy()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Entries not settled yet: waiting, in flight or awaiting their outcome. */
  pending(): number {
    // Each count walks its partial index (nothing writes 'sending' since migration 014).
    const sql = "SELECT (SELECT count(*) FROM acquirer_outbox WHERE state = 'waiting') + (SELECT count(*) FROM acquirer_outbox WHERE state = 'accepted') AS n";
    return (statement(this.core.db, sql).get() as { n: number }).n;
  }

  /** Resolves when every entry is settled (done or failed) and nothing is in flight: tests, the bench. */
  async drain(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.pumpSafely();
      if (this.inFlight.size === 0 && this.pending() === 0) return;
      if (Date.now() > deadline) throw new Error(`acquirer dispatcher: drain timed out with ${this.pending()} entries pending`);
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, 10);
      });
    }
  }
}
