import { Agent, request } from 'node:https';
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import type { AcquirerChannel, PollResult, SendResult } from './dispatcher';
import {
  ACQUIRER_CONTRACT,
  HEADER_IDEMPOTENCY,
  HEADER_KEY_FINGERPRINT,
  HEADER_SIGNATURE,
  MAX_ANSWER_BYTES,
  handoffAnswerSchema,
  statusAnswerSchema,
} from './wire';

export interface HttpsChannelSettings {
  /** The acquirer's base URL; https only. POST {url}/v1/unbind-requests, GET {url}/v1/unbind-requests/{number}. */
  url: string;
  /** PEM text of the CA that signs the acquirer's server certificate (the bank's own CA); the system's CAs when absent. */
  caPem?: string | undefined;
  /** Client certificate and key (PEM) where the acquirer asks for one. */
  clientCertPem?: string | undefined;
  clientKeyPem?: string | undefined;
  timeoutMs?: number | undefined;
  /** Connections kept open (the dispatcher's concurrency). */
  maxSockets?: number | undefined;
}

/** Reads the PEM files an admin named in the settings. */
export function httpsChannelSettingsFromFiles(settings: { url: string; caFile: string | null; clientCertFile: string | null; clientKeyFile: string | null; timeoutMs: number }): HttpsChannelSettings {
  return {
    url: settings.url,
    caPem: settings.caFile ? readFileSync(settings.caFile, 'utf8') : undefined,
    clientCertPem: settings.clientCertFile ? readFileSync(settings.clientCertFile, 'utf8') : undefined,
    clientKeyPem: settings.clientKeyFile ? readFileSync(settings.clientKeyFile, 'utf8') : undefined,
    timeoutMs: settings.timeoutMs,
  };
}

interface Answer {
  status: number;
  body: Buffer;
}

type Outcome = { ok: true; answer: Answer } | { ok: false; error: string };

/**
 * The HTTPS API channel (README "Acquirer hand-off: the HTTPS contract"): TLS only, the server checked against
 * the configured CA, optional client certificate, each body signed with the installation's Ed25519 key. Every
 * answer is read with a size limit and parsed with the contract's schemas; anything else is a retry.
 */
export class HttpsAcquirerChannel implements AcquirerChannel {
  readonly kind = 'https' as const;
  private readonly base: URL;
  /** The POST address, made once (every send goes to it). */
  private readonly postUrl: URL;
  private readonly agent: Agent;
  private readonly timeoutMs: number;

  constructor(
    settings: HttpsChannelSettings,
    private readonly keyFingerprint: string,
  ) {
    const base = new URL(settings.url);
    if (base.protocol !== 'https:') throw new Error('acquirer URL must be https');
    this.base = base;
    this.postUrl = this.url('v1/unbind-requests');
    this.timeoutMs = settings.timeoutMs ?? 30_000;
    this.agent = new Agent({
      keepAlive: true,
      maxSockets: settings.maxSockets ?? 8,
      ...(settings.caPem ? { ca: settings.caPem } : {}),
      ...(settings.clientCertPem && settings.clientKeyPem ? { cert: settings.clientCertPem, key: settings.clientKeyPem } : {}),
      minVersion: 'TLSv1.2',
    });
  }

  close(): void {
    this.agent.destroy();
  }

  private url(path: string): URL {
    const url = new URL(this.base.href.endsWith('/') ? this.base.href : `${this.base.href}/`);
    return new URL(path, url);
  }

