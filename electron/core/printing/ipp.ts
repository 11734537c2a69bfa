import { existsSync } from 'node:fs';
import { request } from 'node:http';

/**
 * Just enough of IPP/1.1 (RFC 8010 encoding, RFC 8011 operations, CUPS's own operations) to ask the local
 * spooler what `lpstat` cannot say in a form a program can trust: a job's final state (completed, cancelled
 * or aborted all look alike in `lpstat -W completed`), and each printer's state and reasons in keywords
 * rather than in the desktop's language. Jobs are still submitted with `lp`, the spooler's own client.
 *
 * The spooler is a program outside ours: every length in its answer is bounds-checked, the answer is
 * capped in size, and anything malformed is an error, never a guess.
 */

export type IppValue = string | number | boolean | Buffer;
export type IppAttributes = Map<string, IppValue[]>;

export interface IppResponse {
  statusCode: number;
  /** Attribute groups in order, each with its delimiter tag (1 operation, 2 job, 4 printer…). */
  groups: { tag: number; attributes: IppAttributes }[];
}

/** Where the spooler listens, as `lp` and `lpstat` find it: CUPS_SERVER, then the local socket, then port 631. */
export type CupsServer = { socketPath: string } | { host: string; port: number };

export function cupsServer(env: NodeJS.ProcessEnv = process.env): CupsServer {
  const configured = env.CUPS_SERVER?.trim();
  if (configured) {
    if (configured.startsWith('/')) return { socketPath: configured };
    const match = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(configured);
    if (match?.[1]) return { host: match[1], port: match[2] ? Number(match[2]) : 631 };
  }
  for (const socketPath of ['/run/cups/cups.sock', '/var/run/cups/cups.sock']) if (existsSync(socketPath)) return { socketPath };
  return { host: 'localhost', port: 631 };
}

export const OPERATION = {
  getJobAttributes: 0x0009,
  cancelJob: 0x0008,
  cupsGetDefault: 0x4001,
  cupsGetPrinters: 0x4002,
} as const;

const TAG = {
  operation: 0x01,
  job: 0x02,
  end: 0x03,
  printer: 0x04,
  integer: 0x21,
  boolean: 0x22,
  enum: 0x23,
  textWithLanguage: 0x35,
  nameWithLanguage: 0x36,
  keyword: 0x44,
  uri: 0x45,
  charset: 0x47,
  naturalLanguage: 0x48,
  name: 0x42,
} as const;

const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

export class IppError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IppError';
  }
}

type OutAttribute = { tag: number; name: string; values: (string | number)[] };

function encodeRequest(operation: number, requestId: number, attributes: OutAttribute[]): Buffer {
  const parts: Buffer[] = [];
  const header = Buffer.alloc(8);
  header.writeUInt16BE(0x0200, 0); // IPP 2.0, as CUPS's own clients send
  header.writeUInt16BE(operation, 2);
  header.writeUInt32BE(requestId, 4);
  parts.push(header, Buffer.from([TAG.operation]));
  const all: OutAttribute[] = [
    { tag: TAG.charset, name: 'attributes-charset', values: ['utf-8'] },
    { tag: TAG.naturalLanguage, name: 'attributes-natural-language', values: ['en'] },
    ...attributes,
  ];
  for (const attribute of all) {
    attribute.values.forEach((value, index) => {
      const name = Buffer.from(index === 0 ? attribute.name : '', 'utf8');
      let body: Buffer;
      if (typeof value === 'number') {
        body = Buffer.alloc(4);
        body.writeInt32BE(value, 0);
      } else body = Buffer.from(value, 'utf8');
      const head = Buffer.alloc(3);
      head.writeUInt8(attribute.tag, 0);
      head.writeUInt16BE(name.length, 1);
      const length = Buffer.alloc(2);
      length.writeUInt16BE(body.length, 0);
      parts.push(head, name, length, body);
    });
  }
  parts.push(Buffer.from([TAG.end]));
  return Buffer.concat(parts);
}

/** Decodes an IPP response; throws IppError on anything truncated or out of bounds. */
export function decodeResponse(data: Buffer): IppResponse {
  if (data.length < 9) throw new IppError('IPP response too short');
  const statusCode = data.readUInt16BE(2);
  const groups: IppResponse['groups'] = [];
  let offset = 8;
  let current: IppAttributes | null = null;
  let lastName = '';
  const need = (bytes: number) => {
    if (offset + bytes > data.length) throw new IppError('IPP response truncated');
  };
  for (;;) {
    need(1);
    const tag = data.readUInt8(offset);
    offset += 1;
    if (tag === TAG.end) break;
    if (tag < 0x10) {
      current = new Map();
      groups.push({ tag, attributes: current });
      continue;
    }
    if (!current) throw new IppError('IPP attribute outside a group');
    need(2);
    const nameLength = data.readUInt16BE(offset);
    offset += 2;
    need(nameLength + 2);
    const name = nameLength > 0 ? data.toString('utf8', offset, offset + nameLength) : lastName;
    offset += nameLength;
    const valueLength = data.readUInt16BE(offset);
    offset += 2;
    need(valueLength);
    const raw = data.subarray(offset, offset + valueLength);
    offset += valueLength;
    if (!name) throw new IppError('IPP additional value without an attribute');
    lastName = name;
    let value: IppValue;
    if ((tag === TAG.integer || tag === TAG.enum) && valueLength === 4) value = raw.readInt32BE(0);
    else if (tag === TAG.boolean && valueLength === 1) value = raw.readUInt8(0) !== 0;
    else if (tag === TAG.textWithLanguage || tag === TAG.nameWithLanguage) {
      // language length, language, text length, text
      if (raw.length < 4) throw new IppError('IPP text with language truncated');
      const languageLength = raw.readUInt16BE(0);
      if (2 + languageLength + 2 > raw.length) throw new IppError('IPP text with language truncated');
      const textLength = raw.readUInt16BE(2 + languageLength);
      if (4 + languageLength + textLength > raw.length) throw new IppError('IPP text with language truncated');
      value = raw.toString('utf8', 4 + languageLength, 4 + languageLength + textLength);
    } else if (tag >= 0x41 && tag <= 0x49) value = raw.toString('utf8');
    else value = Buffer.from(raw);
    const values = current.get(name);
    if (values) values.push(value);
    else current.set(name, [value]);
  }
  return { statusCode, groups };
}

let nextRequestId = 1;

/** One IPP request to the spooler; resolves with the decoded answer. */
export function ippRequest(
  server: CupsServer,
  path: string,
  operation: number,
  attributes: OutAttribute[],
  timeoutMs = 5_000,
): Promise<IppResponse> {
  const body = encodeRequest(operation, nextRequestId++, attributes);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        ...('socketPath' in server ? { socketPath: server.socketPath } : { host: server.host, port: server.port }),
        method: 'POST',
        path,
        headers: { 'content-type': 'application/ipp', 'content-length': body.length, host: 'localhost' },
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            response.destroy();
            reject(new IppError('IPP response too large'));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => {
          if (response.statusCode !== 200) return reject(new IppError(`spooler answered HTTP ${response.statusCode}`));
          try {
            resolve(decodeResponse(Buffer.concat(chunks)));
          } catch (error) {
            reject(error as Error);
          }
        });
        response.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new IppError('the spooler did not answer in time')));
    req.on('error', reject);
    req.end(body);
  });
}

export const ippTag = TAG;
