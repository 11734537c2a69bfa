import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toChipRead } from '../../electron/core/cardReader/chipRead';
import { encodeCommand, decodeFrame } from '../../electron/core/cardReader/samFrames';
import type { RawCardRead } from '../../electron/core/cardReader/port';
import type { SamProtocolReader } from '../../electron/core/cardReader/samProtocolReader';
import { openSerialCardReader } from '../../electron/core/cardReader/serialReader';
import { CardReaderService } from '../../electron/core/cardReader/readerService';
import { SYNTHETIC_CARDS, type SyntheticCardId } from '../../electron/core/cardReader/syntheticCards';
import { startPtyCardReader, type PtyCardReader } from '../support/ptyCardReader';
import { errorOf, readOneCard } from '../support/chipCards';

const TODAY = '2026-12-02';
const TIMEOUT_MS = 400;

let dir: string;
let device: PtyCardReader;
let reader: SamProtocolReader;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'unbinddesk-reader-'));
  device = await startPtyCardReader(dir);
  reader = await openSerialCardReader({ path: device.hostPath, baudRate: 115200, timeoutMs: TIMEOUT_MS });
});

afterEach(async () => {
  await reader.close();
  await device.stop();
  rmSync(dir, { recursive: true, force: true });
});

const readCard = (): Promise<RawCardRead> => readOneCard(reader);

function place(id: SyntheticCardId): void {
  const card = SYNTHETIC_CARDS[id];
  device.sim.place({ textBlock: card.textBlock, photo: card.photo });
}

describe('the SAM frame protocol', () => {
  it('encodes the find-card command as the readers expect it, byte for byte', () => {
    expect(encodeCommand(0x20, 0x01).toString('hex')).toBe('aaaaaa966900032001' + '22');
    expect(encodeCommand(0x30, 0x01).toString('hex')).toBe('aaaaaa966900033001' + '32');
    expect(encodeCommand(0x12, 0xff).toString('hex')).toBe('aaaaaa9669000312ff' + 'ee');
    expect(encodeCommand(0x11, 0xff).toString('hex')).toBe('aaaaaa9669000311ff' + 'ed');
    expect(() => decodeFrame(Buffer.from('aaaaaa96690003200123', 'hex'), 2)).toThrow(/checksum/);
  });
});

