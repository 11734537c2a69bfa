// Adapter 1: a reader on a serial / USB-CDC port speaking the SAM frame protocol.
import { SamProtocolReader } from './samProtocolReader';
import { openSerialTransport } from './serialTransport';

export const DEFAULT_EXCHANGE_TIMEOUT_MS = 1500;

export async function openSerialCardReader(opts: { path: string; baudRate: number; timeoutMs?: number }): Promise<SamProtocolReader> {
  const transport = await openSerialTransport(opts.path, opts.baudRate);
  return new SamProtocolReader(transport, { kind: 'serial', timeoutMs: opts.timeoutMs ?? DEFAULT_EXCHANGE_TIMEOUT_MS });
}
