// A stand-in for the bank's 联网核查 middleware: a real HTTPS server on 127.0.0.1 (ephemeral port) with its
// own throwaway CA made by the openssl CLI in a temp folder, and mutual TLS — a client without a certificate
// from that CA is refused in the handshake. It speaks our contract v1 (README) and can answer every result
// code, slowly, wrongly shaped, oversized, with an HTTP error, or not at all.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { demoSignaturePng } from '../../electron/core/demo/demoSignature';
import { syntheticRandom } from '../../shared/rules';

const run = promisify(execFile);

export type MiddlewareBehaviour =
  | { code: '00' | '01' | '02' | '03' | '04' | '05'; issuingAuthority?: string }
  | { slow: number; code?: '00' | '01' }
  | 'silent'
  | 'not_json'
  | 'wrong_shape'
  | 'wrong_transaction'
  | 'oversized'
  | 'oversized_photo'
  | 'http_500'
  | 'hang_up';

export interface ReceivedCheck {
  version: unknown;
  transactionNo: string;
  name: string;
  documentType: string;
  documentNumber: string;
  branchCode: string;
  tellerNo: string;
  /** Whether the client presented a certificate from the simulator's CA. */
  clientAuthorized: boolean;
}

export interface Pki {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A client certificate from a CA the middleware does not trust. */
  strangerCert: string;
  strangerKey: string;
  /** A CA that did not sign the middleware's certificate. */
  strangerCa: string;
  remove(): void;
}

async function openssl(dir: string, ...args: string[]): Promise<void> {
  await run('openssl', args, { cwd: dir });
}

/** A CA, a server certificate for 127.0.0.1, a client certificate, and a stranger's CA and client pair (P-256). */
export async function makePki(): Promise<Pki> {
  const dir = mkdtempSync(join(tmpdir(), 'unbinddesk-pki-'));
  const key = (name: string) => openssl(dir, 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`);
  const ca = async (name: string, subject: string) => {
    await key(name);
    await openssl(dir, 'req', '-x509', '-new', '-key', `${name}.key`, '-subj', subject, '-days', '2', '-out', `${name}.crt`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  };
  const leaf = async (name: string, subject: string, caName: string, ext: string) => {
    await key(name);
    await openssl(dir, 'req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`);
    writeFileSync(join(dir, `${name}.ext`), ext);
    await openssl(dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', `${caName}.crt`, '-CAkey', `${caName}.key`, '-CAcreateserial',
      '-days', '2', '-out', `${name}.crt`, '-extfile', `${name}.ext`);
  };
  await ca('ca', '/CN=Test 联网核查 CA');
  await ca('stranger-ca', '/CN=Stranger CA');
  await leaf('server', '/CN=127.0.0.1', 'ca', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  await leaf('client', '/CN=UnbindDesk 310101', 'ca', 'extendedKeyUsage=clientAuth\n');
  await leaf('stranger', '/CN=Stranger', 'stranger-ca', 'extendedKeyUsage=clientAuth\n');
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  return {
    dir,
    caCert: read('ca.crt'),
    serverCert: read('server.crt'),
    serverKey: read('server.key'),
    clientCert: read('client.crt'),
    clientKey: read('client.key'),
    strangerCert: read('stranger.crt'),
    strangerKey: read('stranger.key'),
    strangerCa: read('stranger-ca.crt'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The registered photo the simulator returns on `00`: a small synthetic PNG (never a real person). */
export function registeredPhoto(seed = 7): Buffer {
  return demoSignaturePng(syntheticRandom(seed), 102, 126);
}

export interface IdentityMiddleware {
  url: string;
  received: ReceivedCheck[];
  /** Behaviour for a document number; every other number gets `fallback`. */
  answers: Map<string, MiddlewareBehaviour>;
  fallback: MiddlewareBehaviour;
  photo: Buffer;
  close(): Promise<void>;
}

let serialCounter = 0;

export async function startIdentityMiddleware(pki: Pki): Promise<IdentityMiddleware> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const middleware: IdentityMiddleware = {
    url: '',
    received: [],
    answers: new Map(),
    fallback: { code: '00' },
    photo: registeredPhoto(),
    close: () => Promise.resolve(),
  };
  const server: Server = createServer(
    { key: pki.serverKey, cert: pki.serverCert, ca: pki.caCert, requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        let body: ReceivedCheck;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ReceivedCheck;
        } catch {
          res.writeHead(400).end();
          return;
        }
        const clientAuthorized = (req.socket as unknown as { authorized?: boolean }).authorized === true;
        middleware.received.push({ ...body, clientAuthorized });
        const behaviour = middleware.answers.get(body.documentNumber) ?? middleware.fallback;
        serialCounter += 1;
        const serial = `GAB${String(Date.now()).slice(-8)}${String(serialCounter).padStart(4, '0')}`;
        const answer = (code: string, extra: Record<string, unknown> = {}) =>
          JSON.stringify({
            version: 1,
            transactionNo: body.transactionNo,
            result: code,
            serial,
            ...(code === '00' || code === '01' ? { issuingAuthority: '测试市公安局测试分局' } : {}),
            ...(code === '00' ? { photo: middleware.photo.toString('base64') } : {}),
            ...extra,
          });
        const send = (status: number, text: string) => res.writeHead(status, { 'content-type': 'application/json' }).end(text);
        if (behaviour === 'silent') return;
        if (behaviour === 'hang_up') {
          req.socket.destroy();
          return;
        }
        if (behaviour === 'http_500') return send(500, '{"error":"internal"}');
        if (behaviour === 'not_json') return send(200, '<html>gateway</html>');
        if (behaviour === 'wrong_shape') return send(200, JSON.stringify({ version: 1, transactionNo: body.transactionNo, result: '00', serial: 'S 1' }));
        if (behaviour === 'wrong_transaction') return send(200, answer('01', { transactionNo: `${body.transactionNo}X` }));
        if (behaviour === 'oversized') return send(200, answer('01', { padding: 'x'.repeat(400 * 1024) }));
        if (behaviour === 'oversized_photo') return send(200, answer('00', { photo: Buffer.concat([middleware.photo, Buffer.alloc(120 * 1024)]).toString('base64') }));
        if ('slow' in behaviour) {
          const timer = setTimeout(() => {
            timers.delete(timer);
            send(200, answer(behaviour.code ?? '01'));
          }, behaviour.slow);
          timers.add(timer);
          return;
        }
        return send(200, answer(behaviour.code, behaviour.issuingAuthority ? { issuingAuthority: behaviour.issuingAuthority } : {}));
      });
    },
  );
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  middleware.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/idcheck/v1`;
  middleware.close = () =>
    new Promise<void>((resolve) => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return middleware;
}

/** Writes the PEM files a desk's settings point at, in `dir`; returns their paths. */
export function writeClientFiles(pki: Pki, dir: string): { clientCertPath: string; clientKeyPath: string; caPath: string } {
  const paths = { clientCertPath: join(dir, 'client.crt'), clientKeyPath: join(dir, 'client.key'), caPath: join(dir, 'ca.crt') };
  writeFileSync(paths.clientCertPath, pki.clientCert);
  writeFileSync(paths.clientKeyPath, pki.clientKey, { mode: 0o600 });
  writeFileSync(paths.caPath, pki.caCert);
  return paths;
}
