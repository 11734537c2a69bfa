/**
 * The acquirer simulator in a process of its own, for the hand-off bench: an acquirer is another machine, so
 * its work must not take turns with the dispatcher's on one thread (which would charge the simulator's
 * signature checks and JSON to both sides of the comparison and hide what the dispatcher itself costs).
 * Forked by handoffBench.ts; gets the throwaway PKI and the installation's public key, answers with its URL.
 */
import { createPublicKey } from 'node:crypto';
import { AcquirerSim, type ThrowawayPki } from '../../electron/preview/acquirerSim';

interface Start {
  pki: ThrowawayPki;
  publicKeyPem: string;
  latencyMs: number;
}

if (!process.send) throw new Error('usage: forked by test/bench/handoffBench.ts');
process.once('message', (message: Start) => {
  void new AcquirerSim({ pki: message.pki, publicKey: createPublicKey(message.publicKeyPem), latencyMs: message.latencyMs }).start().then((sim) => {
    process.send?.({ url: sim.url });
    process.once('disconnect', () => void sim.stop().then(() => process.exit(0)));
  });
});
