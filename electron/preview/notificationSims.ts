/**
 * Local stand-ins for the bank's SMS platform and SMTP relay, for the preview (`--acquirer-sim`) and the tests:
 * real servers on 127.0.0.1 (ephemeral ports), TLS with a throwaway CA made by the openssl CLI in a folder of
 * the caller's, the SMS platform speaking the contract in the README, the relay requiring STARTTLS and a login.
 * What they receive is kept in memory and, when a log file is named, written there with phone numbers and
 * addresses masked. Development and test tools only: never packaged.
 */
import { execFile } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SMTPServer } from 'smtp-server';

const run = promisify(execFile);

export interface TestCa {
  /** The CA certificate (PEM): what the core is told to trust. */
  caPem: string;
  /** A server key and certificate for 127.0.0.1 and localhost, signed by the CA. */
  keyPem: string;
  certPem: string;
}

/** A throwaway CA and one server certificate (127.0.0.1, localhost), made with the openssl CLI in `dir`. */
export async function makeTestCa(dir: string): Promise<TestCa> {
  const p = (name: string) => join(dir, name);
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=UnbindDesk test CA', '-keyout', p('ca.key'), '-out', p('ca.pem')]);
  await run('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=localhost', '-keyout', p('server.key'), '-out', p('server.csr')]);
  await import('node:fs/promises').then((fs) => fs.writeFile(p('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n'));
  await run('openssl', ['x509', '-req', '-in', p('server.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', p('server.ext'), '-out', p('server.pem')]);
  return { caPem: readFileSync(p('ca.pem'), 'utf8'), keyPem: readFileSync(p('server.key'), 'utf8'), certPem: readFileSync(p('server.pem'), 'utf8') };
}

/** 13812345678 → 138****5678; an e-mail address → z***@example.com. For the sims' log lines. */
export function maskForLog(text: string): string {
  return text
    .replace(/(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)/g, '$1****$2')
    .replace(/([^\s@<>"])[^\s@<>"]*@([A-Za-z0-9.-]+)/g, '$1***@$2');
}

// ---------------------------------------------------------------------------------------------------------
// The SMS platform

/**
 * http500: answers 500; timeout: never answers (closes after timeoutHangMs); drop: closes the connection;
 * malformed: delivers, then answers a broken body; reject: refuses the number (422);
 * deliverThenHang: delivers, then never answers (the sender dies or times out not knowing).
 */
export type SmsFault = 'http500' | 'timeout' | 'malformed' | 'reject' | 'drop' | 'deliverThenHang' | 'slow';

export interface ReceivedSms {
  requestId: string;
  to: string;
  sign: string;
  text: string;
  language: string | null;
  at: string;
}

export interface SmsPlatform {
  url: string;
  token: string;
  caPem: string;
  /** Messages delivered to phones (a repeat of a requestId is answered but not delivered again). */
  delivered: ReceivedSms[];
  /** Every POST that reached the platform, delivered or not. */
  requests: number;
  /** Faults for the next requests, in order (one per request). */
  faults: SmsFault[];
  close(): Promise<void>;
}

export async function startSmsPlatform(options: { dir: string; ca?: TestCa; token?: string; logFile?: string; timeoutHangMs?: number }): Promise<SmsPlatform> {
  const ca = options.ca ?? (await makeTestCa(options.dir));
  const token = options.token ?? 'sms-platform-test-token';
  const seen = new Map<string, string>();
  let counter = 0;
  const state: Omit<SmsPlatform, 'url' | 'close'> = { token, caPem: ca.caPem, delivered: [], requests: 0, faults: [] };
  const server: Server = createServer({ key: ca.keyPem, cert: ca.certPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests += 1;
      const fault = state.faults.shift();
      // 'slow': the platform takes 300 ms to answer (then answers as usual).
      if (fault === 'slow') return void setTimeout(() => handle(undefined), 300);
      handle(fault);
    });
    const handle = (fault: SmsFault | undefined) => {
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(typeof body === 'string' ? body : JSON.stringify(body));
      };
      if (fault === 'timeout') return void setTimeout(() => res.destroy(), options.timeoutHangMs ?? 10_000).unref();
      if (fault === 'drop') return void req.socket.destroy();
      if (fault === 'http500') return answer(500, { status: 'error', code: 'internal' });
      if (req.method !== 'POST' || req.url !== '/v1/sms') return answer(404, { status: 'rejected', code: 'not_found' });
      if (req.headers.authorization !== `Bearer ${token}`) return answer(401, { status: 'rejected', code: 'unauthorized' });
      let body: { requestId?: unknown; to?: unknown; sign?: unknown; text?: unknown; language?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
      } catch {
        return answer(400, { status: 'rejected', code: 'bad_json' });
      }
      const { requestId, to, sign, text } = body;
      if (typeof requestId !== 'string' || typeof to !== 'string' || typeof sign !== 'string' || typeof text !== 'string') return answer(400, { status: 'rejected', code: 'bad_request' });
      if (!/^1\d{10}$/.test(to)) return answer(422, { status: 'rejected', code: 'invalid_number' });
      if (fault === 'reject') return answer(422, { status: 'rejected', code: 'blocked_number' });
      const known = seen.get(requestId);
      if (known) return answer(200, { status: 'accepted', messageId: known, duplicate: true });
      const messageId = `SIM${String(++counter).padStart(6, '0')}`;
      seen.set(requestId, messageId);
      const received = { requestId, to, sign, text, language: typeof body.language === 'string' ? body.language : null, at: new Date().toISOString() };
      state.delivered.push(received);
      if (options.logFile) appendFileSync(options.logFile, `${received.at} SMS ${messageId} to ${maskForLog(to)}: ${maskForLog(text)}\n`, { mode: 0o600 });
      // A malformed answer, or none, AFTER delivering: the worst case for the sender (sent, but not told so).
      if (fault === 'malformed') return answer(200, '{"status":"accepted"');
      if (fault === 'deliverThenHang') return void setTimeout(() => res.destroy(), options.timeoutHangMs ?? 10_000).unref();
      answer(200, { status: 'accepted', messageId });
    };
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `https://127.0.0.1:${port}/v1/sms`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  }) as SmsPlatform;
}

