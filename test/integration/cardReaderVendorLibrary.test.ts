import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toChipRead } from '../../electron/core/cardReader/chipRead';
import type { CardReader, RawCardRead } from '../../electron/core/cardReader/port';
import { SYNTHETIC_CARDS } from '../../electron/core/cardReader/syntheticCards';
import { openVendorLibraryReader } from '../../electron/core/cardReader/vendorLibraryReader';
import { CardReaderService } from '../../electron/core/cardReader/readerService';
import { statusView } from '../../electron/core/cardReader/handlers';
import { silentEventLog } from '../../electron/core/eventLog';
import { openConfiguredReader } from '../../electron/core/cardReader/openReader';
import { buildFakeSdtapi, FakeSdtapiState } from '../support/fakeSdtapi';
import { errorOf, readOneCard } from '../support/chipCards';

const TODAY = '2026-12-02';
let dir: string;
let libraryPath: string;
let state: FakeSdtapiState;
let reader: CardReader;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'unbinddesk-sdtapi-'));
  libraryPath = await buildFakeSdtapi(dir);
  state = new FakeSdtapiState(dir);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(async () => {
  state.lift();
  state.fault(null);
  reader = await openVendorLibraryReader({ libraryPath, port: 1001 });
});

afterEach(async () => {
  await reader.close();
});

const readCard = (): Promise<RawCardRead> => readOneCard(reader);

describe('the vendor library through koffi (a gcc-built libsdtapi.so)', () => {
  it('reads each test card with its SAM id, and decodes the photo with the library\'s decoder', async () => {
    for (const id of ['resident', 'longTerm', 'hmt', 'foreign'] as const) {
      state.place(SYNTHETIC_CARDS[id]);
      const read = toChipRead(await readCard(), { kind: reader.kind, now: new Date(), today: TODAY, readId: id });
      expect(read.facts).toEqual(SYNTHETIC_CARDS[id].facts);
      expect(read.evidence.samId).toBe('05.01-20101216-0016541549-2212183410');
      expect(read.evidence.readerKind).toBe('vendor_library');
      const bmp = read.photoBmp;
      expect(bmp?.toString('latin1', 0, 2)).toBe('BM');
      expect([bmp?.readInt32LE(18), bmp?.readInt32LE(22)]).toEqual([102, 126]);
      state.lift();
      expect(await reader.read()).toBeNull();
    }
  });

  it('answers no card, and does not find the same card again until it is lifted', async () => {
    expect(await reader.read()).toBeNull();
    state.place(SYNTHETIC_CARDS.resident);
    await readCard();
    expect(await reader.read()).toBeNull();
    state.lift();
    expect(await reader.read()).toBeNull();
    state.place(SYNTHETIC_CARDS.resident);
    await readCard();
  });

  it('reports a card lifted mid-read, a SAM failure, an over-long text length, an unplugged reader', async () => {
    state.place(SYNTHETIC_CARDS.resident);
    state.fault('lift');
    expect(await errorOf(reader.read())).toBe('card_removed');
    state.fault('sam');
    state.place(SYNTHETIC_CARDS.resident);
    await expect(reader.read()).rejects.toThrow(/sam_error \(SDT_StartFindIDCard 0x60\)/);
    state.fault('long');
    expect(await errorOf(reader.read())).toBe('bad_frame');
    state.fault('unplugged');
    expect(await errorOf(reader.read())).toBe('not_found');
  });

  it('refuses a library that cannot be loaded or lacks the sdtapi functions, and a port outside 1–16 / 1001–1016', async () => {
    expect(await errorOf(openVendorLibraryReader({ libraryPath: join(dir, 'missing.so'), port: 1001 }))).toBe('library_error');
    const notALibrary = join(dir, 'not-a-library.so');
    writeFileSync(notALibrary, 'not an ELF file');
    expect(await errorOf(openVendorLibraryReader({ libraryPath: notALibrary, port: 1001 }))).toBe('library_error');
    expect(await errorOf(openVendorLibraryReader({ libraryPath: '/lib/x86_64-linux-gnu/libm.so.6', port: 1001 }))).toBe('library_error');
    expect(await errorOf(openVendorLibraryReader({ libraryPath, port: 2000 }))).toBe('not_found');
  });

  it('lets go of a library that lacks a required function (polled every 500 ms, it must not pile up handles)', async () => {
    const source = join(dir, 'partial.c');
    const partial = join(dir, 'libpartial-sdtapi.so');
    writeFileSync(source, 'int SDT_OpenPort(int port) { return 0x90; }\nint SDT_ClosePort(int port) { return 0x90; }\n');
    await promisify(execFile)('gcc', ['-shared', '-fPIC', '-o', partial, source]);
    for (let poll = 0; poll < 3; poll += 1) {
      expect(await errorOf(openVendorLibraryReader({ libraryPath: partial, port: 1001 }))).toBe('library_error');
    }
    // Unloaded: the library is no longer mapped into the process.
    expect(readFileSync('/proc/self/maps', 'utf8')).not.toContain(partial);
  });

  it('keeps the event loop running during a slow read (the window never freezes)', async () => {
    state.place(SYNTHETIC_CARDS.resident);
    state.fault('slow');
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 10);
    const started = Date.now();
    const raw = await reader.read();
    clearInterval(timer);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(raw?.textBlock.equals(SYNTHETIC_CARDS.resident.textBlock)).toBe(true);
    // A synchronous call would have held every timer until it returned.
    expect(ticks).toBeGreaterThanOrEqual(10);
  });

  it('hands the decoded photo to the window as a BMP data URL through the reader service (the photo is never stored)', async () => {
    await reader.close();
    state.place(SYNTHETIC_CARDS.foreign);
    const service = new CardReaderService({
      settings: () => ({ kind: 'vendor_library', libraryPath, port: 1001 }),
      open: openConfiguredReader,
      clock: { now: () => new Date('2026-12-02T09:00:00Z') },
      log: silentEventLog,
      today: () => TODAY,
    });
    try {
      const view = statusView(await service.readAgain('window-1'));
      expect(view.read?.facts.englishName).toBe('JOHN ADAM SMITH');
      expect(view.read?.evidence.readerKind).toBe('vendor_library');
      const url = view.read?.photoDataUrl ?? '';
      expect(url.startsWith('data:image/bmp;base64,Qk')).toBe(true);
      expect(Buffer.from(url.split(',')[1] ?? '', 'base64').readInt32LE(18)).toBe(102);
    } finally {
      await service.close();
    }
    reader = await openVendorLibraryReader({ libraryPath, port: 1001 });
  });
});
