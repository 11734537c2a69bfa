import type { MethodOutput, Result } from '../../shared';
import { call } from '../api/client';

type Early = {
  info?: Promise<Result<MethodOutput<'system.info'>>>;
  me?: Promise<Result<MethodOutput<'auth.me'>>>;
};

let early: Early = {};

/**
 * The two questions every start asks the core — which branch and day, and who is logged in here — asked
 * while the page is still building its first screen rather than after, which is most of the wait for the
 * login to appear. Called once by main.tsx; component tests never call it.
 */
export function askEarly(): void {
  early = { info: call('system.info', {}), me: call('auth.me', {}) };
}

/** The early answer, once; afterwards (and in tests) undefined, and the caller asks again. */
export function earlyAnswer<K extends keyof Early>(key: K): Early[K] {
  const answer = early[key];
  early[key] = undefined;
  return answer;
}
