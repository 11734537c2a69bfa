// A read turned into what the form and the audit may hold: the chip's facts (personal data, kept in memory
// only until the request is saved encrypted) and the evidence (no personal data: hashes and the SAM id).
import { createHash } from 'node:crypto';
import { CardReadError } from './errors';
import type { CardReaderKind, RawCardRead } from './port';
import { PHOTO_LENGTH, TEXT_BLOCK_LENGTH, parseTextBlock, type ChipCardFacts } from './textBlock';

export interface ChipEvidence {
  readerKind: CardReaderKind;
  samId: string;
  /** ISO 8601 instant of the read. */
  readAt: string;
  textSha256: string;
  photoSha256: string;
}

export interface ChipRead {
  /** Identifies this read for the form; the core keeps the read under it. */
  readId: string;
  facts: ChipCardFacts;
  evidence: ChipEvidence;
  /** Decoded photo (BMP) when the reader's library decodes WLT; never stored. */
  photoBmp?: Buffer;
}

// SAM ids print as 'NN.NN-NNNNNNNN-NNNNNNNNNN-NNNNNNNNNN'; a short cap keeps junk out of the audit.
const SAM_ID_PATTERN = /^[0-9A-Za-z.-]{1,64}$/u;

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

export function toChipRead(
  raw: RawCardRead,
  ctx: { kind: CardReaderKind; now: Date; today: string; readId: string },
): ChipRead {
  if (raw.textBlock.length !== TEXT_BLOCK_LENGTH) throw new CardReadError('bad_frame', `text length ${raw.textBlock.length}`);
  if (raw.photo.length !== PHOTO_LENGTH) throw new CardReadError('bad_frame', `photo length ${raw.photo.length}`);
  if (!SAM_ID_PATTERN.test(raw.samId)) throw new CardReadError('sam_error', 'SAM id not printable');
  const facts = parseTextBlock(raw.textBlock, { today: ctx.today });
  const read: ChipRead = {
    readId: ctx.readId,
    facts,
    evidence: {
      readerKind: ctx.kind,
      samId: raw.samId,
      readAt: ctx.now.toISOString(),
      textSha256: sha256(raw.textBlock),
      photoSha256: sha256(raw.photo),
    },
  };
  if (raw.photoBmp !== undefined && isBmp(raw.photoBmp)) read.photoBmp = raw.photoBmp;
  return read;
}

/** A BMP header with a sane size: the decoder is vendor code, its output is checked like a device's. */
function isBmp(b: Buffer): boolean {
  if (b.length < 54 || b.length > 256 * 1024 || b.toString('latin1', 0, 2) !== 'BM') return false;
  const width = b.readInt32LE(18);
  const height = Math.abs(b.readInt32LE(22));
  return width > 0 && width <= 1024 && height > 0 && height <= 1024;
}

/** The SAM id's 16 bytes as vendors print them (sdtapi SDT_GetSAMIDToStr). */
export function samIdToString(raw: Buffer): string {
  if (raw.length !== 16) throw new CardReadError('bad_frame', `SAM id length ${raw.length}`);
  const a = raw.readUInt16LE(0);
  const b = raw.readUInt16LE(2);
  const c = raw.readUInt32LE(4);
  const d = raw.readUInt32LE(8);
  const e = raw.readUInt32LE(12);
  const pad = (n: number, w: number): string => String(n).padStart(w, '0');
  return `${pad(a, 2)}.${pad(b, 2)}-${pad(c, 8)}-${pad(d, 10)}-${pad(e, 10)}`;
}
