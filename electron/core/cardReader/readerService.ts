// The core's side of the reader at the counter: it polls the configured reader (about every 500 ms) only
// while a window has the form's document step open and keeps asking for the result, and keeps the last read
// of each window itself, so a request can claim `chip` only for a read the core made.
//
// A window "watches" under a lease: `reader.watch` and every `reader.status` renew it; a window that closes,
// locks or crashes stops renewing, and polling stops within the lease. Reads run on the event loop's I/O
// (serial) or koffi's worker threads (vendor library): the service never blocks.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { EventLog } from '../eventLog';
import { toChipRead, type ChipRead } from './chipRead';
import { CardReadError, type CardReadErrorCode } from './errors';
import type { CardReader, CardReaderKind } from './port';
import type { CardReaderSettings } from './readerSettings';

export type ReaderState = 'off' | 'waiting' | 'error';

export interface ReaderStatus {
  configured: boolean;
  kind: CardReaderKind | 'none';
  watching: boolean;
  state: ReaderState;
  /** The last failure, until the next good poll. */
  error: CardReadErrorCode | null;
  /** The window's last read (personal data: shown in the form, never logged). */
  read: ChipRead | null;
  /** Grows with every new read or error, so the renderer acts on each once. */
  seq: number;
}

export type ReaderOpener = (settings: CardReaderSettings) => Promise<CardReader>;

export interface ReaderServiceOptions {
  settings(): CardReaderSettings;
  open: ReaderOpener;
  clock: Clock;
  log: EventLog;
  /** The business date, for the chip number's birth-date bound. */
  today(): string;
  /** Whether the window's session is logged in and unlocked; polling stops as soon as it is not. */
  sessionState?(sessionKey: string): 'active' | 'locked' | 'gone';
  /** Who is logged in in the window (null: nobody): a read is offered only to the teller it was made for. */
  tellerOf?(sessionKey: string): number | null;
  pollMs?: number;
  leaseMs?: number;
  /** How long a read stays claimable by a request. */
  readTtlMs?: number;
}

interface WindowState {
  /** The request whose document step this window has open: its reads belong to it alone. */
  applicationId: number | null;
  /** The teller logged in when the read was made: another login in the window never sees it. */
  tellerId: number | null;
  read: ChipRead | null;
  readAtMs: number;
  error: CardReadErrorCode | null;
  seq: number;
}

export class CardReaderService {
  private reader: CardReader | null = null;
  private readerFor: string | null = null;
  private watcher: { sessionKey: string; until: number } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<void> | null = null;
  /** The last reader's close, still running: the next open waits for it (a serial port is locked until closed). */
  private closing: Promise<void> = Promise.resolve();
  private readonly windows = new Map<string, WindowState>();
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly readTtlMs: number;
  /** Polls made, for tests and the README's figures. */
  polls = 0;

  constructor(private readonly opts: ReaderServiceOptions) {
    this.pollMs = opts.pollMs ?? 500;
    this.leaseMs = opts.leaseMs ?? 2500;
    this.readTtlMs = opts.readTtlMs ?? 30 * 60_000;
  }

  /**
   * The document step opened (on) or closed (off) in this window. Opening it for another request than the
   * window's last one forgets the last read: one customer's chip never fills the next customer's form.
   */
  watch(sessionKey: string, on: boolean, applicationId?: number): ReaderStatus {
    if (on) {
      const w = this.window(sessionKey);
      if (w.applicationId !== (applicationId ?? null)) {
        w.applicationId = applicationId ?? null;
        w.read = null;
        w.readAtMs = 0;
        w.error = null;
      }
      this.watcher = { sessionKey, until: Date.now() + this.leaseMs };
      this.schedule(0);
    } else if (this.watcher?.sessionKey === sessionKey) {
      this.stopPolling();
    }
    return this.status(sessionKey);
  }

  /** The window's state; renews its lease when it is the watcher. */
  status(sessionKey: string): ReaderStatus {
    if (this.watcher?.sessionKey === sessionKey) this.watcher.until = Date.now() + this.leaseMs;
    const settings = this.opts.settings();
    const w = this.window(sessionKey);
    const watching = this.watcher?.sessionKey === sessionKey;
    return {
      configured: settings.kind !== 'none',
      kind: settings.kind === 'none' ? 'none' : (this.reader?.kind ?? settings.kind),
      watching,
      state: !watching ? 'off' : w.error !== null ? 'error' : 'waiting',
      error: settings.kind === 'none' ? 'not_configured' : w.error,
      read: this.claimable(w, sessionKey) ? w.read : null,
      seq: w.seq,
    };
  }

  /** F4: read the card on the reader now, even one already read (it skips "find" and selects it). */
  async readAgain(sessionKey: string): Promise<ReaderStatus> {
    if (this.watcher?.sessionKey !== sessionKey) this.watcher = { sessionKey, until: Date.now() + this.leaseMs };
    await this.pollOnce(true);
    this.schedule(this.pollMs);
    return this.status(sessionKey);
  }

