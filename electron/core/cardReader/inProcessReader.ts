// The preview's reader (`npm run preview -- --reader-sim`): the real SAM protocol client talking to the
// simulator in the same process, frame by frame, with a reader's latency. No socat, no hardware.
import type { ByteTransport } from './samProtocolReader';
import { SamProtocolReader } from './samProtocolReader';
import type { SamReaderSimulator } from './samReaderSimulator';

export function inProcessTransport(sim: SamReaderSimulator, latencyMs = 20): ByteTransport {
  let listener: ((b: Buffer) => void) | null = null;
  let open = true;
  return {
    write: async (bytes) => {
      if (!open) throw new Error('closed');
      const replies = sim.receive(bytes);
      setTimeout(() => {
        if (open) for (const r of replies) listener?.(r);
      }, latencyMs).unref();
    },
    onData: (l) => {
      listener = l;
    },
    onClose: () => undefined,
    close: async () => {
      open = false;
    },
  };
}

export function openInProcessReader(sim: SamReaderSimulator, latencyMs = 20): SamProtocolReader {
  return new SamProtocolReader(inProcessTransport(sim, latencyMs), { kind: 'simulated', timeoutMs: 1500 });
}
