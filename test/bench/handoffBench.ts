import { fork } from 'node:child_process';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { applicationInputSchema, syntheticRandom } from '../../shared';
import { openCore } from '../../electron/core';
import { silentEventLog } from '../../electron/core/eventLog';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { sealRequest } from '../../electron/core/applications/personalData';
import { insertApplication, updateApplication } from '../../electron/core/applications/repository';
import { enqueueHandoff, openPayload, type OutboxRow } from '../../electron/core/acquirer/outbox';
import { AcquirerDispatcher } from '../../electron/core/acquirer/dispatcher';
import { HttpsAcquirerChannel } from '../../electron/core/acquirer/httpsChannel';
import { keyFingerprint } from '../../electron/core/crypto/installationKeys';
import { signCanonical } from '../../electron/core/crypto/signing';
import { makePki, type ThrowawayPki } from '../../electron/preview/acquirerSim';
import { BENCH_DAY, BENCH_PASSWORD } from './benchDay';
import type { Figures } from './stats';

const IN_FLIGHT = 8;
/** Requests sent before anything is timed. */
const WARM_UP = 1000;

/**
 * The hand-off: `count` completed requests delivered by the dispatcher to the acquirer simulator over HTTPS
 * (loopback, throwaway CA, keep-alive, 8 in flight), against the bare round trip: the same kind of signed bodies
 * POSTed by a plain loop of 8 keep-alive `https.request`s to the same simulator, in the same run. The simulator
 * runs in a process of its own (acquirerSimProcess.ts), as an acquirer is another machine.
 *
 * A middle figure splits the difference: the HTTPS channel alone (HttpsAcquirerChannel.send, pre-signed bodies,
 * no database), so what the channel's own HTTP handling adds and what the outbox adds (reading each entry,
 * unsealing, recording the answer with its status move and audit row) are told apart.
 *
 * Order: a warm-up (the simulator's and this process's code compiled, connections open), the bare loop, the
 * channel, the dispatcher, the bare loop again; the bare figure is the faster of its two runs, so neither a cold
 * start nor a slow moment of the shared machine flatters the dispatcher.
 */
