/**
 * Used by the tests (test/support/acquirerSim.ts re-exports it) and by `npm run preview -- --acquirer-sim`; never packaged.
 *
 * A faithful stand-in for an acquirer's unbinding API (our contract, README "Acquirer hand-off: the HTTPS
 * contract"): HTTPS with a throwaway CA made by the openssl CLI, an optional client-certificate requirement,
 * the Ed25519 signature on every POST checked against the installation's public key, idempotent by application
 * number, and each request decided some time after it was accepted. Faults are queued per call: slow, HTTP 500,
 * a dropped connection (after the request was taken), a malformed body, an answer about an unknown number.
 *
 * And the batch side (BatchAcquirerSim): it takes the hand-off files from the out folder and answers with outcome
 * files in the watched folder, each signed (`<name>.csv.sig`) with a throwaway key whose public half the preview configures.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { ACQUIRER_CONTRACT, handoffRequestSchema, type HandoffRequest } from '../core/acquirer/wire';

const run = promisify(execFile);

export interface ThrowawayPki {
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  /** A CA nobody configured: a server certificate from it must be refused. */
  otherCaPem: string;
  otherServerCertPem: string;
  otherServerKeyPem: string;
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl in a temp folder (async: never blocks a server). */
export async function makePki(): Promise<ThrowawayPki> {
  const dir = mkdtempSync(join(tmpdir(), 'acq-pki-'));
  const ssl = (...args: string[]) => run('openssl', args, { cwd: dir });
  try {
    const ca = async (name: string) => {
      await ssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=${name} test CA`);
    };
    const leaf = async (ca: string, name: string, ext: string) => {
      await ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
      writeFileSync(join(dir, `${name}.ext`), ext);
      await ssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`);
    };
    await ca('ca');
    await ca('other');
    await leaf('ca', 'server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    await leaf('ca', 'client', 'extendedKeyUsage=clientAuth\n');
    await leaf('other', 'otherserver', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    const read = (file: string) => readFileSync(join(dir, file), 'utf8');
    return {
      caPem: read('ca.pem'),
      serverCertPem: read('server.pem'),
      serverKeyPem: read('server.key'),
      clientCertPem: read('client.pem'),
      clientKeyPem: read('client.key'),
      otherCaPem: read('other.pem'),
      otherServerCertPem: read('otherserver.pem'),
      otherServerKeyPem: read('otherserver.key'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type Fault = 'slow' | 'http500' | 'drop' | 'malformed' | 'unknown_number' | 'wrong_shape' | 'huge';

export interface Decision {
  outcome: 'unbound' | 'unbind_failed';
  reason?: string;
}

export interface SimOptions {
  pki: ThrowawayPki;
  /** The installation's public key: a POST whose signature does not verify is answered 401. */
  publicKey?: KeyObject;
  requireClientCert?: boolean;
  /** Serve the certificate of the CA nobody configured. */
  wrongCa?: boolean;
  /** How long after the accept the outcome is decided. */
  decideAfterMs?: number;
  /** The decision for a request (default: unbound). */
  decide?: (request: HandoffRequest) => Decision;
  /** Refuse at once (answer `refused`) instead of accepting. */
  refuse?: (request: HandoffRequest) => string | null;
  slowMs?: number;
  /** Every answer waits this long first: a round trip to a real acquirer (the network and its own work), for the bench. */
  latencyMs?: number;
}

interface Entry {
  request: HandoffRequest;
  body: string;
  reference: string;
  acceptedAt: number;
  refused: string | null;
  decision: Decision | null;
}

export interface Received {
  number: string;
  body: string;
  signatureValid: boolean;
  idempotencyKey: string | undefined;
  clientCert: boolean;
}

export class AcquirerSim {
  readonly received: Received[] = [];
  readonly polls: string[] = [];
  readonly entries = new Map<string, Entry>();
  private readonly postFaults: Fault[] = [];
  private readonly pollFaults: Fault[] = [];
  private server!: Server;
  url = '';
  private sequence = 0;

  constructor(private readonly options: SimOptions) {}

  async start(): Promise<this> {
    const { pki } = this.options;
    this.server = createServer(
      {
        cert: this.options.wrongCa ? pki.otherServerCertPem : pki.serverCertPem,
        key: this.options.wrongCa ? pki.otherServerKeyPem : pki.serverKeyPem,
        ca: pki.caPem,
        requestCert: this.options.requireClientCert ?? false,
        rejectUnauthorized: this.options.requireClientCert ?? false,
      },
      (req, res) => void this.handle(req, res),
    );
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}/acq/`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next POSTs (in order) meet these faults. */
  faultPosts(...faults: Fault[]): void {
    this.postFaults.push(...faults);
  }

  faultPolls(...faults: Fault[]): void {
    this.pollFaults.push(...faults);
  }

  /** Every POST body for a number (a resend must be byte-identical). */
  bodiesOf(number: string): string[] {
    return this.received.filter((r) => r.number === number).map((r) => r.body);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    if (this.options.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    const url = new URL(req.url ?? '/', 'https://sim');
    if (req.method === 'POST' && url.pathname === '/acq/v1/unbind-requests') return this.post(req, res, body);
    const match = /^\/acq\/v1\/unbind-requests\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && match?.[1]) return this.poll(res, decodeURIComponent(match[1]));
    this.json(res, 404, { error: 'not found' });
  }

  private async fault(res: ServerResponse, fault: Fault | undefined, number: string): Promise<boolean> {
    if (fault === 'slow') await new Promise((resolve) => setTimeout(resolve, this.options.slowMs ?? 1_500));
    if (fault === 'http500') {
      this.json(res, 500, { error: 'internal' });
      return true;
    }
    if (fault === 'drop') {
      res.socket?.destroy();
      return true;
    }
    if (fault === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"contract": "unbinddesk.acquirer.v1", "applicationNumber": ');
      return true;
    }
    if (fault === 'huge') {
      // A well-formed answer padded past any sane size (a misrouted download, a runaway error page).
      this.json(res, 200, { contract: ACQUIRER_CONTRACT, applicationNumber: number, result: 'accepted', acquirerReference: 'ACQ-HUGE', padding: 'x'.repeat(64 * 1024) });
      return true;
    }
    if (fault === 'wrong_shape') {
      this.json(res, 200, { contract: ACQUIRER_CONTRACT, applicationNumber: number, result: 'maybe', status: 'perhaps', reason: 'x'.repeat(500) });
      return true;
    }
    return false;
  }

  private async post(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const parsed = handoffRequestSchema.safeParse((() => { try { return JSON.parse(body) as unknown; } catch { return null; } })());
    if (!parsed.success) return this.json(res, 400, { error: 'bad request' });
    const request = parsed.data;
    const signature = req.headers['x-unbinddesk-signature'];
    const signatureValid =
      typeof signature === 'string' && this.options.publicKey !== undefined && verify(null, Buffer.from(body, 'utf8'), this.options.publicKey, Buffer.from(signature, 'base64url'));
    const idempotencyKey = req.headers['idempotency-key'] as string | undefined;
    this.received.push({ number: request.applicationNumber, body, signatureValid, idempotencyKey, clientCert: (req.socket as { authorized?: boolean }).authorized === true });
    if (this.options.publicKey && !signatureValid) return this.json(res, 401, { error: 'signature' });
    // The acquirer takes the request before it answers: a dropped answer leaves it taken (the resend must find it).
    let entry = this.entries.get(request.applicationNumber);
    if (!entry) {
      this.sequence += 1;
      entry = { request, body, reference: `ACQ${String(this.sequence).padStart(8, '0')}`, acceptedAt: Date.now(), refused: this.options.refuse?.(request) ?? null, decision: null };
      this.entries.set(request.applicationNumber, entry);
    }
    const fault = this.postFaults.shift();
    if (fault === 'unknown_number') return this.json(res, 200, { contract: ACQUIRER_CONTRACT, applicationNumber: '999999-20990101-9999', result: 'accepted', acquirerReference: 'ACQ-OTHER' });
    if (await this.fault(res, fault, request.applicationNumber)) return;
    if (entry.refused) return this.json(res, 200, { contract: ACQUIRER_CONTRACT, applicationNumber: request.applicationNumber, result: 'refused', reason: entry.refused, acquirerReference: entry.reference });
    this.json(res, 200, { contract: ACQUIRER_CONTRACT, applicationNumber: request.applicationNumber, result: 'accepted', acquirerReference: entry.reference });
  }

  private async poll(res: ServerResponse, number: string): Promise<void> {
    this.polls.push(number);
    const fault = this.pollFaults.shift();
    const entry = this.entries.get(number);
    if (fault === 'unknown_number') {
      return this.json(res, 200, { contract: ACQUIRER_CONTRACT, applicationNumber: '999999-20990101-9999', acquirerReference: entry?.reference ?? 'ACQ-OTHER', status: 'unbound', decidedAt: new Date().toISOString() });
    }
    if (await this.fault(res, fault, number)) return;
    if (!entry) return this.json(res, 404, { error: 'unknown application number' });
    if (!entry.decision && Date.now() - entry.acceptedAt >= (this.options.decideAfterMs ?? 0)) entry.decision = this.options.decide?.(entry.request) ?? { outcome: 'unbound' };
    const base = { contract: ACQUIRER_CONTRACT, applicationNumber: number, acquirerReference: entry.reference };
    if (!entry.decision) return this.json(res, 200, { ...base, status: 'pending' });
    const decidedAt = new Date(entry.acceptedAt + (this.options.decideAfterMs ?? 0)).toISOString();
    if (entry.decision.outcome === 'unbound') return this.json(res, 200, { ...base, status: 'unbound', decidedAt });
    this.json(res, 200, { ...base, status: 'unbind_failed', decidedAt, reason: entry.decision.reason ?? '终端已注销' });
  }

  private json(res: ServerResponse, status: number, value: unknown): void {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(value));
  }
}

/**
 * Reasons the preview's acquirer gives when it cannot unbind: mostly codes of the contract (which the customer's
 * message and the staff's screens put in the bank's words), and one in its own words (staff see it as it came;
 * the customer is told the acquirer gave no specific reason).
 */
export const SIM_FAILURE_REASONS = ['terminal_frozen', 'unsettled_transactions', '商户状态异常，请商户联系客户经理'];

/** The preview's acquirer: accepts everything, decides after a few seconds; every fourth ticket fails (0004: unsettled_transactions). */
export function previewDecision(request: HandoffRequest): Decision {
  const ticket = Number(request.applicationNumber.slice(-4));
  if (ticket % 4 === 0) return { outcome: 'unbind_failed', reason: SIM_FAILURE_REASONS[ticket % SIM_FAILURE_REASONS.length] ?? 'terminal_frozen' };
  return { outcome: 'unbound' };
}

/** The acquirer's outcome-file signing key: a throwaway pair (Ed25519 as the preview uses, or ECDSA P-256). */
export interface OutcomeSigningKey {
  privateKey: KeyObject;
  /** What the admin pastes into the batch channel's settings. */
  publicKeyPem: string;
}

export function makeOutcomeSigningKey(kind: 'ed25519' | 'p256' = 'ed25519'): OutcomeSigningKey {
  const { privateKey, publicKey } = kind === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { privateKey, publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString() };
}

/** The detached signature of an outcome file, as its `.sig` holds it: base64 of the signature over the exact bytes (ECDSA: SHA-256, DER). */
export function signOutcomeBytes(privateKey: KeyObject, bytes: Buffer): string {
  const algorithm = privateKey.asymmetricKeyType === 'ed25519' ? null : 'sha256';
  return sign(algorithm, bytes, privateKey).toString('base64');
}

export interface OutcomeFileLine {
  number: string;
  outcome: 'unbound' | 'unbind_failed';
  reference?: string;
  reason?: string;
  decidedAt?: string;
}

/** An outcome file's text (README "the batch contract"): the header, then one line per request, RFC 4180 quoting. */
export function outcomeFileText(lines: readonly OutcomeFileLine[]): string {
  const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  const body = lines.map((line) => [line.number, line.outcome, line.reference ?? '', line.reason ?? '', line.decidedAt ?? ''].map(quote).join(','));
  return ['application_number,outcome,acquirer_reference,reason,decided_at', ...body].join('\n') + '\n';
}

/**
 * Drops a signed outcome file into the watched folder as the contract asks: the `.sig` first, then the file itself
 * under a temporary name renamed into place, so the counter never sees a file without its signature.
 */
export function writeSignedOutcomeFile(folder: string, name: string, content: string | Buffer, privateKey: KeyObject): string {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, `${name}.sig`), `${signOutcomeBytes(privateKey, bytes)}\n`);
  const temporary = join(folder, `.${name}.partial`);
  writeFileSync(temporary, bytes);
  renameSync(temporary, join(folder, name));
  return join(folder, name);
}

export interface BatchSimOptions {
  /** The counter's out folder (settings acquirer.batch.outFolder), where its hand-off batches appear. */
  outFolder: string;
  /** The counter's watched outcome folder. */
  outcomeFolder: string;
  signingKey: KeyObject;
  /** How long after a batch is taken its outcomes are written. */
  decideAfterMs?: number;
  decide?: (request: HandoffRequest) => Decision;
  /** How often the out folder is looked at. */
  everyMs?: number;
}

/**
 * The acquirer's side of the batch channel: every hand-off batch folder that appears (with its manifest, so whole)
 * is taken, and some seconds later one signed outcome file answers all its requests.
 */
export class BatchAcquirerSim {
  private readonly taken = new Set<string>();
  private readonly pending: { batch: string; at: number; requests: HandoffRequest[] }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private sequence = 0;
  /** Outcome files written so far (names). */
  readonly written: string[] = [];

  constructor(private readonly options: BatchSimOptions) {}

  start(): this {
    this.timer = setInterval(() => this.look(), this.options.everyMs ?? 1_000);
    this.timer.unref?.();
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One look: new batches taken, due answers written. */
  look(now = Date.now()): void {
    const { outFolder } = this.options;
    if (existsSync(outFolder)) {
      for (const batch of readdirSync(outFolder).sort()) {
        if (batch.startsWith('.') || this.taken.has(batch) || !existsSync(join(outFolder, batch, 'manifest.json'))) continue;
        this.taken.add(batch);
        const requests = readFileSync(join(outFolder, batch, 'handoff.jsonl'), 'utf8')
          .split('\n')
          .filter((line) => line.trim() !== '')
          .flatMap((line) => {
            const parsed = handoffRequestSchema.safeParse(JSON.parse(line) as unknown);
            return parsed.success ? [parsed.data] : [];
          });
        this.pending.push({ batch, at: now, requests });
      }
    }
    while (this.pending[0] && now - this.pending[0].at >= (this.options.decideAfterMs ?? 0)) {
      const { batch, requests } = this.pending.shift() ?? { batch: '', requests: [] };
      if (requests.length === 0) continue;
      const decidedAt = new Date(now).toISOString();
      const lines = requests.map((request): OutcomeFileLine => {
        this.sequence += 1;
        const decision = this.options.decide?.(request) ?? { outcome: 'unbound' };
        const reference = `ACQB${String(this.sequence).padStart(7, '0')}`;
        return decision.outcome === 'unbound'
          ? { number: request.applicationNumber, outcome: 'unbound', reference, decidedAt }
          : { number: request.applicationNumber, outcome: 'unbind_failed', reference, reason: decision.reason ?? '终端已注销', decidedAt };
      });
      const name = `outcomes_${batch}.csv`;
      writeSignedOutcomeFile(this.options.outcomeFolder, name, outcomeFileText(lines), this.options.signingKey);
      this.written.push(name);
    }
  }
}
