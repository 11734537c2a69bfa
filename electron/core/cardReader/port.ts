// The card reader port (DESIGN.md, "The edges"): what the core needs from any second-generation ID card
// reader, whatever way it is reached (the SAM frame protocol on a serial port, the vendor's library, the
// preview's simulator). Adapters hand back raw bytes; `chipRead.ts` turns them into facts and evidence.

export type CardReaderKind = 'serial' | 'vendor_library' | 'simulated';

/** One card read as the reader handed it over. Untrusted: lengths are checked by the caller too. */
export interface RawCardRead {
  /** The 256-byte text block. */
  textBlock: Buffer;
  /** The 1024-byte WLT photo, as read (never stored). */
  photo: Buffer;
  /** The reader's SAM id, as the vendor prints it ('05.01-20101216-0016541549-2212183410'). */
  samId: string;
  /** The photo decoded to a BMP, when the reader's library offers a decoder. */
  photoBmp?: Buffer;
}

export interface CardReader {
  readonly kind: CardReaderKind;
  /**
   * Looks for a card and reads it. Resolves null when no (new) card is on the reader — a card already read
   * must be lifted before it is found again, as the readers themselves behave. `again` (F4) reads the card
   * still on the reader even so: it selects the card without finding it first. Rejects with CardReadError.
   */
  read(opts?: { again?: boolean }): Promise<RawCardRead | null>;
  /** Releases the port or library. Safe to call twice. */
  close(): Promise<void>;
}
