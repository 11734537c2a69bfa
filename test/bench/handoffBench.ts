import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
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
/** Requests each kind sends before anything is timed. */
const WARM_UP = 2000;
/** The timed requests of each kind are sent in this many rounds, in turns (see below). */
const ROUNDS = 10;
/** The context run: every answer this late (a WAN round trip and the acquirer's own work), fewer requests. */
const WAN_LATENCY_MS = 20;
const WAN_COUNT = 2000;
const WAN_WARM_UP = 200;

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
 * Each of the three first runs WARM_UP requests of its own, so each has its code compiled and its connections
 * open before it is timed (the dispatcher runs all day at a counter; its first seconds after start are reported
 * apart, as `handoff_dispatcher_cold_*`). Then the timed requests, `count` of each kind, go in ROUNDS rounds in
 * turns, bare · channel · dispatcher, then dispatcher · channel · bare, and so on, so a machine that slows down or
 * speeds up during the run (this one does, by a third and more, within seconds) weighs on all three alike. One
 * dispatcher runs throughout, as in the app: each of its rounds sets its share of entries waiting and lasts until
 * the last answer is recorded. The target is judged on the sums.
 *
 * All of this twice, in two arrangements of the machine's CPUs (ARRANGEMENTS): `shared`, the simulator and this
 * process free to run on every CPU, so the simulator's signature checks and TLS take turns with the dispatcher's
 * work on the same two cores (the harder case: a real acquirer spends none of the branch PC's CPU); and `apart`,
 * the simulator held to the last CPU and this process (every thread of it) to the others, with `taskset`: the
 * nearest this machine comes to an acquirer on a machine of its own. Each arrangement has its own simulator,
 * dispatcher, warm-ups and rounds, and its own requests.
 *
 * Then, for context only, a second simulator whose every answer comes WAN_LATENCY_MS late (a real acquirer is
 * across a network and does its own work): the bare loop and the dispatcher again, fewer requests.
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
  const total = (count * 3 + WARM_UP * 3) * ARRANGEMENTS.length + WAN_WARM_UP + WAN_COUNT * 2;
  core.db.transaction(() => {
    for (let i = 0; i < total; i += 1) {
      const number = `310101-20261125-${String(i + 1).padStart(6, '0')}`;
      const at = new Date(Date.parse(`${BENCH_DAY}T01:00:00Z`) + i * 1000);
      const id = insertApplication(core.db, { number, businessDate: BENCH_DAY, ticketNo: i + 1, channel: 'counter', createdBy: 1, at: at.toISOString() });
      const input = applicationInputSchema.parse(makeDemoRequest(random, BENCH_DAY, 'plain'));
      updateApplication(core.db, id, 1, 'completed', { ...sealRequest(core.context.keys, id, input), keyed_by: 1, completed_at: at.toISOString() }, at.toISOString());
      enqueueHandoff(core.db, core.context.keys, { id, number, business_date: BENCH_DAY }, input, at);
    }
  })();
  const rows = core.db.prepare('SELECT application_id, payload_enc FROM acquirer_outbox_payload ORDER BY application_id').all() as Pick<OutboxRow, 'application_id' | 'payload_enc'>[];
  // The sets, in row order: the dispatcher's (timed, then its warm-up), then bodies for the bare loop and the channel
  // (unsealed and signed beforehand) and their warm-ups, then the round-trip-latency run's bare bodies and entries.
  let at = 0;
  const take = (n: number) => rows.slice(at, (at += n));
  const signedBodies = (part: typeof rows) =>
    part.map((row) => {
      const opened = openPayload(core.context.keys, row);
      if (!opened) throw new Error('payload');
      return { number: opened.payload.applicationNumber, body: opened.body, signature: signCanonical(core.context.keys.signingKey, opened.payload) };
    });
  const sets = ARRANGEMENTS.map(() => ({
    dispatcherRows: take(count),
    dispatcherWarmUpRows: take(WARM_UP),
    bareBodies: signedBodies(take(count)),
    channelBodies: signedBodies(take(count)),
    warmUpBodies: signedBodies(take(WARM_UP)),
    channelWarmUpBodies: signedBodies(take(WARM_UP)),
  }));
  const wanWarmUpBodies = signedBodies(take(WAN_WARM_UP));
  const wanBareBodies = signedBodies(take(WAN_COUNT));
  const wanDispatcherRows = take(WAN_COUNT);
  const fingerprint = keyFingerprint(core.context.keys.publicKey);
  const publicKeyPem = core.context.keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const pki = await makePki();

  /** Time and this process's CPU, in ms. */
  interface Timed {
    ms: number;
    cpuMs: number;
  }
  const timed = async (run: () => Promise<void>): Promise<Timed> => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    await run();
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    return { ms, cpuMs: (used.user + used.system) / 1000 };
  };

  /** `items` sent by 8 loops, each waiting for its answer before the next. */
  const eightAtATime = <T>(items: T[], one: (item: T) => Promise<void>): Promise<Timed> =>
    timed(async () => {
      let next = 0;
      await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
        while (next < items.length) {
          const item = items[next++];
          if (item) await one(item);
        }
      }));
    });

  /** The bare round trip: a plain keep-alive `https.request` with the contract's headers, the answer read and checked. */
  const barePoster = (url: string) => {
    const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT, ca: pki.caPem });
    const post = (item: { number: string; body: string; signature: string }) =>
      new Promise<void>((resolve, reject) => {
        const req = request(new URL('v1/unbind-requests', url), {
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
    return { post, close: () => agent.destroy() };
  };

  // Every entry is set aside ('done') but the ones a round hands to the dispatcher.
  core.db.prepare("UPDATE acquirer_outbox SET state = 'done' WHERE state = 'waiting'").run();
  const anyLeft = core.db.prepare("SELECT EXISTS (SELECT 1 FROM acquirer_outbox WHERE state = 'waiting') AS n").pluck();
  /**
   * One dispatcher, started once and left running as the app runs it (its own idle look for work once a second);
   * `deliver` sets exactly `part` waiting, nudges it as a completion does, and times it until the last answer is
   * recorded.
   */
  const startDispatcher = (url: string) => {
    const dispatcher = new AcquirerDispatcher(core.context, new HttpsAcquirerChannel({ url, caPem: pki.caPem, maxSockets: IN_FLIGHT }, fingerprint), { concurrency: IN_FLIGHT, pollIntervalMs: 3_600_000, now: () => new Date() });
    dispatcher.start();
    const deliver = async (part: typeof rows): Promise<Timed> => {
      const ids = JSON.stringify(part.map((row) => row.application_id));
      core.db.prepare("UPDATE acquirer_outbox SET state = 'waiting' WHERE application_id IN (SELECT value FROM json_each(?))").run(ids);
      const result = await timed(async () => {
        dispatcher.nudge();
        // Done when nothing is in flight or waiting to be written and the outbox has nothing waiting. The bench
        // wakes only when the dispatcher goes idle (no polling timer in its process while it works), and reads the
        // outbox only then; right after the nudge, before the dispatcher's first look, it looks again in 1 ms.
        for (;;) {
          await dispatcher.whenIdle();
          if (anyLeft.get() !== 1) break;
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      });
      const forwarded = (core.db.prepare("SELECT count(*) AS n FROM applications WHERE status = 'forwarded' AND id IN (SELECT value FROM json_each(?))").get(ids) as { n: number }).n;
      if (forwarded !== part.length) throw new Error(`handoff bench: ${forwarded} of ${part.length} forwarded`);
      return result;
    };
    return { deliver, stop: () => dispatcher.stop() };
  };

  try {
    /** A simulator process answering `latencyMs` late, for the time of `run`, in `arrangement` (see above). */
    const withSim = async <T>(latencyMs: number, run: (url: string) => Promise<T>, arrangement: Arrangement = 'shared'): Promise<T> => {
      const sim = await startSimProcess(pki, publicKeyPem, latencyMs);
      try {
        if (arrangement === 'apart') keepApart(sim.child);
        return await run(sim.url);
      } finally {
        if (arrangement === 'apart') pin(process.pid, allCpus());
        await sim.stop();
      }
    };
    const sum = (parts: Timed[]): Timed => ({ ms: parts.reduce((total, part) => total + part.ms, 0), cpuMs: parts.reduce((total, part) => total + part.cpuMs, 0) });
    /** `list` cut into ROUNDS parts. */
    const rounds = <T>(list: T[]): T[][] => Array.from({ length: ROUNDS }, (_, round) => list.slice(Math.floor((round * list.length) / ROUNDS), Math.floor(((round + 1) * list.length) / ROUNDS)));

    // The target's runs: the simulator answering at once, in each arrangement of the CPUs.
    const targetRun = (arrangement: Arrangement, set: (typeof sets)[number]) => withSim(0, async (url) => {
      const { dispatcherRows, dispatcherWarmUpRows, bareBodies, channelBodies, warmUpBodies, channelWarmUpBodies } = set;
      const poster = barePoster(url);
      const channel = new HttpsAcquirerChannel({ url, caPem: pki.caPem, maxSockets: IN_FLIGHT }, fingerprint);
      const viaChannel = async (item: { number: string; body: string; signature: string }) => {
        const result = await channel.send(item);
        if (result.kind !== 'accepted') throw new Error(`channel: ${result.kind}`);
      };
      const dispatcher = startDispatcher(url);
      try {
        await eightAtATime(warmUpBodies, poster.post);
        await eightAtATime(channelWarmUpBodies, viaChannel);
        const cold = await dispatcher.deliver(dispatcherWarmUpRows);
        const times = { bare: [] as Timed[], channel: [] as Timed[], dispatched: [] as Timed[] };
        const [bareParts, channelParts, dispatcherParts] = [rounds(bareBodies), rounds(channelBodies), rounds(dispatcherRows)];
        for (let round = 0; round < ROUNDS; round += 1) {
          const turns = [
            async () => times.bare.push(await eightAtATime(bareParts[round] ?? [], poster.post)),
            async () => times.channel.push(await eightAtATime(channelParts[round] ?? [], viaChannel)),
            async () => times.dispatched.push(await dispatcher.deliver(dispatcherParts[round] ?? [])),
          ];
          for (const turn of round % 2 === 0 ? turns : turns.reverse()) await turn();
        }
        const perRound = times.dispatched.map((part, round) => ((part.ms - (times.bare[round]?.ms ?? NaN)) / (times.bare[round]?.ms ?? NaN)) * 100);
        return { bare: sum(times.bare), channel: sum(times.channel), dispatched: sum(times.dispatched), cold, perRound };
      } finally {
        await dispatcher.stop();
        channel.close();
        poster.close();
      }
    }, arrangement);
    const figures: Figures = {};
    for (const [index, arrangement] of ARRANGEMENTS.entries()) {
      const set = sets[index];
      if (!set) continue;
      if (arrangement === 'apart' && !canKeepApart()) {
        process.stderr.write('handoff bench: the simulator cannot be kept on a CPU of its own here (one CPU, or no taskset): the apart figures are left out\n');
        continue;
      }
      const { bare, channel, dispatched, cold, perRound } = await targetRun(arrangement, set);
      // The shared arrangement keeps the names the figures had before there were two.
      const key = (name: string) => (arrangement === 'shared' ? `handoff_${name}` : `handoff_${arrangement}_${name}`);
      Object.assign(figures, {
        [key('bare_requests_per_s')]: (count / bare.ms) * 1000,
        [key('bare_ms_per_request')]: bare.ms / count,
        [key('bare_cpu_ms_per_request')]: bare.cpuMs / count,
        [key('channel_ms_per_request')]: channel.ms / count,
        [key('channel_cpu_ms_per_request')]: channel.cpuMs / count,
        [key('channel_over_bare_pct')]: ((channel.ms - bare.ms) / bare.ms) * 100,
        [key('dispatcher_requests_per_s')]: (count / dispatched.ms) * 1000,
        [key('dispatcher_ms_per_request')]: dispatched.ms / count,
        [key('dispatcher_cpu_ms_per_request')]: dispatched.cpuMs / count,
        [key('dispatcher_over_bare_pct')]: ((dispatched.ms - bare.ms) / bare.ms) * 100,
        // The spread over the rounds, each against the bare loop's share of the same round: the machine's noise.
        [key('dispatcher_over_bare_round_min_pct')]: Math.min(...perRound),
        [key('dispatcher_over_bare_round_max_pct')]: Math.max(...perRound),
        [key('dispatcher_cold_ms_per_request')]: cold.ms / WARM_UP,
        [key('dispatcher_cold_cpu_ms_per_request')]: cold.cpuMs / WARM_UP,
      });
    }

    // For context, not the target: the same with every answer WAN_LATENCY_MS late, as a real acquirer's would be.
    const { wanBare, wanDispatched } = await withSim(WAN_LATENCY_MS, async (url) => {
      const poster = barePoster(url);
      await eightAtATime(wanWarmUpBodies, poster.post);
      const wanBare = await eightAtATime(wanBareBodies, poster.post);
      poster.close();
      const dispatcher = startDispatcher(url);
      try {
        return { wanBare, wanDispatched: await dispatcher.deliver(wanDispatcherRows) };
      } finally {
        await dispatcher.stop();
      }
    });
    return {
      handoff_requests: count,
      handoff_in_flight: IN_FLIGHT,
      handoff_rounds: ROUNDS,
      ...figures,
      handoff_dispatcher_cold_requests: WARM_UP,
      handoff_wan_latency_ms: WAN_LATENCY_MS,
      handoff_wan_requests: WAN_COUNT,
      handoff_wan_bare_ms_per_request: wanBare.ms / WAN_COUNT,
      handoff_wan_dispatcher_ms_per_request: wanDispatched.ms / WAN_COUNT,
      handoff_wan_dispatcher_over_bare_pct: ((wanDispatched.ms - wanBare.ms) / wanBare.ms) * 100,
    };
  } finally {
    core.close();
  }
}

/** How the CPUs are shared between the simulator and the bench (see handoffBench). */
const ARRANGEMENTS = ['shared', 'apart'] as const;
type Arrangement = (typeof ARRANGEMENTS)[number];

const allCpus = () => `0-${availableParallelism() - 1}`;

/** Holds every thread of process `pid` to `cpus` (a taskset list, e.g. "0" or "0-1"). */
function pin(pid: number, cpus: string): void {
  execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', cpus, String(pid)], { stdio: 'ignore' });
}

/** Whether this machine has a CPU to spare for the simulator and `taskset` to give it. */
function canKeepApart(): boolean {
  if (availableParallelism() < 2) return false;
  try {
    pin(process.pid, allCpus());
    return true;
  } catch {
    return false;
  }
}

/** The simulator on the last CPU, this process on the others: an acquirer on a machine of its own, as near as one machine comes. */
function keepApart(sim: ChildProcess): void {
  const last = availableParallelism() - 1;
  if (sim.pid === undefined) throw new Error('acquirer simulator has no pid');
  pin(sim.pid, String(last));
  pin(process.pid, last === 1 ? '0' : `0-${last - 1}`);
}

/** The simulator in its own process (acquirerSimProcess.ts): its URL, and a stop that waits for it to exit. */
async function startSimProcess(pki: ThrowawayPki, publicKeyPem: string, latencyMs: number): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  const child = fork(join(import.meta.dirname, 'acquirerSimProcess.ts'), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.send({ pki, publicKeyPem, latencyMs });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { url: string }) => resolve(message.url));
    child.once('exit', (code) => reject(new Error(`acquirer simulator exited (${code})`)));
  });
  return {
    url,
    child,
    stop: async () => {
      child.disconnect();
      await exited;
    },
  };
}
