/**
 * The Notifier port: how the core tells a customer the acquirer's outcome. Adapters (SMTP relay, the bank's
 * SMS platform) only deliver a finished text to one address and report what the other side answered; which
 * text, when to retry and when to hand the customer to a teller's phone call are decided by the core
 * (`notificationService.ts`). The phone channel has no adapter: its "delivery" is a call task on the board.
 */
export type MessageChannel = 'sms' | 'email';

export interface OutgoingMessage {
  /** The full address (phone number or e-mail); read from the sealed request just before sending, never stored. */
  to: string;
  subject: string;
  text: string;
  /** Stable per message: the SMS platform drops a repeat of a key it has seen; the e-mail's Message-ID is made from it. */
  idempotencyKey: string;
  language: 'zh-CN' | 'en';
}

/**
 * What the other side answered. `answer` is recorded in the message log: the channel's own words (an SMTP
 * reply, the platform's message id or error code), never the address or the text.
 * `permanent`: the other side refused this message for good (a rejected address), so retrying is pointless.
 */
export type Delivery = { ok: true; answer: string } | { ok: false; permanent: boolean; answer: string };

export interface Notifier {
  readonly channel: MessageChannel;
  send(message: OutgoingMessage): Promise<Delivery>;
}

/** Cuts a remote answer to a loggable size and strips what could be an address or a long number. */
export function loggableAnswer(text: string): string {
  return text
    .replace(/[^\s@<>]+@[^\s@<>]+/g, '[address]')
    .replace(/\d{7,}/g, (digits) => `[${digits.length} digits]`)
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
}
