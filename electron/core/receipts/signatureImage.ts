import { crc32, inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';

/**
 * The customer's drawn signature arrives as a PNG from the renderer, which is untrusted: a 169-byte file can
 * declare 12000 × 12000 pixels, and a small IDAT can inflate to a gigabyte. Both would stall the core (the
 * whole counter) while pdfkit decodes them. So the image is checked here before anything is inflated — the
 * header first (dimensions, colour type, bit depth, interlace), then the compressed data inflated with its
 * output capped at exactly what the header allows — and what is stored is a fresh encoding of the pixels,
 * without any chunk the file brought along.
 *
 * A signature pad draws at most a few hundred CSS pixels high at a device pixel ratio of up to 3; the limits
 * leave room for that and no more.
 */
export const SIGNATURE_LIMITS = { maxWidth: 4000, maxHeight: 2000, maxPixels: 4_000_000, maxChunks: 4096 } as const;

export type SignatureImageRefusal = 'signature.format' | 'signature.dimensions' | 'signature.image_too_large';

export class SignatureImageError extends Error {
  constructor(readonly code: SignatureImageRefusal) {
    super(code);
    this.name = 'SignatureImageError';
  }
}

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
// Colour type → samples per pixel (PNG §11.2.2); all at 8 bits, as a canvas writes them.
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

export interface SignatureHeader {
  width: number;
  height: number;
  colorType: number;
  /** Bytes the image data must inflate to: one filter byte and one row of samples per line. */
  inflatedBytes: number;
}

/** Walks the chunks and checks the header; inflates nothing. */
function readStructure(png: Buffer): { header: SignatureHeader; idat: Buffer } {
  if (png.length < 8 + 25 + 12 || !png.subarray(0, 8).equals(PNG_MAGIC)) throw new SignatureImageError('signature.format');
  let offset = 8;
  let header: SignatureHeader | null = null;
  const idat: Buffer[] = [];
  let chunks = 0;
  for (;;) {
    if (offset + 12 > png.length || ++chunks > SIGNATURE_LIMITS.maxChunks) throw new SignatureImageError('signature.format');
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const end = offset + 8 + length;
    if (length > 0x7fffffff || end + 4 > png.length) throw new SignatureImageError('signature.format');
    if (crc32(png.subarray(offset + 4, end)) !== png.readUInt32BE(end)) throw new SignatureImageError('signature.format');
    const data = png.subarray(offset + 8, end);
    if (header === null) {
      if (type !== 'IHDR' || length !== 13) throw new SignatureImageError('signature.format');
      header = checkHeader(data);
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      break;
    }
    offset = end + 4;
  }
  if (header === null || idat.length === 0) throw new SignatureImageError('signature.format');
  return { header, idat: Buffer.concat(idat) };
}

function checkHeader(ihdr: Buffer): SignatureHeader {
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const [bitDepth, colorType, compression, filter, interlace] = [ihdr[8], ihdr[9], ihdr[10], ihdr[11], ihdr[12]];
  if (width === 0 || height === 0 || width > SIGNATURE_LIMITS.maxWidth || height > SIGNATURE_LIMITS.maxHeight || width * height > SIGNATURE_LIMITS.maxPixels) {
    throw new SignatureImageError('signature.dimensions');
  }
  const channels = colorType === undefined ? undefined : CHANNELS[colorType];
  if (bitDepth !== 8 || channels === undefined || compression !== 0 || filter !== 0 || interlace !== 0) throw new SignatureImageError('signature.format');
  return { width, height, colorType: colorType ?? 0, inflatedBytes: height * (1 + width * channels) };
}

/**
 * Checks a signature PNG within the limits and returns a clean re-encoding (8-bit RGBA, no ancillary chunks).
 * Throws SignatureImageError, naming what is wrong, before more than the header allows is ever inflated.
 */
export function reencodeSignaturePng(png: Buffer): Buffer {
  checkSignaturePng(png);
  const image = PNG.sync.read(png);
  const clean = new PNG({ width: image.width, height: image.height });
  image.data.copy(clean.data);
  return PNG.sync.write(clean, { colorType: 6 });
}

/** The same checks without re-encoding: for a stored signature about to be drawn on a slip. */
export function checkSignaturePng(png: Buffer): SignatureHeader {
  const { header, idat } = readStructure(png);
  let inflated: Buffer;
  try {
    // One byte more than allowed: an image whose data runs on past its header is refused, not cut.
    inflated = inflateSync(idat, { maxOutputLength: header.inflatedBytes + 1 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new SignatureImageError('signature.image_too_large');
    throw new SignatureImageError('signature.format');
  }
  if (inflated.length > header.inflatedBytes) throw new SignatureImageError('signature.image_too_large');
  if (inflated.length !== header.inflatedBytes) throw new SignatureImageError('signature.format');
  return header;
}
