// The device side of the SAM frame protocol, for the test suite's reader on a pseudo-terminal and the
// preview's in-process demo reader (`--reader-sim`). Never used against a real reader. It behaves as the
// readers do: a card, once read, is not found again until it is lifted; faults are injected one at a time.
import { COMMANDS, SW3, decodeFrame, encodeResponse, frameLength } from './samFrames';
import { CardReadError } from './errors';
import { PHOTO_LENGTH, TEXT_BLOCK_LENGTH } from './textBlock';

export interface SimulatedCard {
  textBlock: Buffer;
  photo: Buffer;
}

export type SimulatorFault =
  | 'bad_checksum' // the next read reply has a wrong CHK
  | 'cut_frame' // the next read reply stops half-way, then silence
  | 'too_long' // the next read reply carries trailing bytes past its LEN
  | 'silence' // the next command gets no reply at all
  | 'lift_mid_read' // the card is lifted while the basic information is read
  | 'sam_error'; // the next find answers with a SAM failure status

/** The simulated reader's SAM id, printed '05.01-20101216-0016541549-2212183410'. */
export const SIM_SAM_ID = ((): Buffer => {
  const b = Buffer.alloc(16);
  b.writeUInt16LE(5, 0);
  b.writeUInt16LE(1, 2);
  b.writeUInt32LE(20101216, 4);
  b.writeUInt32LE(16541549, 8);
  b.writeUInt32LE(2212183410, 12);
  return b;
})();

const OK: [number, number, number] = [0, 0, SW3.ok];
const sw = (s3: number): [number, number, number] => [0, 0, s3];

export class SamReaderSimulator {
  private card: SimulatedCard | null = null;
  private alreadyRead = false;
  private fault: SimulatorFault | null = null;
  private inbox = Buffer.alloc(0);
  /** Commands received, for tests ('20 01', …). */
  readonly log: string[] = [];

  place(card: SimulatedCard): void {
    if (card.textBlock.length !== TEXT_BLOCK_LENGTH || card.photo.length !== PHOTO_LENGTH) throw new RangeError('not a card');
    this.card = card;
    this.alreadyRead = false;
  }

  lift(): void {
    this.card = null;
    this.alreadyRead = false;
  }

  get hasCard(): boolean {
    return this.card !== null;
  }

  injectFault(fault: SimulatorFault): void {
    this.fault = fault;
  }

  /** Feeds bytes from the host; returns the bytes to send back (in order), possibly none. */
  receive(bytes: Buffer): Buffer[] {
    this.inbox = Buffer.concat([this.inbox, bytes]);
    const out: Buffer[] = [];
    for (;;) {
      let total: number;
      try {
        total = frameLength(this.inbox, 2);
      } catch {
        this.inbox = Buffer.alloc(0);
        out.push(encodeResponse(sw(0x10)));
        break;
      }
      if (total === 0) break;
      const frame = this.inbox.subarray(0, total);
      this.inbox = this.inbox.subarray(total);
      try {
        const { body } = decodeFrame(frame, 2);
        const reply = this.answer(body[0] ?? 0, body[1] ?? 0);
        if (reply !== null) out.push(reply);
      } catch (e) {
        // A request with a bad checksum: the readers answer status 0x10 (received data checksum error).
        if (e instanceof CardReadError) out.push(encodeResponse(sw(0x10)));
      }
    }
    return out;
  }

  private takeFault(...kinds: SimulatorFault[]): SimulatorFault | null {
    if (this.fault !== null && kinds.includes(this.fault)) {
      const f = this.fault;
      this.fault = null;
      return f;
    }
    return null;
  }

  private answer(cmd: number, para: number): Buffer | null {
    this.log.push(`${cmd.toString(16).padStart(2, '0')} ${para.toString(16).padStart(2, '0')}`);
    if (this.takeFault('silence') !== null) return null;
    const is = (c: readonly [number, number]): boolean => c[0] === cmd && c[1] === para;
    if (is(COMMANDS.samId)) return encodeResponse(OK, SIM_SAM_ID);
    if (is(COMMANDS.samStatus)) return encodeResponse(OK);
    if (is(COMMANDS.findCard)) {
      if (this.takeFault('sam_error') !== null) return encodeResponse(sw(0x60));
      return this.card !== null && !this.alreadyRead ? encodeResponse(sw(SW3.found), Buffer.alloc(4)) : encodeResponse(sw(0x80));
    }
    if (is(COMMANDS.selectCard)) {
      return this.card !== null ? encodeResponse(OK, Buffer.alloc(8)) : encodeResponse(sw(0x81));
    }
    if (is(COMMANDS.readBaseInfo)) {
      if (this.card === null) return encodeResponse(sw(0x41));
      if (this.takeFault('lift_mid_read') !== null) {
        this.card = null;
        return encodeResponse(sw(0x41));
      }
      const lengths = Buffer.alloc(4);
      lengths.writeUInt16BE(TEXT_BLOCK_LENGTH, 0);
      lengths.writeUInt16BE(PHOTO_LENGTH, 2);
      const reply = encodeResponse(OK, Buffer.concat([lengths, this.card.textBlock, this.card.photo]));
      const fault = this.takeFault('bad_checksum', 'cut_frame', 'too_long');
      // A clean reply counts as read: the card must be lifted before it is found again.
      if (fault === null) this.alreadyRead = true;
      if (fault === 'bad_checksum') reply[reply.length - 1] = (reply[reply.length - 1] ?? 0) ^ 0x5a;
      if (fault === 'cut_frame') return reply.subarray(0, Math.floor(reply.length / 2));
      if (fault === 'too_long') return Buffer.concat([reply, Buffer.from([0x00, 0x00, 0x00])]);
      return reply;
    }
    return encodeResponse(sw(0x21)); // unknown command
  }
}