describe('a reader on a serial port (socat pseudo-terminal pair)', () => {
  it('reads each test card placed on it, with the SAM id and the hashes as evidence', async () => {
    for (const id of ['resident', 'longTerm', 'hmt', 'foreign'] as const) {
      place(id);
      const raw = await readCard();
      const read = toChipRead(raw, { kind: reader.kind, now: new Date(), today: TODAY, readId: id });
      expect(read.facts).toEqual(SYNTHETIC_CARDS[id].facts);
      expect(read.evidence.samId).toBe('05.01-20101216-0016541549-2212183410');
      expect(read.evidence.readerKind).toBe('serial');
      device.sim.lift();
    }
    expect(device.sim.log.filter((c) => c === '12 ff')).toHaveLength(1); // the SAM id is asked once
  });

  it('answers "no card" with nothing on it, and does not find a card already read until it is lifted', async () => {
    expect(await reader.read()).toBeNull();
    place('resident');
    expect(await reader.read()).not.toBeNull();
    expect(await reader.read()).toBeNull();
    device.sim.lift();
    place('resident');
    expect(await reader.read()).not.toBeNull();
  });

  it('refuses a reply with a bad checksum, and reads the card cleanly when asked again', async () => {
    place('resident');
    device.sim.injectFault('bad_checksum');
    expect(await errorOf(reader.read())).toBe('checksum');
    const again = await reader.read();
    expect(again?.textBlock.equals(SYNTHETIC_CARDS.resident.textBlock)).toBe(true);
  });

  it('refuses a frame cut short (after waiting its timeout), never a half-read card', async () => {
    place('resident');
    device.sim.injectFault('cut_frame');
    const started = Date.now();
    expect(await errorOf(reader.read())).toBe('bad_frame');
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(await reader.read()).not.toBeNull();
  });

  it('refuses a frame longer than its LEN says', async () => {
    place('resident');
    device.sim.injectFault('too_long');
    expect(await errorOf(reader.read())).toBe('bad_frame');
  });

  it('reports a reader that stops answering as a timeout, then carries on when it answers again', async () => {
    place('resident');
    device.sim.injectFault('silence');
    expect(await errorOf(reader.read())).toBe('timeout');
    expect(await reader.read()).not.toBeNull();
  });

  it('never takes a reply that came after its timeout as the answer to the next command', async () => {
    expect(await reader.read()).toBeNull(); // no card yet: the SAM id is known from here on
    place('resident');
    device.delayNextReply(TIMEOUT_MS + 250); // "card found", answered too late
    expect(await errorOf(reader.read())).toBe('timeout');
    device.sim.lift();
    // The late "found" must not answer the next find: the card is gone, so there is nothing to read.
    expect(await reader.read()).toBeNull();
    place('resident');
    const read = await reader.read();
    expect(read?.samId).toBe('05.01-20101216-0016541549-2212183410');
  });

  it('reports a card lifted mid-read as removed', async () => {
    place('resident');
    device.sim.injectFault('lift_mid_read');
    expect(await errorOf(reader.read())).toBe('card_removed');
    expect(await reader.read()).toBeNull();
  });

  it('reports a SAM failure status with its value', async () => {
    place('resident');
    device.sim.injectFault('sam_error');
    await expect(reader.read()).rejects.toThrow(/sam_error \(find SW3 0x60\)/);
  });

  it('reads the unknown card type and the bad chip number off the wire, and the parser refuses them', async () => {
    place('unknownType');
    const unknown = await readCard();
    expect(() => toChipRead(unknown, { kind: 'serial', now: new Date(), today: TODAY, readId: 'u' })).toThrow(/unknown_card_type/);
    device.sim.lift();
    place('badNumber');
    const bad = await readCard();
    expect(() => toChipRead(bad, { kind: 'serial', now: new Date(), today: TODAY, readId: 'b' })).toThrow(/chip_number_invalid/);
  });

  it('reports a reader unplugged as not found, and keeps saying so', async () => {
    place('resident');
    await device.unplug();
    expect(await errorOf(reader.read())).toBe('not_found');
    expect(await errorOf(reader.read())).toBe('not_found');
  });

  it('reports a port that does not exist as not found', async () => {
    expect(await errorOf(openSerialCardReader({ path: join(dir, 'no-such-port'), baudRate: 115200 }))).toBe('not_found');
  });
});

describe('the reader service on the serial port', () => {
  it('reopens the port cleanly when the document step is closed and opened again at once (the old port is closed first)', async () => {
    const settings = { kind: 'serial', path: device.hostPath, baudRate: 115200 } as const;
    const errors: string[] = [];
    const service = new CardReaderService({
      settings: () => settings,
      // A USB serial driver takes its time to close (it drains first); the port stays locked until it has.
      open: async (s) => {
        const opened = await openSerialCardReader({ path: s.kind === 'serial' ? s.path : '', baudRate: 115200, timeoutMs: TIMEOUT_MS });
        const close = opened.close.bind(opened);
        opened.close = async () => {
          await sleep(150);
          await close();
        };
        return opened;
      },
      clock: { now: () => new Date(`${TODAY}T02:00:00Z`) },
      log: { info: (event, facts) => event === 'reader.error' && errors.push(String(facts?.code)), error: () => undefined },
      today: () => TODAY,
      pollMs: 50,
    });
    try {
      await reader.close(); // the service opens the port itself
      for (let round = 0; round < 5; round += 1) {
        device.sim.lift();
        place('resident');
        service.watch('w', true, round);
        const end = Date.now() + 3000;
        while (service.status('w').read === null && service.status('w').error === null && Date.now() < end) await sleep(20);
        expect(service.status('w')).toMatchObject({ error: null });
        expect(service.status('w').read).not.toBeNull();
        service.watch('w', false);
      }
      expect(errors).toEqual([]);
    } finally {
      await service.close();
    }
  });
});