  /** The read a request claims, if this window made it and it is recent. */
  claim(sessionKey: string, readId: string): ChipRead | null {
    const w = this.windows.get(sessionKey);
    if (w === undefined || w.read === null || w.read.readId !== readId || !this.claimable(w, sessionKey)) return null;
    return w.read;
  }

  /** A window went away (logout, lock, closed): forget its read and stop polling for it. */
  forget(sessionKey: string): void {
    this.windows.delete(sessionKey);
    if (this.watcher?.sessionKey === sessionKey) this.stopPolling();
  }

  async close(): Promise<void> {
    this.watcher = null;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.busy;
    await this.closeReader();
  }

  /** A recent read, made for the teller now logged in in an unlocked window. */
  private claimable(w: WindowState, sessionKey: string): boolean {
    if (w.read === null || this.opts.clock.now().getTime() - w.readAtMs > this.readTtlMs) return false;
    if (this.opts.sessionState && this.opts.sessionState(sessionKey) !== 'active') return false;
    return !this.opts.tellerOf || this.opts.tellerOf(sessionKey) === w.tellerId;
  }

  private window(sessionKey: string): WindowState {
    let w = this.windows.get(sessionKey);
    if (w === undefined) {
      w = { applicationId: null, tellerId: null, read: null, readAtMs: 0, error: null, seq: 0 };
      this.windows.set(sessionKey, w);
    }
    return w;
  }

  private schedule(delay: number): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tick();
    }, delay);
    this.timer.unref();
  }

  private stopPolling(): void {
    this.watcher = null;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    void this.closeReader();
  }

  private async tick(): Promise<void> {
    if (this.watcher === null) return;
    const session = this.opts.sessionState?.(this.watcher.sessionKey) ?? 'active';
    if (session === 'gone') {
      this.forget(this.watcher.sessionKey);
      return;
    }
    if (session === 'locked' || Date.now() > this.watcher.until) {
      // The window locked, or stopped asking (closed, crashed): stop, and let go of the port.
      this.stopPolling();
      return;
    }
    await this.pollOnce(false);
    if (this.watcher !== null) this.schedule(this.pollMs);
  }

  private async pollOnce(again: boolean): Promise<void> {
    if (this.busy !== null) {
      await this.busy;
      if (!again) return;
    }
    const run = this.poll(again);
    this.busy = run;
    try {
      await run;
    } finally {
      this.busy = null;
    }
  }

  private async poll(again: boolean): Promise<void> {
    const watcher = this.watcher;
    if (watcher === null) return;
    const w = this.window(watcher.sessionKey);
    const settings = this.opts.settings();
    if (settings.kind === 'none') {
      await this.closeReader();
      return;
    }
    this.polls += 1;
    try {
      const reader = await this.openReader(settings);
      const raw = await reader.read({ again });
      if (raw === null) {
        if (again) this.fail(w, new CardReadError('no_card'));
        else if (w.error !== null) {
          w.error = null;
          w.seq += 1;
        }
        return;
      }
      const now = this.opts.clock.now();
      w.read = toChipRead(raw, { kind: reader.kind, now, today: this.opts.today(), readId: randomUUID() });
      w.readAtMs = now.getTime();
      w.tellerId = this.opts.tellerOf?.(watcher.sessionKey) ?? null;
      w.error = null;
      w.seq += 1;
      this.opts.log.info('reader.read', { kind: reader.kind, samId: raw.samId, textSha256: w.read.evidence.textSha256 });
    } catch (e) {
      const err = e instanceof CardReadError ? e : new CardReadError('not_found', 'unexpected');
      if (!(e instanceof CardReadError)) this.opts.log.error('reader.unexpected', { error: e instanceof Error ? e.name : 'unknown' });
      // A reader that went away is reopened at the next poll (it may be plugged back in).
      if (err.code === 'not_found' || err.code === 'library_error') await this.closeReader();
      this.fail(w, err);
    }
  }

  private fail(w: WindowState, err: CardReadError): void {
    const repeated = w.error === err.code;
    w.error = err.code;
    if (!repeated) {
      w.seq += 1;
      // The code and the device's detail (a status byte, a function name): never personal data.
      this.opts.log.info('reader.error', { code: err.code, detail: err.detail ?? '' });
    }
  }

  private async openReader(settings: Exclude<CardReaderSettings, { kind: 'none' }>): Promise<CardReader> {
    const key = JSON.stringify(settings);
    if (this.reader !== null && this.readerFor === key) return this.reader;
    await this.closeReader();
    await this.closing;
    this.reader = await this.opts.open(settings);
    this.readerFor = key;
    return this.reader;
  }

  private async closeReader(): Promise<void> {
    const reader = this.reader;
    this.reader = null;
    this.readerFor = null;
    if (reader === null) return this.closing;
    const closed = this.closing.then(() => reader.close()).catch(() => undefined);
    this.closing = closed;
    await closed;
  }
}
