// A second-generation ID card reader on a pseudo-terminal pair: `socat` joins two ptys, the simulator
// speaks the SAM frame protocol on one end (opened through serialport, like a device's firmware would
// see a UART), the adapter under test opens the other end as its serial port. Spawned async, so the
// test's own event loop keeps serving.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SerialPort } from 'serialport';
import { SamReaderSimulator } from '../../electron/core/cardReader/samReaderSimulator';

export interface PtyCardReader {
  /** The path the adapter opens (the "reader's" port). */
  hostPath: string;
  sim: SamReaderSimulator;
  /** The next reply leaves the device this late; replies after it wait their turn (the reader is busy). */
  delayNextReply(ms: number): void;
  /** Unplugs the reader: socat exits, both ptys go away. */
  unplug(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPtyCardReader(dir: string): Promise<PtyCardReader> {
  const hostPath = join(dir, 'reader-host');
  const devicePath = join(dir, 'reader-device');
  const socat: ChildProcess = spawn(
    'socat',
    ['-d', '-d', `pty,raw,echo=0,link=${devicePath}`, `pty,raw,echo=0,link=${hostPath}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  socat.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((resolve) => socat.once('exit', () => resolve()));
  for (let i = 0; i < 100 && !(existsSync(hostPath) && existsSync(devicePath) && /starting data transfer/.test(stderr)); i += 1) {
    await sleep(20);
  }
  if (!existsSync(hostPath)) throw new Error(`socat did not make its ptys: ${stderr}`);
  const device = new SerialPort({ path: devicePath, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => device.open((err) => (err ? reject(err) : resolve())));
  device.on('error', () => undefined);
  const sim = new SamReaderSimulator();
  let nextDelayMs = 0;
  let outbox: Promise<void> = Promise.resolve();
  device.on('data', (chunk: Buffer) => {
    for (const reply of sim.receive(chunk)) {
      const delayMs = nextDelayMs;
      nextDelayMs = 0;
      outbox = outbox.then(async () => {
        if (delayMs > 0) await sleep(delayMs);
        if (device.isOpen) device.write(reply);
      });
    }
  });
  const closeDevice = (): Promise<void> =>
    new Promise((resolve) => {
      if (!device.isOpen) resolve();
      else device.close(() => resolve());
    });
  const unplug = async (): Promise<void> => {
    socat.kill('SIGTERM');
    await exited;
    await closeDevice();
  };
  return { hostPath, sim, unplug, stop: unplug, delayNextReply: (ms) => (nextDelayMs = ms) };
}
