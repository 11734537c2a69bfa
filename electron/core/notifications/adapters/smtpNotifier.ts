import nodemailer from 'nodemailer';
import type { Delivery, Notifier, OutgoingMessage } from '../notifier';
import { loggableAnswer } from '../notifier';

export interface SmtpOptions {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The sender's address, e.g. notice@bank.example. */
  from: string;
  /** The display name in From. */
  fromName: string;
  /** The bank's own CA (PEM) when the relay's certificate is not from a public CA. */
  caPem: string | null;
  timeoutMs: number;
}

/**
 * E-mail through the bank's SMTP relay. STARTTLS is required (`requireTLS`): a relay that does not offer it,
 * or whose certificate does not verify, gets nothing — not the credentials, not the message.
 */
export function smtpNotifier(options: SmtpOptions): Notifier {
  const transport = nodemailer.createTransport({
    host: options.host,
    port: options.port,
    secure: false,
    requireTLS: true,
    auth: { user: options.user, pass: options.password },
    tls: { ...(options.caPem ? { ca: options.caPem } : {}), minVersion: 'TLSv1.2', servername: options.host },
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const domain = options.from.slice(options.from.lastIndexOf('@') + 1) || 'unbinddesk.invalid';
  return {
    channel: 'email',
    async send(message: OutgoingMessage): Promise<Delivery> {
      try {
        const info = await transport.sendMail({
          from: { name: options.fromName, address: options.from },
          to: message.to,
          subject: message.subject,
          text: message.text,
          messageId: `<${message.idempotencyKey}@${domain}>`,
          headers: { 'Content-Language': message.language, 'Auto-Submitted': 'auto-generated' },
        });
        return { ok: true, answer: loggableAnswer(`smtp ${info.response}`) };
      } catch (error) {
        return smtpFailure(error);
      }
    },
  };
}

function smtpFailure(error: unknown): Delivery {
  const e = error as { responseCode?: number; code?: string; command?: string; response?: string; message?: string };
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const command = typeof e.command === 'string' ? e.command : '';
  // Only a 5xx to this message (its sender, recipient or content: MAIL FROM, RCPT TO, DATA) is a refusal for good.
  // A failure to connect, to switch to TLS or to log in is the relay's or the settings', not the message's: retried
  // until an admin fixes it, then a teller calls.
  const aboutTheMessage = command !== '' && !/^(CONN|STARTTLS|EHLO|HELO|LHLO|AUTH|API)/.test(command);
  const permanent = code !== undefined && code >= 500 && aboutTheMessage;
  const what = code !== undefined ? `smtp ${code} ${command} ${e.response ?? ''}` : `smtp ${e.code ?? 'error'} ${command} ${e.message ?? ''}`;
  return { ok: false, permanent, answer: loggableAnswer(what) };
}
