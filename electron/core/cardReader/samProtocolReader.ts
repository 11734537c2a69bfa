// The host side of the SAM frame protocol, over any byte transport (a serial / USB-CDC port in the
// product, an in-process simulator in the preview). One exchange at a time; every reply is checked for
// its preamble, length bounds, checksum and the data length its command implies, so a short, long or
// corrupt frame is an error and never a half-read card.
import { samIdToString } from './chipRead';
import { CardReadError } from './errors';
import type { CardReader, CardReaderKind, RawCardRead } from './port';
import { COMMANDS, SW3, decodeFrame, encodeCommand, frameLength } from './samFrames';
import { PHOTO_LENGTH, TEXT_BLOCK_LENGTH } from './textBlock';

/** A duplex byte channel to the reader. */
export interface ByteTransport {
  write(bytes: Buffer): Promise<void>;
  /** Registers the one data listener. */
  onData(listener: (bytes: Buffer) => void): void;
  /** Called once when the channel goes away (unplugged, closed). */
  onClose(listener: () => void): void;
  close(): Promise<void>;
}

// Status words vendors agree on (the rest differ by vendor and are reported by value as SAM errors).
const SW3_NO_CARD = 0x80; // find card: nothing found
const SW3_SELECT_FAILED = 0x81; // select card: the card went away
const SW3_READ_FAILED = 0x41; // read: the card went away mid-read

interface Pending {
  resolve(body: Buffer): void;
  reject(err: CardReadError): void;
  timer: NodeJS.Timeout;
}

export class SamProtocolReader implements CardReader {
  private buffer = Buffer.alloc(0);
  private pending: Pending | null = null;
  private closed = false;
  private queue: Promise<unknown> = Promise.resolve();
  private samId: string | null = null;
  /** Set by a timeout: a late reply may still be on its way, so the line must go quiet before the next command. */
  private stale = false;
  private lastByteAt = 0;

  constructor(
    private readonly transport: ByteTransport,
    private readonly opts: { kind: CardReaderKind; timeoutMs: number },
  ) {
    transport.onData((bytes) => this.receive(bytes));
    transport.onClose(() => {
      this.closed = true;
      this.fail(new CardReadError('not_found', 'port closed'));
    });
  }

  get kind(): CardReaderKind {
    return this.opts.kind;
  }

  read(opts: { again?: boolean } = {}): Promise<RawCardRead | null> {
    const run = this.queue.then(() => this.readOnce(opts.again === true));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.fail(new CardReadError('not_found', 'closed'));
    await this.transport.close();
  }

  private async readOnce(again: boolean): Promise<RawCardRead | null> {
    if (this.closed) throw new CardReadError('not_found', 'port closed');
    this.samId ??= await this.readSamId();
    const find = await this.exchange(COMMANDS.findCard);
    if (find.sw3 === SW3_NO_CARD && !again) return null;
    if (find.sw3 !== SW3.found && find.sw3 !== SW3_NO_CARD) throw samError('find', find.sw3);
    const select = await this.exchange(COMMANDS.selectCard);
    if (select.sw3 === SW3_SELECT_FAILED) {
      if (again) return null;
      throw new CardReadError('card_removed', 'select');
    }
    if (select.sw3 !== SW3.ok) throw samError('select', select.sw3);
    const base = await this.exchange(COMMANDS.readBaseInfo);
    if (base.sw3 === SW3_READ_FAILED) throw new CardReadError('card_removed', 'read');
    if (base.sw3 !== SW3.ok) throw samError('read', base.sw3);
    const data = base.data;
    if (data.length < 4) throw new CardReadError('bad_frame', 'read data too short');
    const textLen = data.readUInt16BE(0);
    const photoLen = data.readUInt16BE(2);
    if (textLen !== TEXT_BLOCK_LENGTH || photoLen !== PHOTO_LENGTH) throw new CardReadError('bad_frame', `lengths ${textLen}/${photoLen}`);
    if (data.length !== 4 + textLen + photoLen) throw new CardReadError('bad_frame', `read data ${data.length} bytes`);
    return {
      textBlock: Buffer.from(data.subarray(4, 4 + textLen)),
      photo: Buffer.from(data.subarray(4 + textLen)),
      samId: this.samId,
    };
  }

  private async readSamId(): Promise<string> {
    const reply = await this.exchange(COMMANDS.samId);
    if (reply.sw3 !== SW3.ok) throw samError('SAM id', reply.sw3);
    return samIdToString(reply.data);
  }

  /**
   * After a timeout, waits until the reader has said nothing for a whole timeout, dropping what it says
   * meanwhile (the late reply): a late reply is never read as the answer to the next command.
   */
  private async settle(): Promise<void> {
    const quietMs = this.opts.timeoutMs;
    const giveUpAt = Date.now() + 10 * quietMs;
    while (this.stale) {
      const silentFor = Date.now() - this.lastByteAt;
      if (silentFor >= quietMs) {
        this.stale = false;
        return;
      }
      if (Date.now() > giveUpAt) throw new CardReadError('bad_frame', 'line never went quiet');
      await new Promise((resolve) => setTimeout(resolve, quietMs - silentFor));
    }
  }

  private async exchange([cmd, para]: readonly [number, number]): Promise<{ sw3: number; data: Buffer }> {
    await this.settle();
    const body = await new Promise<Buffer>((resolve, reject) => {
      if (this.closed) {
        reject(new CardReadError('not_found', 'port closed'));
        return;
      }
      this.buffer = Buffer.alloc(0);
      const timer = setTimeout(() => {
        this.stale = true;
        this.lastByteAt = Date.now();
        // Silence is a reader that stopped answering; a frame begun and not finished is a cut frame.
        this.fail(this.buffer.length === 0 ? new CardReadError('timeout') : new CardReadError('bad_frame', 'cut short'));
      }, this.opts.timeoutMs);
      this.pending = { resolve, reject, timer };
      this.transport.write(encodeCommand(cmd, para)).catch(() => this.fail(new CardReadError('not_found', 'write failed')));
    });
    return { sw3: body[2] ?? 0, data: body.subarray(3) };
  }

  private receive(bytes: Buffer): void {
    this.lastByteAt = Date.now();
    // Bytes nobody asked for (a late reply after a timeout) are dropped, never read as the next answer.
    if (this.pending === null) return;
    this.buffer = Buffer.concat([this.buffer, bytes]);
    try {
      const total = frameLength(this.buffer, 3);
      if (total === 0) return;
      if (this.buffer.length > total) throw new CardReadError('bad_frame', 'too long');
      const { body } = decodeFrame(this.buffer, 3);
      const pending = this.pending;
      this.pending = null;
      this.buffer = Buffer.alloc(0);
      clearTimeout(pending.timer);
      pending.resolve(Buffer.from(body));
    } catch (e) {
      this.fail(e instanceof CardReadError ? e : new CardReadError('bad_frame'));
    }
  }

  private fail(err: CardReadError): void {
    const pending = this.pending;
    if (pending === null) return;
    this.pending = null;
    this.buffer = Buffer.alloc(0);
    clearTimeout(pending.timer);
    pending.reject(err);
  }
}

function samError(step: string, sw3: number): CardReadError {
  return new CardReadError('sam_error', `${step} SW3 0x${sw3.toString(16).padStart(2, '0')}`);
}
