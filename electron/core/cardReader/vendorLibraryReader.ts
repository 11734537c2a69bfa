// Adapter 2: the reader vendor's own library (sdtapi.dll / libsdtapi.so, path in the settings) through
// koffi. Calls run on koffi's worker threads (`.async`), one at a time, so a slow reader never blocks the
// window. Windows vendor libraries are often 32-bit __stdcall: the prototypes say so, which koffi honours on
// 32-bit Windows and ignores elsewhere. Everything the library hands back is bounds-checked like a device's.
import koffi, { type LibraryHandle } from 'koffi';

type KoffiFunction = ReturnType<LibraryHandle['func']>;
import { CardReadError } from './errors';
import type { CardReader, RawCardRead } from './port';
import { PHOTO_LENGTH, TEXT_BLOCK_LENGTH } from './textBlock';

const OK = 0x90;
const FOUND = 0x9f;
const NO_CARD = 0x80;
const SELECT_FAILED = 0x81;
const READ_FAILED = 0x41;

// Buffers larger than the blocks, so a library that over-reports cannot write past them; the lengths it
// reports are then checked against the layout.
const TEXT_BUFFER = 4096;
const PHOTO_BUFFER = 4096;
const SAM_ID_BUFFER = 128;
// A decoded 102 × 126 24-bit BMP is 38 862 bytes; room for vendors that pad differently.
const BMP_BUFFER = 64 * 1024;

type AsyncFn = (...args: unknown[]) => Promise<number>;

function promised(fn: KoffiFunction): AsyncFn {
  return (...args) =>
    new Promise<number>((resolve, reject) => {
      fn.async(...args, (err: unknown, result: number) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(result)));
    });
}

/** sdtapi port numbers: serial 1–16, USB 1001–1016. */
export function isSdtapiPort(port: number): boolean {
  return Number.isInteger(port) && ((port >= 1 && port <= 16) || (port >= 1001 && port <= 1016));
}

export async function openVendorLibraryReader(opts: { libraryPath: string; port: number }): Promise<CardReader> {
  if (!isSdtapiPort(opts.port)) throw new CardReadError('not_found', `port ${opts.port}`);
  let lib: LibraryHandle;
  try {
    lib = koffi.load(opts.libraryPath);
  } catch {
    throw new CardReadError('library_error', `cannot load ${opts.libraryPath}`);
  }
  // Any failure from here on lets go of the library: the service retries every poll, and a handle kept per
  // failed attempt would pile up.
  try {
    const declare = (proto: string): AsyncFn => {
      try {
        return promised(lib.func(proto));
      } catch {
        throw new CardReadError('library_error', `missing ${/\s(\w+)\(/.exec(proto)?.[1] ?? proto}`);
      }
    };
    const api = {
      open: declare('int __stdcall SDT_OpenPort(int iPort)'),
      close: declare('int __stdcall SDT_ClosePort(int iPort)'),
      find: declare('int __stdcall SDT_StartFindIDCard(int iPort, uint8_t *pucManaInfo, int iIfOpen)'),
      select: declare('int __stdcall SDT_SelectIDCard(int iPort, uint8_t *pucManaMsg, int iIfOpen)'),
      readBase: declare(
        'int __stdcall SDT_ReadBaseMsg(int iPort, uint8_t *pucCHMsg, _Out_ uint32_t *puiCHMsgLen, uint8_t *pucPHMsg, _Out_ uint32_t *puiPHMsgLen, int iIfOpen)',
      ),
      samId: declare('int __stdcall SDT_GetSAMIDToStr(int iPort, uint8_t *pcSAMID, int iIfOpen)'),
    };
    // The WLT decoder is optional: Linux vendor libraries often export `unpack(src, dst, bmpSave)`.
    const decode = optionalFunction(lib, 'int __stdcall unpack(uint8_t *src, uint8_t *dst, int bmpSave)');
    const status = await api.open(opts.port);
    if (status !== OK) {
      throw new CardReadError('not_found', `SDT_OpenPort 0x${status.toString(16)}`);
    }
    return new VendorLibraryReader(lib, api, decode, opts.port);
  } catch (e) {
    lib.unload();
    throw e;
  }
}

