import type { CoreContext } from '../context';
import type { Db } from '../db/connection';
import { appendAudit } from '../audit/auditLog';
import { DomainError } from '../rpc/domainError';
import { burnPasswordCheck, verifyPassword } from './passwords';
import {
  findTellerByEmployeeNo,
  findUnknownNumberFailures,
  recordFailedLogin,
  recordGoodLogin,
  recordUnknownNumberFailure,
  type TellerRecord,
} from './tellerRepository';

export const MAX_FAILED_ATTEMPTS = 5;
export const LOCKOUT_MINUTES = 15;

/** What a credential check is for; the audit row of a failure is `<purpose>.failed`. */
export type CredentialPurpose = 'login' | 'unlock' | 'password_change' | 'authorization';

/**
 * The one refusal of every failed check: a wrong password, an unknown number, a locked or a disabled account
 * all answer this, with nothing added, so the answer tells an outsider nothing about the account.
 */
export function credentialsRefused(): DomainError {
  return new DomainError('UNAUTHENTICATED', 'auth.invalid_credentials');
}

/** Checks run one at a time per employee number (in this process), each after the one before has counted. */
const queues = new WeakMap<Db, Map<string, Promise<unknown>>>();

async function oneAtATime<T>(db: Db, key: string, work: () => Promise<T>): Promise<T> {
  let queue = queues.get(db);
  if (!queue) {
    queue = new Map();
    queues.set(db, queue);
  }
  const before = queue.get(key) ?? Promise.resolve();
  const run = before.then(work);
  const settled = run.catch(() => undefined);
  queue.set(key, settled);
  try {
    return await run;
  } finally {
    if (queue.get(key) === settled) queue.delete(key);
  }
}

interface Attempt {
  teller: TellerRecord | null;
  /** Locked before this attempt: refused whatever the password, and not counted again. */
  wasLocked: boolean;
  attempts: number;
  locks: boolean;
}

/**
 * Counts the attempt as a failure before the password is hashed, in one write transaction: however many
 * checks run at once, and even if the process dies during the hash, every attempt has been counted. The
 * attempt that reaches the limit locks the account at once; a right password then clears count and lock.
 */
function countAttempt(db: Db, employeeNo: string, at: Date): Attempt {
  const now = at.toISOString();
  const lockUntil = new Date(at.getTime() + LOCKOUT_MINUTES * 60_000).toISOString();
  const teller = findTellerByEmployeeNo(db, employeeNo);
  const record = teller ?? findUnknownNumberFailures(db, employeeNo) ?? { failedAttempts: 0, lockedUntil: null };
  if (record.lockedUntil !== null && record.lockedUntil > now) return { teller, wasLocked: true, attempts: record.failedAttempts, locks: false };
  const attempts = record.failedAttempts + 1;
  const locks = attempts >= MAX_FAILED_ATTEMPTS;
  if (teller) recordFailedLogin(db, teller.id, locks ? 0 : attempts, locks ? lockUntil : null, at);
  else recordUnknownNumberFailure(db, employeeNo, locks ? 0 : attempts, locks ? lockUntil : null, at);
  return { teller, wasLocked: false, attempts, locks };
}

/**
 * Checks an employee number and password — for a login, an unlock, a password change and a supervisor
 * authorizing on a teller's screen alike. Five failures in a row lock the number for 15 minutes; the count
 * lives in the database, so a restart does not reset it, and it is kept for numbers without an account too.
 * Every check costs one scrypt hash and every failure gives the same refusal (`credentialsRefused`).
 */
export async function checkCredentials(core: CoreContext, employeeNo: string, password: string, purpose: CredentialPurpose): Promise<TellerRecord> {
  // Employee numbers are letters and digits, compared without case (the column is COLLATE NOCASE).
  const key = employeeNo.trim().toUpperCase();
  return oneAtATime(core.db, key, async () => {
    const attempt = core.db.transaction(() => countAttempt(core.db, key, core.clock.now())).immediate();
    let good = false;
    if (attempt.teller) good = await verifyPassword(password, attempt.teller.passwordHash);
    else await burnPasswordCheck(password, core.passwordCost);
    const at = core.clock.now();
    const teller = attempt.teller;
    const reason = !teller ? 'unknown' : attempt.wasLocked ? 'locked' : !good ? 'wrong_password' : teller.disabled ? 'disabled' : null;
    if (teller && reason === null) {
      recordGoodLogin(core.db, teller.id, at);
      return { ...teller, failedAttempts: 0, lockedUntil: null };
    }
    core.db.transaction(() =>
      appendAudit(
        core.db,
        {
          actorId: null,
          action: `${purpose}.failed`,
          entity: 'teller',
          entityId: teller ? String(teller.id) : null,
          details: { employeeNo: teller?.employeeNo ?? key, reason: reason ?? 'unknown', attempts: attempt.attempts, locked: attempt.wasLocked || attempt.locks },
        },
        at,
      ),
    )();
    throw credentialsRefused();
  });
}