// ---------------------------------------------------------------------------------------------------------
// The SMTP relay

export interface ReceivedMail {
  from: string;
  to: string[];
  /** Header names lower-cased; values unfolded and RFC 2047 decoded. */
  headers: Record<string, string>;
  subject: string;
  text: string;
  raw: string;
  /** Whether the session had switched to TLS (STARTTLS) when the message came. */
  secure: boolean;
  user: string | undefined;
}

export interface SmtpRelay {
  host: string;
  port: number;
  user: string;
  password: string;
  caPem: string;
  mails: ReceivedMail[];
  /** Fails the next messages with this SMTP reply code (e.g. 451 for a try-again, 550 for a refusal). */
  failNext: number[];
  /** Every AUTH a client tried, and whether the session was on TLS by then. */
  authAttempts: { secure: boolean }[];
  close(): Promise<void>;
}

export async function startSmtpRelay(options: {
  dir: string;
  ca?: TestCa;
  user?: string;
  password?: string;
  logFile?: string;
  /** false: a relay that never offers STARTTLS and would take a login in the clear (a misconfigured or spoofed one). */
  offerStartTls?: boolean;
}): Promise<SmtpRelay> {
  const ca = options.ca ?? (await makeTestCa(options.dir));
  const user = options.user ?? 'branch-310101';
  const password = options.password ?? 'Relay-Copper-93';
  const state = { user, password, caPem: ca.caPem, mails: [] as ReceivedMail[], failNext: [] as number[], authAttempts: [] as { secure: boolean }[] };
  const offerStartTls = options.offerStartTls ?? true;
  const server = new SMTPServer({
    secure: false,
    key: ca.keyPem,
    cert: ca.certPem,
    // Only after STARTTLS may a client log in (allowInsecureAuth false), unless this relay plays a bad one.
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    hideSTARTTLS: !offerStartTls,
    allowInsecureAuth: !offerStartTls,
    disabledCommands: offerStartTls ? [] : ['STARTTLS'],
    onAuth(auth, session, callback) {
      state.authAttempts.push({ secure: session.secure });
      if (auth.username === user && auth.password === password) callback(null, { user });
      else callback(new Error('535 authentication failed'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const code = state.failNext.shift();
        if (code !== undefined) {
          const error = new Error(code >= 500 ? 'mailbox unavailable' : 'try again later') as Error & { responseCode: number };
          error.responseCode = code;
          return callback(error);
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const mail = parseMail(raw, session.envelope.mailFrom ? session.envelope.mailFrom.address : '', session.envelope.rcptTo.map((r) => r.address), session.secure, session.user as string | undefined);
        state.mails.push(mail);
        if (options.logFile) appendFileSync(options.logFile, `${new Date().toISOString()} MAIL to ${maskForLog(mail.to.join(','))} «${mail.subject}»\n${maskForLog(mail.text)}\n`, { mode: 0o600 });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return Object.assign(state, { host: 'localhost', port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, _charset: string, enc: string, text: string) =>
      enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : qpBytes(text.replace(/_/g, ' ')).toString('utf8'),
    );
}

function qpBytes(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(text.charAt(i), 'utf8'));
  }
  return Buffer.from(bytes);
}

/** Enough MIME for one text/plain part, as nodemailer writes it (7bit, quoted-printable or base64). */
export function parseMail(raw: string, from: string, to: string[], secure: boolean, user: string | undefined): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = decodeWords(line.slice(colon + 1).trim());
  }
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const text =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? qpBytes(body.replace(/=\r\n/g, '')).toString('utf8')
        : body;
  return { from, to, headers, subject: headers.subject ?? '', text: text.replace(/\r\n/g, '\n').replace(/\n$/, ''), raw, secure, user };
}

// ---------------------------------------------------------------------------------------------------------
// Both, wired to a core (the preview's `--notify-sim`, and the acquirer simulator's `--acquirer-sim`)

export interface NotificationSims {
  sms: SmsPlatform;
  smtp: SmtpRelay;
  /** Every SMS and e-mail the sims received, numbers and addresses masked. */
  logFile: string;
  close(): Promise<void>;
}

/**
 * Starts a local SMS platform and SMTP relay under `dir` (certificates, log file) and points the core's
 * notification settings at them (hotline 95588 unless one is set), as an admin would in 系统设置.
 */
export async function startNotificationSims(
  dir: string,
  configure: (settings: { sms: { url: string; signName: string; caPem: string; token: string }; email: { host: string; port: number; user: string; from: string; fromName: string; caPem: string; password: string } }) => void,
  signName: string,
): Promise<NotificationSims> {
  const ca = await makeTestCa(dir);
  const logFile = join(dir, 'messages-sent.log');
  const sms = await startSmsPlatform({ dir, ca, logFile });
  const smtp = await startSmtpRelay({ dir, ca, logFile });
  configure({
    sms: { url: sms.url, signName, caPem: ca.caPem, token: sms.token },
    email: { host: smtp.host, port: smtp.port, user: smtp.user, from: 'notice@bank.example', fromName: signName, caPem: ca.caPem, password: smtp.password },
  });
  return {
    sms,
    smtp,
    logFile,
    close: async () => {
      await sms.close();
      await smtp.close();
    },
  };
}
