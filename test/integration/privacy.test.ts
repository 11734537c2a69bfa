import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applicationInputSchema, syntheticRandom } from '../../shared';
import { DATABASE_FILE } from '../../electron/core';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { openHarness } from '../support/coreHarness';
import { useTempDirs } from '../support/tempDir';

const tempDir = useTempDirs();

function encodings(text: string): Buffer[] {
  const utf16be = Buffer.from(text, 'utf16le');
  utf16be.swap16();
  return [Buffer.from(text, 'utf8'), Buffer.from(text, 'utf16le'), utf16be];
}

describe('personal data at rest', () => {
  it('leaves no plaintext ID number, phone number or name in the database, its WAL or a backup after 200 requests', async () => {
    const dataDir = tempDir();
    const h = await openHarness(dataDir);
    const secrets: string[] = [];
    const random = syntheticRandom(4242);
    for (let i = 0; i < 200; i += 1) {
      const app = await h.ok('t1', 'applications.register', {});
      const review = await h.ok('t1', 'applications.startReview', { id: app.id, version: app.version });
      const request = makeDemoRequest(random, '2026-11-25', i % 3 === 0 ? 'exception' : 'plain');
      const parsed = applicationInputSchema.parse(request);
      secrets.push(parsed.applicant.documentNumber, parsed.mobile.bound, parsed.applicant.name);
      await h.ok('t1', 'applications.submit', { id: review.id, version: review.version, request });
    }
    const backupFile = join(tempDir(), 'backup.sqlite');
    await h.core.db.backup(backupFile);
    const files = [DATABASE_FILE, `${DATABASE_FILE}-wal`].map((name) => readFileSync(join(dataDir, name)));
    files.push(readFileSync(backupFile));
    // The WAL holds the recent pages: the scan must cover it, not an empty file.
    expect(files[1]?.length).toBeGreaterThan(100_000);
    const names = secrets.filter((_, index) => index % 3 === 2);
    expect(new Set(names).size).toBeGreaterThan(50);
    const found: string[] = [];
    for (const secret of secrets) {
      for (const [encoding, needle] of encodings(secret).entries()) {
        // A two-character name is 4 bytes in UTF-16: ciphertext (random by design) holds such runs by chance
        // about once in five runs. Needles under 6 bytes prove nothing, so they are not searched.
        if (needle.length < 6) continue;
        const file = files.findIndex((bytes) => bytes.includes(needle));
        // Synthetic data, so the finding may name it.
        if (file >= 0) found.push(`${secret} (${['utf8', 'utf16le', 'utf16be'][encoding]}) in file ${file}`);
      }
    }
    expect(found).toEqual([]);
    // And the check is real: a masked value the lists need is there in the clear.
    const detail = await h.ok('t1', 'applications.board', { pageSize: 1 });
    const masked = detail.rows[0]?.mobileMasked ?? '';
    expect(files.some((bytes) => bytes.includes(Buffer.from(masked, 'utf8')))).toBe(true);
    h.core.close();
  }, 120_000);
});
