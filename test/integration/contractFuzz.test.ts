import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { contract, METHOD_NAMES, type MethodName } from '../../shared';
import { DATABASE_FILE } from '../../electron/core';
import { openHarness, type Harness } from '../support/coreHarness';
import { useTempDirs } from '../support/tempDir';

const tempDir = useTempDirs();
let h: Harness;

beforeAll(async () => {
  h = await openHarness(tempDir());
  await h.ok('t1', 'applications.register', {});
  h.core.db.pragma('wal_checkpoint(TRUNCATE)');
});
afterAll(() => h?.core.close());

function fileDigest(): string {
  const hash = createHash('sha256');
  for (const suffix of ['', '-wal']) {
    const file = join(h.dataDir, DATABASE_FILE + suffix);
    if (existsSync(file)) hash.update(readFileSync(file));
  }
  return hash.digest('hex');
}

const HUGE = 'x'.repeat(70_000);
const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  // Generating 70 KB strings char by char is slow; a fixed one with a random tail is as hostile.
  fc.string({ maxLength: 8 }).map((tail) => HUGE + tail),
  fc.constantFrom('\u0000', '\u202e\u0031', 'A\u200bB', '\r\n=cmd', '__proto__', 'constructor', '1101051949123100２X'),
);
const deep = fc.integer({ min: 50, max: 400 }).map((depth) => {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i += 1) value = i % 2 ? [value] : { a: value };
  return value;
});
const protoKeys = fc.constantFrom(JSON.parse('{"__proto__": {"isAdmin": true}}') as unknown, JSON.parse('{"constructor": {"prototype": {"x": 1}}}') as unknown);
const hostile = fc.oneof(
  fc.anything({ maxDepth: 3, maxKeys: 6 }),
  hostileString,
  deep,
  protoKeys,
  fc.dictionary(hostileString, fc.anything({ maxDepth: 2 }), { maxKeys: 6 }),
  fc.constantFrom(null, undefined, 0, -1, 1e308, Number.NaN, true, [], {}),
);

/** Payloads the method's schema refuses; valid ones would rightly do something. */
function invalidFor(method: MethodName) {
  return hostile.filter((payload) => !contract[method].input.safeParse(payload).success);
}

const ADMIN_ONLY = new Set<string>(['tellers.list', 'tellers.create', 'tellers.update', 'tellers.resetPassword', 'settings.update']);

describe('every contract method under hostile payloads', () => {
  it('answers VALIDATION (or UNAUTHENTICATED / FORBIDDEN), never throws, and leaves the database file byte-for-byte the same', async () => {
    const before = fileDigest();
    let calls = 0;
    for (const method of METHOD_NAMES) {
      const session = ADMIN_ONLY.has(method) ? 'admin' : 't1';
      await fc.assert(
        fc.asyncProperty(invalidFor(method), fc.boolean(), async (payload, anonymous) => {
          calls += 1;
          const result = await h.core.router.invoke(anonymous ? 'nobody' : session, method, payload);
          expect(result.ok).toBe(false);
          if (!result.ok) expect(['VALIDATION', 'UNAUTHENTICATED', 'FORBIDDEN']).toContain(result.error.code);
        }),
        { numRuns: 1000 },
      );
    }
    expect(calls).toBeGreaterThanOrEqual(1000 * METHOD_NAMES.length);
    expect(fileDigest()).toBe(before);
    // The prototype of plain objects was not polluted on the way.
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  }, 300_000);
});
