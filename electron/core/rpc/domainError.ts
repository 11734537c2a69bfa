import type { ErrorCode } from '../../../shared';

/** A refusal the user should see. Services throw it; the router turns it into the error envelope. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    /** Translation key. */
    readonly messageKey: string,
    readonly fields?: Record<string, string>,
    readonly details?: Record<string, unknown>,
  ) {
    super(messageKey);
    this.name = 'DomainError';
  }
}
