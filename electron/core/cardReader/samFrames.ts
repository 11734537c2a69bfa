// The SAM frame protocol of second-generation ID card readers (INTEGRATIONS.md, GA 467 readers):
//   request  AA AA AA 96 69 | LEN(2, big-endian) | CMD | PARA | data | CHK
//   response AA AA AA 96 69 | LEN(2, big-endian) | SW1 SW2 SW3 | data | CHK
// LEN counts everything after itself (CHK included); CHK is the XOR of every byte after the preamble.
import { CardReadError } from './errors';

export const PREAMBLE = Buffer.from([0xaa, 0xaa, 0xaa, 0x96, 0x69]);
const HEADER = PREAMBLE.length + 2;

export const COMMANDS = {
  findCard: [0x20, 0x01],
  selectCard: [0x20, 0x02],
  readBaseInfo: [0x30, 0x01],
  samStatus: [0x11, 0xff],
  samId: [0x12, 0xff],
} as const;

export const SW3 = { ok: 0x90, found: 0x9f } as const;

/** The longest reply: read basic info (3 status + 4 lengths + 256 text + 1024 photo + CHK), with room. */
export const MAX_FRAME_LEN = 2048;

function xor(bytes: Uint8Array): number {
  let chk = 0;
  for (const b of bytes) chk ^= b;
  return chk;
}

function frame(body: Buffer): Buffer {
  const len = body.length + 1;
  const out = Buffer.alloc(HEADER + len);
  PREAMBLE.copy(out, 0);
  out.writeUInt16BE(len, PREAMBLE.length);
  body.copy(out, HEADER);
  out[out.length - 1] = xor(out.subarray(PREAMBLE.length, out.length - 1));
  return out;
}

export function encodeCommand(cmd: number, para: number, data: Buffer = Buffer.alloc(0)): Buffer {
  return frame(Buffer.concat([Buffer.from([cmd, para]), data]));
}

export function encodeResponse(sw: [number, number, number], data: Buffer = Buffer.alloc(0)): Buffer {
  return frame(Buffer.concat([Buffer.from(sw), data]));
}

export interface DecodedFrame {
  /** CMD PARA (request) or SW1 SW2 SW3 (response) followed by data, CHK removed. */
  body: Buffer;
}

/**
 * How much of `buf` one frame takes: 0 while it is still incomplete, else the frame's length.
 * Throws `bad_frame` for a wrong preamble or a LEN out of bounds, `checksum` for a bad CHK.
 */
export function frameLength(buf: Buffer, minBody: number): number {
  const head = Math.min(buf.length, PREAMBLE.length);
  if (!buf.subarray(0, head).equals(PREAMBLE.subarray(0, head))) throw new CardReadError('bad_frame', 'preamble');
  if (buf.length < HEADER) return 0;
  const len = buf.readUInt16BE(PREAMBLE.length);
  if (len < minBody + 1 || len > MAX_FRAME_LEN) throw new CardReadError('bad_frame', `LEN ${len}`);
  return buf.length < HEADER + len ? 0 : HEADER + len;
}

/** Decodes one complete frame (exactly `frameLength` bytes). */
export function decodeFrame(buf: Buffer, minBody: number): DecodedFrame {
  const total = frameLength(buf, minBody);
  if (total === 0) throw new CardReadError('bad_frame', 'cut short');
  if (buf.length !== total) throw new CardReadError('bad_frame', 'too long');
  const chk = buf[total - 1];
  if (xor(buf.subarray(PREAMBLE.length, total - 1)) !== chk) throw new CardReadError('checksum');
  return { body: buf.subarray(HEADER, total - 1) };
}
