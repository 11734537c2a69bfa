// What can go wrong between the counter and a card reader. Each code is a stable key: the renderer shows
// `reader.error.<code>` (renderer/i18n), the audit and the README name the same codes.
export const CARD_READ_ERROR_CODES = [
  'not_configured', // no reader in the settings
  'not_found', // the port / library / device cannot be opened, or it went away (unplugged)
  'no_card', // nothing on the reader
  'card_removed', // the card was lifted during the read
  'timeout', // the reader stopped answering
  'sam_error', // the reader's security module answered with a failure status
  'checksum', // a frame whose checksum does not match
  'bad_frame', // a frame cut short, too long, or shaped wrongly
  'unknown_card_type', // a card type byte this program does not read
  'bad_text_block', // the text block does not hold what its layout says
  'chip_number_invalid', // the chip's own number fails its check (validateIdNumber)
  'library_error', // the vendor library cannot be loaded or lacks a function
] as const;

export type CardReadErrorCode = (typeof CARD_READ_ERROR_CODES)[number];

/** A failed read. `detail` is for branch IT (a status byte, a function name); never personal data. */
export class CardReadError extends Error {
  constructor(
    readonly code: CardReadErrorCode,
    readonly detail?: string,
  ) {
    super(detail === undefined ? `card read: ${code}` : `card read: ${code} (${detail})`);
    this.name = 'CardReadError';
  }
}