  private exchange(method: 'POST' | 'GET', url: URL, body: string | null, headers: Record<string, string>): Promise<Outcome> {
    return new Promise((resolve) => {
      let settled = false;
      const finish = (outcome: Outcome) => {
        if (!settled) {
          settled = true;
          resolve(outcome);
        }
      };
      const req = request(
        url,
        {
          method,
          agent: this.agent,
          headers: { accept: 'application/json', ...(body !== null ? { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_ANSWER_BYTES) {
              finish({ ok: false, error: `answer longer than ${MAX_ANSWER_BYTES} bytes` });
              req.destroy();
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () => finish({ ok: true, answer: { status: res.statusCode ?? 0, body: Buffer.concat(chunks) } }));
          res.on('error', (error) => finish({ ok: false, error: `connection: ${(error as NodeJS.ErrnoException).code ?? error.message}` }));
          res.on('aborted', () => finish({ ok: false, error: 'connection dropped during the answer' }));
        },
      );
      req.setTimeout(this.timeoutMs, () => {
        finish({ ok: false, error: `no answer within ${this.timeoutMs} ms` });
        req.destroy();
      });
      req.on('error', (error: NodeJS.ErrnoException) => finish({ ok: false, error: `connection: ${error.code ?? error.message}` }));
      req.end(body ?? undefined);
    });
  }

  async send(handoff: { number: string; body: string; signature: string }): Promise<SendResult> {
    const number = handoff.number;
    const outcome = await this.exchange('POST', this.postUrl, handoff.body, {
      [HEADER_SIGNATURE]: handoff.signature,
      [HEADER_KEY_FINGERPRINT]: this.keyFingerprint,
      [HEADER_IDEMPOTENCY]: number,
    });
    if (!outcome.ok) return { kind: 'retry', error: outcome.error };
    const { status, body } = outcome.answer;
    if (status !== 200) return httpFailure(status);
    const parsed = parseAnswer(handoffAnswerSchema, body);
    if (!parsed.ok) return { kind: 'retry', error: parsed.error };
    const answer = parsed.value;
    if (answer.applicationNumber !== number) return { kind: 'retry', error: 'answer names another application number' };
    if (answer.result === 'accepted') return { kind: 'accepted', acquirerReference: answer.acquirerReference };
    return { kind: 'refused', reason: answer.reason, acquirerReference: answer.acquirerReference ?? null };
  }

  async poll(number: string, acquirerReference: string): Promise<PollResult> {
    const outcome = await this.exchange('GET', this.url(`v1/unbind-requests/${encodeURIComponent(number)}`), null, { [HEADER_KEY_FINGERPRINT]: this.keyFingerprint });
    if (!outcome.ok) return { kind: 'retry', error: outcome.error };
    const { status, body } = outcome.answer;
    if (status === 404) return { kind: 'retry', error: 'the acquirer does not know this application number (HTTP 404)' };
    if (status !== 200) return { kind: 'retry', error: `HTTP ${status}` };
    const parsed = parseAnswer(statusAnswerSchema, body);
    if (!parsed.ok) return { kind: 'retry', error: parsed.error };
    const answer = parsed.value;
    if (answer.applicationNumber !== number) return { kind: 'retry', error: 'answer names another application number' };
    if (answer.acquirerReference !== acquirerReference) return { kind: 'retry', error: 'answer names another acquirer reference' };
    if (answer.status === 'pending') return { kind: 'pending' };
    return { kind: 'final', outcome: answer.status, reason: answer.status === 'unbind_failed' ? answer.reason : null, decidedAt: answer.decidedAt, acquirerReference: answer.acquirerReference };
  }
}

/** 5xx, 408 and 429 may pass; any other status says our request is wrong, and sending it again will not help. */
function httpFailure(status: number): SendResult {
  if (status >= 500 || status === 408 || status === 429) return { kind: 'retry', error: `HTTP ${status}` };
  return { kind: 'fail', error: `HTTP ${status}` };
}

function parseAnswer<T extends z.ZodType>(schema: T, body: Buffer): { ok: true; value: z.output<T> } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, error: 'malformed answer: not JSON' };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, error: `malformed answer: ${first ? `${first.path.join('.') || '(body)'} ${first.code}` : 'invalid'} (contract ${ACQUIRER_CONTRACT})` };
  }
  return { ok: true, value: parsed.data };
}
