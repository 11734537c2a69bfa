import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { DomainError } from '../rpc/domainError';

/**
 * zxcvbn's score 3 ("safely unguessable: moderate protection from an offline slow-hash attack", about
 * 10^8 guesses or more). Its dictionaries (common passwords, names, words, keyboard patterns) and its
 * pattern matching (repeats, sequences, dates, l33t) refuse `password1`, `aaaaaaa1` and `T0011234`, which
 * the letter-and-digit rule of the contract lets through.
 */
export const MIN_PASSWORD_SCORE = 3;

let estimator: ZxcvbnFactory | null = null;

/** Built on first use: the dictionaries take a moment to load, and most starts never set a password. */
function zxcvbn(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  return estimator;
}

const fold = (value: string) => value.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

/** Why a new password is refused for this account (a translation key), or null when it is good enough. */
export function passwordProblem(password: string, account: { employeeNo: string; name: string }): string | null {
  const folded = fold(password);
  const employeeNo = fold(account.employeeNo);
  const name = fold(account.name);
  if ((employeeNo !== '' && folded.includes(employeeNo)) || (name.length >= 2 && folded.includes(name))) return 'password.contains_identity';
  // The account's own number and name count as dictionary words too (partly or in l33t), so they cost little.
  return zxcvbn().check(password, [account.employeeNo, account.name]).score >= MIN_PASSWORD_SCORE ? null : 'password.too_guessable';
}

/** Refuses a weak new password as a validation error on `field`, before anything is hashed or saved. */
export function assertStrongPassword(password: string, account: { employeeNo: string; name: string }, field: string): void {
  const problem = passwordProblem(password, account);
  if (problem) throw new DomainError('VALIDATION', 'error.validation', { [field]: problem });
}
