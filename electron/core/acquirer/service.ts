import type { CoreContext } from '../context';
import { readSettings } from '../settings';
import { keyFingerprint } from '../crypto/installationKeys';
import { AcquirerDispatcher, type AcquirerChannel, type DispatcherOptions } from './dispatcher';
import { HttpsAcquirerChannel, httpsChannelSettingsFromFiles } from './httpsChannel';
import { importOutcomeFolder, writeHandoffBatch, type OutcomeFolderSightings } from './batchChannel';

/**
 * Runs the hand-off while the app runs: the dispatcher for the channel the settings name, made again when an
 * admin changes them (looked at every few seconds), stopped when the app closes. Channel `off` sends nothing:
 * completed requests wait in the outbox until a channel is set.
 */
export class AcquirerService {
  private dispatcher: AcquirerDispatcher | null = null;
  private applied = '';
  private timer: NodeJS.Timeout | null = null;
  /** The replaced dispatcher's stop, while it finishes what it had under way; no new one starts before it ends. */
  private stopping: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly core: CoreContext,
    private readonly options: DispatcherOptions & { checkMs?: number; batchEveryMs?: number; channelFor?: (core: CoreContext) => AcquirerChannel | null } = {},
  ) {}

  private lastBatch = 0;
  private readonly outcomeFiles: OutcomeFolderSightings = new Map();

  start(): void {
    this.closed = false;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.options.checkMs ?? 5_000);
    this.timer.unref?.();
  }

  /** One look: the channel as the settings say, a batch file when one is due, the outcome folder's new files. */
  tick(): void {
    try {
      this.apply();
      const settings = readSettings(this.core.db).acquirer;
      if (settings.channel === 'batch' && settings.batch.outFolder && Date.now() - this.lastBatch >= (this.options.batchEveryMs ?? 60_000)) {
        this.lastBatch = Date.now();
        const written = writeHandoffBatch(this.core, settings.batch.outFolder);
        if (written) this.core.log.info('acquirer.batch_written', { count: written.count });
      }
      if (settings.batch.outcomeFolder) importOutcomeFolder(this.core, settings.batch.outcomeFolder, this.outcomeFiles);
    } catch (error) {
      // A folder missing or not writable, a full disk: logged for branch IT, tried again at the next look.
      this.core.log.error('acquirer.tick_failed', { error: (error as NodeJS.ErrnoException).code ?? (error as Error).name });
    }
  }

  /** A request was just completed: send it now rather than at the next look. */
  nudge(): void {
    this.dispatcher?.nudge();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.closed = true;
    await this.stopping;
    await this.dispatcher?.stop();
    this.dispatcher = null;
  }

  private apply(): void {
    const settings = readSettings(this.core.db).acquirer;
    const wanted = JSON.stringify(settings);
    if (wanted === this.applied || this.stopping) return;
    const previous = this.dispatcher;
    if (previous) {
      // Its sends under way finish first: a new dispatcher would take their entries as waiting and send them again.
      this.dispatcher = null;
      this.stopping = previous
        .stop()
        .catch((error: unknown) => this.core.log.error('acquirer.stop_failed', { error: (error as Error).name }))
        .finally(() => {
          this.stopping = null;
          if (!this.closed) this.apply();
        });
      return;
    }
    let channel: AcquirerChannel | null;
    try {
      channel = this.options.channelFor ? this.options.channelFor(this.core) : channelFromSettings(this.core);
    } catch (error) {
      // A certificate file missing or unreadable: branch IT's to mend; tried again at the next look.
      this.core.log.error('acquirer.channel_unavailable', { channel: settings.channel, error: (error as NodeJS.ErrnoException).code ?? (error as Error).name });
      return;
    }
    this.applied = wanted;
    if (!channel) return;
    const pollIntervalMs = settings.https.pollMinutes * 60_000;
    this.dispatcher = new AcquirerDispatcher(this.core, channel, { pollIntervalMs, ...this.options });
    this.dispatcher.start();
    this.core.log.info('acquirer.started', { channel: channel.kind });
  }
}

export function channelFromSettings(core: CoreContext): AcquirerChannel | null {
  const settings = readSettings(core.db).acquirer;
  if (settings.channel !== 'https') return null;
  const https = httpsChannelSettingsFromFiles({ ...settings.https, timeoutMs: settings.https.timeoutSeconds * 1000 });
  return new HttpsAcquirerChannel(https, keyFingerprint(core.keys.publicKey));
}
