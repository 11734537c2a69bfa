// The HTTPS adapter against a real HTTPS middleware simulator with its own CA and mutual TLS.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpsIdentityCheck } from '../../electron/core/identity/httpsIdentityCheck';
import type { IdentityCheckRequest } from '../../electron/core/identity/identityCheck';
import type { EventLog } from '../../electron/core/eventLog';
import { makeResidentIdNumber } from '../../shared/rules';
import { makePki, startIdentityMiddleware, type IdentityMiddleware, type Pki } from '../support/identityMiddleware';

let pki: Pki;
let middleware: IdentityMiddleware;
const lines: string[] = [];
const log: EventLog = {
  info: (event, facts) => lines.push(JSON.stringify({ event, ...facts })),
  error: (event, facts) => lines.push(JSON.stringify({ event, ...facts })),
};

beforeAll(async () => {
  pki = await makePki();
  middleware = await startIdentityMiddleware(pki);
}, 60_000);

afterAll(async () => {
  await middleware.close();
  pki.remove();
});

let counter = 0;
function request(documentNumber: string): IdentityCheckRequest {
  counter += 1;
  return {
    transactionNo: `310101-20261125-0001-C${counter}`,
    name: '测试甲',
    documentType: 'resident_id',
    documentNumber,
    branchCode: '310101',
    tellerNo: 'T001',
    requestedAt: '2026-11-25T02:00:00.000Z',
  };
}

const numberFor = (sequence: number) => makeResidentIdNumber({ regionCode: '110105', birthDate: '1980-01-02', sequence });

function adapter(overrides: { timeoutMs?: number; cert?: string | null; key?: string | null; ca?: string } = {}) {
  const cert = overrides.cert === undefined ? pki.clientCert : overrides.cert;
  const key = overrides.key === undefined ? pki.clientKey : overrides.key;
  return httpsIdentityCheck(
    {
      url: new URL(middleware.url),
      timeoutMs: overrides.timeoutMs ?? 3000,
      ca: overrides.ca ?? pki.caCert,
      ...(cert ? { clientCert: cert } : {}),
      ...(key ? { clientKey: key } : {}),
    },
    log,
  );
}

describe('联网核查 over HTTPS with mutual TLS', () => {
  it('sends our contract v1 with the client certificate and reads 00 with the registered photo', async () => {
    const number = numberFor(11);
    middleware.answers.set(number, { code: '00' });
    const sent = request(number);
    const answer = await adapter().check(sent);
    expect(answer).toMatchObject({ kind: 'answered', code: '00', issuingAuthority: '测试市公安局测试分局' });
    if (answer.kind !== 'answered') throw new Error('not answered');
    expect(answer.serial).toMatch(/^GAB\d{12}$/);
    expect(answer.photo?.equals(middleware.photo)).toBe(true);
    expect(middleware.received.at(-1)).toEqual({ version: 1, ...sent, clientAuthorized: true });
  });

  it.each(['01', '02', '03', '04', '05'] as const)('reads result %s without a photo', async (code) => {
    const number = numberFor(20 + Number(code));
    middleware.answers.set(number, { code });
    const answer = await adapter().check(request(number));
    expect(answer).toMatchObject({ kind: 'answered', code, photo: null });
  });

  it('is refused in the handshake without a client certificate, or with one from another CA', async () => {
    const before = middleware.received.length;
    const bare = await adapter({ cert: null, key: null }).check(request(numberFor(31)));
    expect(bare).toMatchObject({ kind: 'not_checked', reason: 'tls', detail: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' });
    const stranger = await adapter({ cert: pki.strangerCert, key: pki.strangerKey }).check(request(numberFor(32)));
    // TLS 1.3: the server's refusal of the certificate arrives as an alert or as the connection dropped.
    if (stranger.kind !== 'not_checked') throw new Error('a stranger was answered');
    expect(['tls', 'unreachable']).toContain(stranger.reason);
    expect(middleware.received.length).toBe(before);
  });

  it('refuses a middleware whose certificate our CA did not sign (tls), before sending anything', async () => {
    const before = middleware.received.length;
    const answer = await adapter({ ca: pki.strangerCa }).check(request(numberFor(33)));
    expect(answer).toMatchObject({ kind: 'not_checked', reason: 'tls' });
    expect(middleware.received.length).toBe(before);
  });

  it('refuses a plain http URL outright', () => {
    expect(() => httpsIdentityCheck({ url: new URL('http://127.0.0.1:1/'), timeoutMs: 1000 }, log)).toThrow(/https only/);
  });

  it('gives up on a slow or silent middleware at the timeout', async () => {
    const slow = numberFor(41);
    middleware.answers.set(slow, { slow: 1500 });
    const started = Date.now();
    expect(await adapter({ timeoutMs: 400 }).check(request(slow))).toMatchObject({ kind: 'not_checked', reason: 'timeout' });
    const silent = numberFor(42);
    middleware.answers.set(silent, 'silent');
    expect(await adapter({ timeoutMs: 400 }).check(request(silent))).toMatchObject({ kind: 'not_checked', reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1400);
    // The same slow answer inside a longer deadline is read.
    expect(await adapter({ timeoutMs: 3000 }).check(request(slow))).toMatchObject({ kind: 'answered', code: '01' });
  });

  it.each([
    ['not_json', 'malformed', 'not_json'],
    ['wrong_shape', 'malformed', 'shape:'],
    ['wrong_transaction', 'malformed', 'transaction_no'],
    ['oversized_photo', 'malformed', 'shape:photo'],
    ['oversized', 'oversized', '>'],
    ['http_500', 'http_status', '500'],
    ['hang_up', 'unreachable', 'ECONNRESET'],
  ] as const)('a %s answer is "not checked" (%s)', async (behaviour, reason, detail) => {
    const number = numberFor(50 + counter);
    middleware.answers.set(number, behaviour);
    const answer = await adapter().check(request(number));
    expect(answer).toMatchObject({ kind: 'not_checked', reason });
    expect(answer.kind === 'not_checked' ? answer.detail : '').toContain(detail);
  });

  it('is unreachable when nothing listens at the port', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const answer = await httpsIdentityCheck({ url: new URL(`https://127.0.0.1:${port}/`), timeoutMs: 2000, ca: pki.caCert }, log).check(request(numberFor(61)));
    expect(answer).toMatchObject({ kind: 'not_checked', reason: 'unreachable', detail: 'ECONNREFUSED' });
  });

  it('never writes the name or the number into the event log', () => {
    const text = lines.join('\n');
    expect(lines.length).toBeGreaterThan(10);
    expect(text).toContain('identity_check.answered');
    expect(text).not.toContain('测试甲');
    for (const received of middleware.received) expect(text).not.toContain(received.documentNumber);
  });
});
