import { afterAll, describe, expect, it } from 'vitest';
import { findApplication } from '../../electron/core/applications/repository';
import { openSealed, outboxEntry } from '../../electron/core/acquirer/outbox';
import { AcquirerDispatcher, DUE_QUERIES, type AcquirerChannel, type SendResult } from '../../electron/core/acquirer/dispatcher';
import { HttpsAcquirerChannel } from '../../electron/core/acquirer/httpsChannel';
import { recordAcquirerOutcome } from '../../electron/core/acquirer/outcomes';
import { encryptField, fieldContext } from '../../electron/core/crypto/fieldCipher';
import { keyFingerprint } from '../../electron/core/crypto/installationKeys';
import { AcquirerSim, makePki } from '../support/acquirerSim';
import { useHarnesses } from '../support/coreHarness';
import { completedRequest } from '../support/notificationHarness';
import { useTempDirs } from '../support/tempDir';

const tempDir = useTempDirs();
const { harness } = useHarnesses(tempDir);

/**
 * A channel whose answers the test hands out itself, all in the same tick, so they reach the dispatcher together
 * and are written in one group. (The HTTPS channel and its faults are tested against the simulator in
 * acquirer.test.ts; here the subject is what the dispatcher does with answers that arrive together.)
 */
class GateChannel implements AcquirerChannel {
  readonly kind = 'https' as const;
  readonly sent: string[] = [];
  private readonly waiting: ((result: SendResult) => void)[] = [];
  send(handoff: { number: string }): Promise<SendResult> {
    this.sent.push(handoff.number);
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  answerAll(result: (index: number) => SendResult): void {
    this.waiting.splice(0).forEach((resolve, index) => resolve(result(index)));
  }
}

async function until(condition: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('the dispatcher writing answers that arrive together', () => {
  it('records every answer it can when one of them cannot be written, and sends none of them again', async () => {
    const h = await harness();
    const good = await completedRequest(h, 31, { channel: 'sms' });
    const refused = await completedRequest(h, 32, { channel: 'sms' });
    // The database refuses to record one request's move to forwarded (as a damaged row or a failing trigger would).
    h.core.db.exec(`CREATE TEMP TRIGGER refuse_one BEFORE UPDATE OF status ON applications
      WHEN NEW.number = '${refused.number}' AND NEW.status = 'forwarded' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`);
    const channel = new GateChannel();
    const dispatcher = new AcquirerDispatcher(h.core.context, channel, { concurrency: 2, idleMs: 10, leaseMs: 60_000, pollIntervalMs: 3_600_000, now: () => new Date() });
    dispatcher.start();
    try {
      await until(() => channel.sent.length === 2);
      channel.answerAll((index) => ({ kind: 'accepted', acquirerReference: `ACQ-${index}` }));
      await until(() => outboxEntry(h.core.db, good.id)?.state === 'accepted');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(findApplication(h.core.db, good.id)?.status).toBe('forwarded');
      // The one that could not be written stays as it was: completed, its entry waiting for the lease to run out.
      expect(findApplication(h.core.db, refused.id)?.status).toBe('completed');
      expect(outboxEntry(h.core.db, refused.id)).toMatchObject({ state: 'waiting', acquirer_reference: null });
      // Nothing was sent a second time within the lease.
      expect(channel.sent.sort()).toEqual([good.number, refused.number].sort());
    } finally {
      channel.answerAll(() => ({ kind: 'retry', error: 'test over' }));
      await dispatcher.stop();
    }
  });
});

describe('waiting for the dispatcher to go idle', () => {
  it('resolves only once every answer in flight is written', async () => {
    const h = await harness();
    const requests = [await completedRequest(h, 61, { channel: 'sms' }), await completedRequest(h, 62, { channel: 'sms' })];
    const channel = new GateChannel();
    const dispatcher = new AcquirerDispatcher(h.core.context, channel, { concurrency: 2, idleMs: 3_600_000, pollIntervalMs: 3_600_000, now: () => new Date() });
    await dispatcher.whenIdle();
    dispatcher.start();
    try {
      await until(() => channel.sent.length === 2);
      let idle = false;
      const waited = dispatcher.whenIdle().then(() => {
        idle = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(idle).toBe(false);
      channel.answerAll((index) => ({ kind: 'accepted', acquirerReference: `ACQ-${index}` }));
      await waited;
      expect(requests.map((request) => findApplication(h.core.db, request.id)?.status)).toEqual(['forwarded', 'forwarded']);
      expect(dispatcher.busy()).toBe(false);
    } finally {
      await dispatcher.stop();
    }
  });
});

describe('finding due work', () => {
  it('walks an index for each kind and stops at its limit: never reads, let alone sorts, every request awaiting its outcome', async () => {
    const h = await harness();
    const plans = Object.fromEntries(
      Object.entries(DUE_QUERIES).map(([kind, sql]) => [kind, (h.core.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('2026-11-25T09:00:00.000Z', 64) as { detail: string }[]).map((row) => row.detail).join(' | ')]),
    );
    for (const plan of Object.values(plans)) {
      expect(plan).not.toMatch(/\bSCAN\b/);
      expect(plan).not.toMatch(/TEMP B-TREE/);
    }
    expect(plans.send).toMatch(/acquirer_outbox_due \(next_attempt_at<\?\)/);
    expect(plans.poll).toMatch(/acquirer_outbox_poll \(next_poll_at<\?\)/);
  });

  it('does not send an entry whose outcome was recorded after it was read ahead, and sends the next one', async () => {
    const h = await harness();
    const [first, settled, next] = [await completedRequest(h, 51, { channel: 'sms' }), await completedRequest(h, 52, { channel: 'sms' }), await completedRequest(h, 53, { channel: 'sms' })];
    const channel = new GateChannel();
    const dispatcher = new AcquirerDispatcher(h.core.context, channel, { concurrency: 1, idleMs: 10, pollIntervalMs: 3_600_000, now: () => new Date() });
    dispatcher.start();
    try {
      // One slot: the first is being sent, the other two were read ahead with it.
      await until(() => channel.sent.length === 1);
      expect(channel.sent).toEqual([first.number]);
      // Meanwhile the acquirer's outcome file says the second is done.
      recordAcquirerOutcome(h.core.context, { number: settled.number, outcome: 'unbound', reason: null, acquirerReference: 'FILE-1', decidedAt: null, source: 'batch' });
      channel.answerAll(() => ({ kind: 'accepted', acquirerReference: 'ACQ-1' }));
      await until(() => channel.sent.length === 2);
      expect(channel.sent).toEqual([first.number, next.number]);
      channel.answerAll(() => ({ kind: 'accepted', acquirerReference: 'ACQ-3' }));
      await until(() => outboxEntry(h.core.db, next.id)?.state === 'accepted');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(channel.sent).toEqual([first.number, next.number]);
      expect(findApplication(h.core.db, settled.id)?.status).toBe('unbound');
      expect(outboxEntry(h.core.db, settled.id)).toMatchObject({ state: 'done', attempts: 0 });
    } finally {
      channel.answerAll(() => ({ kind: 'retry', error: 'test over' }));
      await dispatcher.stop();
    }
  });
});

describe('the signature of a hand-off', () => {
  const sims: AcquirerSim[] = [];
  afterAll(async () => {
    for (const sim of sims) await sim.stop();
  });

  it('is made once at completion and sealed with the body; an entry sealed before that is signed when it is sent', async () => {
    const h = await harness();
    const fresh = await completedRequest(h, 41, { channel: 'sms' });
    const older = await completedRequest(h, 42, { channel: 'sms' });
    const sealed = openSealed(h.core.context.keys, outboxEntry(h.core.db, fresh.id) as NonNullable<ReturnType<typeof outboxEntry>>);
    expect(sealed?.signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
    // The second entry as a version that sealed the body alone wrote it.
    const olderRow = outboxEntry(h.core.db, older.id) as NonNullable<ReturnType<typeof outboxEntry>>;
    const body = openSealed(h.core.context.keys, olderRow)?.body as string;
    h.core.db.prepare('UPDATE acquirer_outbox_payload SET payload_enc = ? WHERE application_id = ?').run(encryptField(h.core.context.keys.dataKey, body, fieldContext('acquirer_outbox', 'payload', older.id)), older.id);
    expect(openSealed(h.core.context.keys, outboxEntry(h.core.db, older.id) as NonNullable<ReturnType<typeof outboxEntry>>)).toEqual({ body, signature: null });

    const pki = await makePki();
    const sim = await new AcquirerSim({ pki, publicKey: h.core.context.keys.publicKey }).start();
    sims.push(sim);
    const channel = new HttpsAcquirerChannel({ url: sim.url, caPem: pki.caPem, timeoutMs: 5_000 }, keyFingerprint(h.core.context.keys.publicKey));
    const dispatcher = new AcquirerDispatcher(h.core.context, channel, { idleMs: 10, pollIntervalMs: 3_600_000, now: () => new Date() });
    dispatcher.start();
    try {
      await until(() => findApplication(h.core.db, fresh.id)?.status === 'forwarded' && findApplication(h.core.db, older.id)?.status === 'forwarded');
    } finally {
      await dispatcher.stop();
    }
    // The acquirer checked both signatures against the installation's key, over the bytes it received.
    expect(sim.received.map((r) => [r.number, r.signatureValid]).sort()).toEqual([[fresh.number, true], [older.number, true]].sort());
    expect(sim.received.find((r) => r.number === older.number)?.body).toBe(body);
  }, 60_000);
});
