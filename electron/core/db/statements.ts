import type { Statement } from 'better-sqlite3';
import type { Db } from './connection';

const caches = new WeakMap<Db, Map<string, Statement>>();

/**
 * The prepared statement for `sql` on this connection, compiled once and reused.
 * Preparing is most of the CPU a small command spends (parsing and planning every statement again on
 * each call); the set of SQL texts the core uses is small and fixed, so the cache stays small.
 * Not for `.iterate()` loops that run the same text again inside the loop (a statement is busy while
 * it is being iterated), nor with `.raw()`, `.pluck()` or `.expand()`, which would change the mode of
 * the statement every other caller shares: use `db.prepare` for those.
 */
export function statement(db: Db, sql: string): Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let prepared = cache.get(sql);
  if (!prepared) {
    prepared = db.prepare(sql);
    cache.set(sql, prepared);
  }
  return prepared;
}

const runners = new WeakMap<Db, (work: () => unknown) => unknown>();

/**
 * Runs `work` in a transaction, or in a savepoint when one is open: `db.transaction(work)()` with one
 * better-sqlite3 wrapper per connection, instead of one built for every call (a cost a path that records
 * thousands of answers feels).
 */
export function atomically<T>(db: Db, work: () => T): T {
  let run = runners.get(db);
  if (!run) {
    run = db.transaction((inner: () => unknown) => inner());
    runners.set(db, run);
  }
  return run(work) as T;
}
