/**
 * Stable error codes of the contract. The renderer translates `error.<code>`; the codes never change
 * meaning once shipped, because branch IT scripts and audit rows refer to them.
 */
export const ERROR_CODES = [
  'VALIDATION',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'LOCKED',
  'NOT_FOUND',
  'CONFLICT',
  'INVALID_TRANSITION',
  'DAY_CLOSED',
  'AUTHORIZATION_REQUIRED',
  'UNKNOWN_METHOD',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface RpcError {
  code: ErrorCode;
  /** A translation key (e.g. `error.not_found`), never text meant for a person as-is. */
  message: string;
  /** Field path (dot-joined) → translation key, for errors that belong next to a form field. */
  fields?: Record<string, string>;
  /** Extra facts the renderer may show (e.g. the open requests that block a day close). JSON only. */
  details?: Record<string, unknown>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: RpcError };
