// The HTTPS adapter to the bank's 联网核查 middleware: node:https, https only, an overall deadline,
// optional mutual TLS (client certificate and key) and a private CA. Nothing it receives is trusted:
// the answer is bounded in size and validated (identityCheck.ts); whatever goes wrong is "not checked",
// never a crash. It logs transaction numbers, codes, serials and durations — never a name or a number.
import { request as httpsRequest } from 'node:https';
import type { EventLog } from '../eventLog';
import {
  MAX_ANSWER_BYTES,
  parseAnswer,
  requestBody,
  type IdentityCheck,
  type IdentityCheckAnswer,
  type IdentityCheckRequest,
  type NotCheckedReason,
} from './identityCheck';

export interface HttpsIdentityCheckOptions {
  url: URL;
  timeoutMs: number;
  /** PEM text; both or neither. */
  clientCert?: string;
  clientKey?: string;
  /** PEM text of the CA that signed the middleware's certificate; the system's CAs when absent. */
  ca?: string;
}

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|HOSTNAME_MISMATCH|ERR_OSSL)/;

export function httpsIdentityCheck(options: HttpsIdentityCheckOptions, log: EventLog): IdentityCheck {
  if (options.url.protocol !== 'https:') throw new Error('identity check: https only');
  return {
    check(request: IdentityCheckRequest): Promise<IdentityCheckAnswer> {
      const started = Date.now();
      const body = Buffer.from(requestBody(request), 'utf8');
      return new Promise<IdentityCheckAnswer>((resolve) => {
        let settled = false;
        const finish = (answer: IdentityCheckAnswer) => {
          if (settled) return;
          settled = true;
          clearTimeout(deadline);
          const facts: Record<string, string | number> = { transactionNo: request.transactionNo, ms: Date.now() - started };
          if (answer.kind === 'answered') log.info('identity_check.answered', { ...facts, code: answer.code, serial: answer.serial });
          else log.error('identity_check.not_checked', { ...facts, reason: answer.reason, ...(answer.detail ? { detail: answer.detail } : {}) });
          resolve(answer);
        };
        const fail = (reason: NotCheckedReason, detail: string | null) => {
          finish({ kind: 'not_checked', reason, detail });
          req.destroy();
        };
        const req = httpsRequest(options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length, accept: 'application/json' },
          ...(options.ca ? { ca: options.ca } : {}),
          ...(options.clientCert && options.clientKey ? { cert: options.clientCert, key: options.clientKey } : {}),
          minVersion: 'TLSv1.2',
          rejectUnauthorized: true,
          agent: false,
        });
        const deadline = setTimeout(() => fail('timeout', `${options.timeoutMs}ms`), options.timeoutMs);
        req.on('error', (error: NodeJS.ErrnoException) => {
          const code = error.code ?? 'ERROR';
          finish({ kind: 'not_checked', reason: TLS_CODES.test(code) ? 'tls' : 'unreachable', detail: code });
        });
        req.on('response', (res) => {
          if (res.statusCode !== 200) {
            fail('http_status', String(res.statusCode ?? 0));
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_ANSWER_BYTES) {
              fail('oversized', `>${MAX_ANSWER_BYTES}`);
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () => finish(parseAnswer(Buffer.concat(chunks), request.transactionNo)));
          res.on('error', (error: NodeJS.ErrnoException) => finish({ kind: 'not_checked', reason: 'unreachable', detail: error.code ?? 'ERROR' }));
          res.on('aborted', () => finish({ kind: 'not_checked', reason: 'unreachable', detail: 'ECONNRESET' }));
        });
        req.end(body);
      });
    },
  };
}
