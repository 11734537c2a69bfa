// A serial or USB-CDC port as a ByteTransport, through `serialport` (N-API prebuilt, same under Node and
// Electron). 8N1 at the configured rate, 115200 being usual for these readers.
import { SerialPort } from 'serialport';
import { CardReadError } from './errors';
import type { ByteTransport } from './samProtocolReader';

export async function openSerialTransport(path: string, baudRate: number): Promise<ByteTransport> {
  const port = new SerialPort({ path, baudRate, dataBits: 8, parity: 'none', stopBits: 1, autoOpen: false });
  await new Promise<void>((resolve, reject) => {
    port.open((err) => (err ? reject(new CardReadError('not_found', `cannot open ${path}`)) : resolve()));
  });
  let closeListener: (() => void) | undefined;
  let closed = false;
  const closedOnce = (): void => {
    if (closed) return;
    closed = true;
    closeListener?.();
  };
  port.on('close', closedOnce);
  // An unplugged USB-CDC device (or a pty whose other end went away) surfaces as an error, then close.
  port.on('error', closedOnce);
  return {
    write: (bytes) =>
      new Promise<void>((resolve, reject) => {
        port.write(bytes, (err) => (err ? reject(err) : resolve()));
      }),
    onData: (listener) => {
      port.on('data', (chunk: Buffer) => listener(chunk));
    },
    onClose: (listener) => {
      closeListener = listener;
    },
    close: () =>
      new Promise<void>((resolve) => {
        closed = true;
        if (!port.isOpen) {
          resolve();
          return;
        }
        port.close(() => resolve());
      }),
  };
}
