import { beforeEach } from 'vitest';
import { awayFromDateChange } from '../support/dateChange';

/** Margin for a test's own hooks (a preview's start, a browser page) beyond its timeout. */
const HOOKS_MS = 60_000;

// No browser test starts when it could still be running at the branch's midnight (test/support/dateChange.ts).
// The hook's own limit covers the longest wait: the longest test's timeout, its hooks, and the margin.
beforeEach(async ({ task }) => {
  await awayFromDateChange((task.timeout || 30_000) + HOOKS_MS);
}, 5 * 60_000);
