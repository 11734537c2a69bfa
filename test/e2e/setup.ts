import { beforeEach } from 'vitest';
import { awayFromDateChange } from '../support/dateChange';

/** Margin for a test's own hooks (a preview's start, a browser page) beyond its timeout. */
const HOOKS_MS = 60_000;
/** This hook's own limit: above the longest wait it can take (a test's timeout, its hooks, and 2 s past midnight). */
const WAIT_LIMIT_MS = 10 * 60_000;

// No browser test starts when it could still be running at the branch's midnight (test/support/dateChange.ts).
beforeEach(async ({ task }) => {
  const windowMs = (task.timeout || 30_000) + HOOKS_MS;
  // A test longer than this hook can wait for would have its wait cut short by the hook's limit: said, not guessed.
  if (windowMs + 2_000 >= WAIT_LIMIT_MS) throw new Error(`test/e2e/setup.ts: a test of ${task.timeout} ms is longer than the midnight wait allows; raise WAIT_LIMIT_MS`);
  await awayFromDateChange(windowMs);
}, WAIT_LIMIT_MS);
