import type { z } from 'zod';
import {
  contract,
  isMethodName,
  type HandlerInput,
  type MethodName,
  type MethodOutput,
  type MethodSpec,
  type Result,
  type RpcError,
  type Role,
} from '../../../shared';
import { DomainError } from './domainError';
import type { EventLog } from '../eventLog';

/** The teller on whose behalf a call runs — always from the main process's own session, never the payload. */
export interface Actor {
  tellerId: number;
  employeeNo: string;
  name: string;
  role: Role;
}

export interface CallContext {
  /** Identifies the window (Electron) or preview client the call came from. */
  sessionKey: string;
  actor: Actor | null;
}

export type Handler<M extends MethodName> = (
  input: HandlerInput<M>,
  call: CallContext,
) => MethodOutput<M> | Promise<MethodOutput<M>>;

/** TypeScript forces an implementation for every method of the contract. */
export type Handlers = { [M in MethodName]: Handler<M> };

/** Decides whether a session may call a method, and who the actor is. Throws DomainError when not. */
export interface AccessGate {
  admit(sessionKey: string, spec: MethodSpec): Actor | null;
}

export interface Router {
  /** Never rejects: every outcome, including a bug, is an envelope. */
  invoke(sessionKey: string, method: unknown, input: unknown): Promise<Result<unknown>>;
}

const KEY_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;

/** zod's own messages are English prose; the renderer needs stable keys. */
function issueKey(issue: z.core.$ZodIssue): string {
  if (KEY_PATTERN.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'validation.required' : 'validation.type';
    case 'too_big':
      return 'validation.too_long';
    case 'too_small':
      return 'validation.too_short';
    case 'unrecognized_keys':
      return 'validation.unknown_field';
    case 'invalid_format':
      return 'validation.format';
    case 'invalid_value':
      return 'validation.choice';
    default:
      return 'validation.invalid';
  }
}

export function validationError(error: z.ZodError): RpcError {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    // Unknown keys are reported once for their object; name each so the caller sees which.
    const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
    for (const path of paths) fields[path.map(String).join('.') || '_'] ??= issueKey(issue);
  }
  return { code: 'VALIDATION', message: 'error.validation', fields };
}

/**
 * What the counter should hear when the disk or the database refused the change. The transaction rolled
 * back, so nothing was saved and the screen keeps what was typed; the message says what to do next.
 */
function storageMessage(sqliteCode: string): string | null {
  if (sqliteCode === 'SQLITE_FULL') return 'error.storage_full';
  if (sqliteCode.startsWith('SQLITE_BUSY') || sqliteCode.startsWith('SQLITE_LOCKED')) return 'error.storage_busy';
  if (/^SQLITE_(IOERR|CORRUPT|READONLY|CANTOPEN|NOTADB)/.test(sqliteCode)) return 'error.storage_failed';
  return null;
}

export function createRouter(options: { handlers: Handlers; gate: AccessGate; log: EventLog }): Router {
  const { handlers, gate, log } = options;
  return {
    async invoke(sessionKey, method, input) {
      if (!isMethodName(method)) {
        return { ok: false, error: { code: 'UNKNOWN_METHOD', message: 'error.unknown_method' } };
      }
      const spec: MethodSpec = contract[method];
      try {
        const actor = gate.admit(sessionKey, spec);
        const parsed = spec.input.safeParse(input);
        if (!parsed.success) return { ok: false, error: validationError(parsed.error) };
        const handler = handlers[method] as (input: unknown, call: CallContext) => unknown;
        const value = await handler(parsed.data, { sessionKey, actor });
        // The output schema strips anything undeclared, so a handler cannot leak a field by accident.
        const checked = spec.output.safeParse(value);
        if (!checked.success) {
          log.error('rpc.output_invalid', { method, issues: checked.error.issues.length });
          return { ok: false, error: { code: 'INTERNAL', message: 'error.internal' } };
        }
        return { ok: true, value: checked.data };
      } catch (error) {
        if (error instanceof DomainError) {
          return {
            ok: false,
            error: {
              code: error.code,
              message: error.messageKey,
              ...(error.fields ? { fields: error.fields } : {}),
              ...(error.details ? { details: error.details } : {}),
            },
          };
        }
        // The error's name and code (e.g. SQLITE_BUSY) say what broke; never its input, which may hold personal data.
        const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : '';
        log.error('rpc.handler_failed', { method, error: error instanceof Error ? error.name : typeof error, code });
        return { ok: false, error: { code: 'INTERNAL', message: storageMessage(code) ?? 'error.internal' } };
      }
    },
  };
}