export async function handoffBench(dir: string, count: number): Promise<Figures> {
  const core = await openCore({ dataDir: join(dir, 'handoff'), appVersion: 'bench', log: silentEventLog, passwordCost: 10, clock: { now: () => new Date(`${BENCH_DAY}T09:00:00Z`) } });
  const call = async (session: string, method: string, input: unknown) => {
    const result = await core.router.invoke(session, method, input);
    if (!result.ok) throw new Error(`${method}: ${JSON.stringify(result.error)}`);
  };
  await call('admin', 'auth.setup', { branchCode: '310101', desk: '01', branchName: '上海分行营业部', bankName: '示例银行', admin: { employeeNo: 'A001', name: '管理员', password: BENCH_PASSWORD } });
  // Completed requests with their outbox entries, as the first slip leaves them (made directly: 10,000 slips would be
  // the slip bench). A set of numbers per phase, so the simulator does the same work for each.
  const random = syntheticRandom(15);
  core.db.transaction(() => {
    for (let i = 0; i < count * 4 + WARM_UP; i += 1) {
      const number = `310101-20261125-${String(i + 1).padStart(5, '0')}`;
      const at = new Date(Date.parse(`${BENCH_DAY}T01:00:00Z`) + i * 1000);
      const id = insertApplication(core.db, { number, businessDate: BENCH_DAY, ticketNo: i + 1, channel: 'counter', createdBy: 1, at: at.toISOString() });
      const input = applicationInputSchema.parse(makeDemoRequest(random, BENCH_DAY, 'plain'));
      updateApplication(core.db, id, 1, 'completed', { ...sealRequest(core.context.keys, id, input), keyed_by: 1, completed_at: at.toISOString() }, at.toISOString());
      enqueueHandoff(core.db, core.context.keys, { id, number, business_date: BENCH_DAY }, input, at);
    }
  })();
  const pki = await makePki();
  const sim = await startSimProcess(pki, core.context.keys.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  try {
    // The bare and channel phases' bodies (the second and third sets), unsealed and signed beforehand.
    const rows = core.db.prepare('SELECT application_id, payload_enc FROM acquirer_outbox ORDER BY application_id').all() as Pick<OutboxRow, 'application_id' | 'payload_enc'>[];
    const signed = rows.slice(count).map((row) => {
      const opened = openPayload(core.context.keys, row);
      if (!opened) throw new Error('payload');
      return { payload: opened.payload, number: opened.payload.applicationNumber, body: opened.body, signature: signCanonical(core.context.keys.signingKey, opened.payload) };
    });
    const bareBodies = signed.slice(0, count);
    const channelBodies = signed.slice(count, count * 2);
    const bareAgainBodies = signed.slice(count * 2, count * 3);
    const warmUpBodies = signed.slice(count * 3);
    // Those stay out of the dispatcher's way.
    core.db.prepare("UPDATE acquirer_outbox SET state = 'done' WHERE application_id > ?").run(rows[count - 1]?.application_id ?? 0);
    const fingerprint = keyFingerprint(core.context.keys.publicKey);
    const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT, ca: pki.caPem });
    const post = (item: { number: string; body: string; signature: string }) =>
      new Promise<void>((resolve, reject) => {
        const req = request(new URL('v1/unbind-requests', sim.url), {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json; charset=utf-8', 'idempotency-key': item.number, 'x-unbinddesk-signature': item.signature, 'x-unbinddesk-key': fingerprint },
        }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { result?: string };
            if (res.statusCode !== 200 || answer.result !== 'accepted') reject(new Error(`bare: HTTP ${res.statusCode}`));
            else resolve();
          });
        });
        req.on('error', reject);
        req.end(item.body);
      });
    const eightAtATime = async <T>(items: T[], one: (item: T) => Promise<void>): Promise<number> => {
      let next = 0;
      const cpu = process.cpuUsage();
      const started = performance.now();
      await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
        while (next < items.length) {
          const item = items[next++];
          if (item) await one(item);
        }
      }));
      const ms = performance.now() - started;
      const used = process.cpuUsage(cpu);
      cpuMs.push((used.user + used.system) / 1000);
      return ms;
    };
    const cpuMs: number[] = [];
    await eightAtATime(warmUpBodies, post);
    const bareMs = await eightAtATime(bareBodies, post);

    const channel = new HttpsAcquirerChannel({ url: sim.url, caPem: pki.caPem, maxSockets: IN_FLIGHT }, fingerprint);
    const channelMs = await eightAtATime(channelBodies, async (item) => {
      const result = await channel.send(item);
      if (result.kind !== 'accepted') throw new Error(`channel: ${result.kind}`);
    });
    channel.close();

    const dispatcherChannel = new HttpsAcquirerChannel({ url: sim.url, caPem: pki.caPem, maxSockets: IN_FLIGHT }, fingerprint);
    const dispatcher = new AcquirerDispatcher(core.context, dispatcherChannel, { concurrency: IN_FLIGHT, pollIntervalMs: 3_600_000, idleMs: 5, now: () => new Date() });
    const dispatcherCpu = process.cpuUsage();
    const started = performance.now();
    dispatcher.start();
    for (;;) {
      const left = (core.db.prepare("SELECT count(*) AS n FROM acquirer_outbox WHERE state IN ('waiting', 'sending')").get() as { n: number }).n;
      if (left === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const dispatcherMs = performance.now() - started;
    const dispatcherCpuUsed = process.cpuUsage(dispatcherCpu);
    await dispatcher.stop();
    const bareAgainMs = await eightAtATime(bareAgainBodies, post);
    agent.destroy();
    const bestBareMs = Math.min(bareMs, bareAgainMs);
    const [, bareCpuMs = 0, channelCpuMs = 0, bareAgainCpuMs = 0] = cpuMs;
    const forwarded = (core.db.prepare("SELECT count(*) AS n FROM applications WHERE status = 'forwarded'").get() as { n: number }).n;
    if (forwarded !== count) throw new Error(`handoff bench: ${forwarded} of ${count} forwarded`);
    return {
      handoff_requests: count,
      handoff_in_flight: IN_FLIGHT,
      handoff_bare_requests_per_s: (count / bestBareMs) * 1000,
      handoff_bare_ms_per_request: bestBareMs / count,
      handoff_bare_first_ms_per_request: bareMs / count,
      handoff_bare_again_ms_per_request: bareAgainMs / count,
      handoff_bare_cpu_ms_per_request: (bareMs <= bareAgainMs ? bareCpuMs : bareAgainCpuMs) / count,
      handoff_channel_ms_per_request: channelMs / count,
      handoff_channel_cpu_ms_per_request: channelCpuMs / count,
      handoff_channel_over_bare_pct: ((channelMs - bestBareMs) / bestBareMs) * 100,
      handoff_dispatcher_requests_per_s: (count / dispatcherMs) * 1000,
      handoff_dispatcher_ms_per_request: dispatcherMs / count,
      handoff_dispatcher_cpu_ms_per_request: (dispatcherCpuUsed.user + dispatcherCpuUsed.system) / 1000 / count,
      handoff_dispatcher_over_bare_pct: ((dispatcherMs - bestBareMs) / bestBareMs) * 100,
    };
  } finally {
    await sim.stop();
    core.close();
  }
}

/** The simulator in its own process (acquirerSimProcess.ts): its URL, and a stop that waits for it to exit. */
async function startSimProcess(pki: ThrowawayPki, publicKeyPem: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = fork(join(import.meta.dirname, 'acquirerSimProcess.ts'), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.send({ pki, publicKeyPem });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { url: string }) => resolve(message.url));
    child.once('exit', (code) => reject(new Error(`acquirer simulator exited (${code})`)));
  });
  return {
    url,
    stop: async () => {
      child.disconnect();
      await exited;
    },
  };
}