function optionalFunction(lib: LibraryHandle, proto: string): AsyncFn | null {
  try {
    return promised(lib.func(proto));
  } catch {
    return null;
  }
}

class VendorLibraryReader implements CardReader {
  readonly kind = 'vendor_library' as const;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private samId: string | null = null;

  constructor(
    private readonly lib: LibraryHandle,
    private readonly api: Record<'open' | 'close' | 'find' | 'select' | 'readBase' | 'samId', AsyncFn>,
    private readonly decode: AsyncFn | null,
    private readonly port: number,
  ) {}

  read(opts: { again?: boolean } = {}): Promise<RawCardRead | null> {
    const run = this.queue.then(() => this.readOnce(opts.again === true));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.api.close(this.port).catch(() => undefined);
    this.lib.unload();
  }

  private async readOnce(again: boolean): Promise<RawCardRead | null> {
    if (this.closed) throw new CardReadError('not_found', 'closed');
    this.samId ??= await this.readSamId();
    const scratch = Buffer.alloc(64);
    const found = await this.api.find(this.port, scratch, 1);
    if (found === NO_CARD && !again) return null;
    if (found !== FOUND && found !== NO_CARD) throw failure('SDT_StartFindIDCard', found);
    const selected = await this.api.select(this.port, scratch, 1);
    if (selected === SELECT_FAILED) {
      if (again) return null;
      throw new CardReadError('card_removed', 'SDT_SelectIDCard');
    }
    if (selected !== OK) throw failure('SDT_SelectIDCard', selected);
    const text = Buffer.alloc(TEXT_BUFFER);
    const photo = Buffer.alloc(PHOTO_BUFFER);
    const textLen = [0];
    const photoLen = [0];
    const read = await this.api.readBase(this.port, text, textLen, photo, photoLen, 1);
    if (read === READ_FAILED) throw new CardReadError('card_removed', 'SDT_ReadBaseMsg');
    if (read !== OK) throw failure('SDT_ReadBaseMsg', read);
    if (textLen[0] !== TEXT_BLOCK_LENGTH || photoLen[0] !== PHOTO_LENGTH) {
      throw new CardReadError('bad_frame', `SDT_ReadBaseMsg lengths ${String(textLen[0])}/${String(photoLen[0])}`);
    }
    const raw: RawCardRead = {
      textBlock: Buffer.from(text.subarray(0, TEXT_BLOCK_LENGTH)),
      photo: Buffer.from(photo.subarray(0, PHOTO_LENGTH)),
      samId: this.samId,
    };
    if (this.decode !== null) {
      const bmp = Buffer.alloc(BMP_BUFFER);
      const ok = await this.decode(raw.photo, bmp, 0).catch(() => 0);
      if (ok === 1 && bmp.toString('latin1', 0, 2) === 'BM') {
        const size = bmp.readUInt32LE(2);
        if (size > 54 && size <= BMP_BUFFER) raw.photoBmp = Buffer.from(bmp.subarray(0, size));
      }
    }
    return raw;
  }

  private async readSamId(): Promise<string> {
    const out = Buffer.alloc(SAM_ID_BUFFER);
    const status = await this.api.samId(this.port, out, 1);
    if (status !== OK) throw failure('SDT_GetSAMIDToStr', status);
    const end = out.indexOf(0);
    if (end <= 0) throw new CardReadError('sam_error', 'SDT_GetSAMIDToStr empty or unterminated');
    return out.toString('latin1', 0, end);
  }
}

// Statuses below 0x10 are port failures (the reader went away); anything else is the SAM's.
function failure(fn: string, status: number): CardReadError {
  const detail = `${fn} 0x${status.toString(16).padStart(2, '0')}`;
  return status < 0x10 ? new CardReadError('not_found', detail) : new CardReadError('sam_error', detail);
}
