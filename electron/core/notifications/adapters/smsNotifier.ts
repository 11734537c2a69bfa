import { request } from 'node:https';
import { z } from 'zod';
import type { Delivery, Notifier, OutgoingMessage } from '../notifier';
import { loggableAnswer } from '../notifier';

export interface SmsOptions {
  /** The platform's endpoint; https only (checked by the settings and again here). */
  url: string;
  /** Bearer token the platform issued to the branch. */
  token: string;
  /** 短信签名, e.g. 示例银行. */
  signName: string;
  caPem: string | null;
  timeoutMs: number;
}

/** The platform's answer (README, "The SMS platform contract"). Anything else is a malformed answer. */
const accepted = z.object({ status: z.literal('accepted'), messageId: z.string().min(1).max(100) });
const rejected = z.object({ status: z.literal('rejected'), code: z.string().min(1).max(64), message: z.string().max(500).optional() });

const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * SMS through the bank's SMS platform: one HTTPS POST of JSON per message, the message's idempotency key in
 * the body and the `Idempotency-Key` header, so a retry after a lost answer is not a second SMS.
 */
export function smsNotifier(options: SmsOptions): Notifier {
  const url = new URL(options.url);
  if (url.protocol !== 'https:') throw new Error('the SMS platform is reached over https only');
  return {
    channel: 'sms',
    send(message: OutgoingMessage): Promise<Delivery> {
      const body = JSON.stringify({ requestId: message.idempotencyKey, to: message.to, sign: options.signName, text: message.text, language: message.language });
      return new Promise<Delivery>((resolve) => {
        let settled = false;
        const done = (delivery: Delivery) => {
          if (settled) return;
          settled = true;
          resolve(delivery);
        };
        const req = request(
          url,
          {
            method: 'POST',
            headers: {
              'Content-Type': 'application/json; charset=utf-8',
              'Content-Length': Buffer.byteLength(body),
              Authorization: `Bearer ${options.token}`,
              'Idempotency-Key': message.idempotencyKey,
            },
            ...(options.caPem ? { ca: options.caPem } : {}),
            minVersion: 'TLSv1.2',
            timeout: options.timeoutMs,
          },
          (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (chunk: Buffer) => {
              size += chunk.length;
              if (size > MAX_ANSWER_BYTES) {
                req.destroy();
                done({ ok: false, permanent: false, answer: 'sms answer too large' });
                return;
              }
              chunks.push(chunk);
            });
            res.on('error', () => done({ ok: false, permanent: false, answer: 'sms answer cut off' }));
            res.on('end', () => done(readAnswer(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))));
          },
        );
        req.on('timeout', () => {
          req.destroy();
          done({ ok: false, permanent: false, answer: `sms timeout after ${options.timeoutMs} ms` });
        });
        req.on('error', (error: NodeJS.ErrnoException) => done({ ok: false, permanent: false, answer: loggableAnswer(`sms ${error.code ?? 'error'} ${error.message}`) }));
        req.end(body);
      });
    },
  };
}

function readAnswer(status: number, text: string): Delivery {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (status === 200) {
    const ok = accepted.safeParse(json);
    // A 200 the platform did not word as the contract says: not known to be sent. Retried with the same key.
    return ok.success ? { ok: true, answer: loggableAnswer(`sms accepted ${ok.data.messageId}`) } : { ok: false, permanent: false, answer: 'sms malformed answer (HTTP 200)' };
  }
  const no = rejected.safeParse(json);
  const code = no.success ? ` ${no.data.code}` : '';
  // 4xx: this message is refused (bad number, blocked); 408/429 and 5xx are the platform's own trouble.
  const permanent = status >= 400 && status < 500 && status !== 408 && status !== 429;
  return { ok: false, permanent, answer: loggableAnswer(`sms HTTP ${status}${code}`) };
}
