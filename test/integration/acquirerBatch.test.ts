import { appendFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { OUTCOME_FILE_MAX_CHARS, syntheticRandom } from '../../shared';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { demoSignaturePng } from '../../electron/core/demo/demoSignature';
import { findApplication } from '../../electron/core/applications/repository';
import { outboxEntry } from '../../electron/core/acquirer/outbox';
import { importOutcomeFolder, writeHandoffBatch } from '../../electron/core/acquirer/batchChannel';
import { readSettings, writeSetting } from '../../electron/core/settings';
import { useHarnesses, type Harness } from '../support/coreHarness';
import { makeOutcomeSigningKey, signOutcomeBytes } from '../support/acquirerSim';
import { useTempDirs } from '../support/tempDir';

/**
 * Something the test makes happen just before the durable write of the file whose name ends so (once): a
 * failure as a full disk gives, or another desk's batch written in that very moment.
 */
const injected = vi.hoisted(() => ({ suffix: null as string | null, action: null as (() => void) | null }));
vi.mock('../../electron/core/files/durableFile', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../electron/core/files/durableFile')>();
  return {
    writeFileDurably(file: string, bytes: Buffer): void {
      const action = injected.action;
      if (injected.suffix !== null && action && file.endsWith(injected.suffix)) {
        injected.suffix = null;
        injected.action = null;
        action();
      }
      real.writeFileDurably(file, bytes);
    },
  };
});

function before(suffix: string, action: () => void): void {
  injected.suffix = suffix;
  injected.action = action;
}

const tempDir = useTempDirs();
const { harness } = useHarnesses(tempDir);

/** A request taken through the counter to its first slip (completed). */
async function completed(h: Harness, seed: number, day = '2026-11-25') {
  const app = await h.ok('t1', 'applications.register', {});
  const review = await h.ok('t1', 'applications.startReview', { id: app.id, version: app.version });
  const approved = await h.ok('t1', 'applications.submit', { id: review.id, version: review.version, request: makeDemoRequest(syntheticRandom(seed), day) });
  const signed = await h.ok('t1', 'applications.setSignature', { id: approved.id, version: approved.version, pngBase64: demoSignaturePng(syntheticRandom(seed)).toString('base64') });
  await h.ok('t1', 'receipts.issue', { id: signed.id, version: signed.version });
  const row = findApplication(h.core.db, signed.id);
  if (!row) throw new Error('expected the request');
  return row;
}

/** Every file under a folder (hidden ones included), with its text. */
function allFiles(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { path, text: readFileSync(path, 'utf8') };
    });
}

describe('the batch hand-off folder', () => {
  it('leaves no personal data behind when a batch write fails, and clears what a crashed batch of its own left', async () => {
    const h = await harness();
    const out = join(tempDir(), 'handoff');
    const [a, b] = [await completed(h, 301), await completed(h, 302)];

    before('manifest.json', () => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    });
    expect(() => writeHandoffBatch(h.core.context, out)).toThrow(/ENOSPC/);
    expect(readdirSync(out)).toEqual([]);
    expect(outboxEntry(h.core.db, a.id)?.state).toBe('waiting');

    // What a crash in the middle of a batch leaves: the temporary folder with the plain-text requests, a
    // half-written file; and something of another program's that is not ours to remove.
    const crashed = join(out, '.310101_20261125093000_1.partial');
    mkdirSync(crashed);
    writeFileSync(join(crashed, 'handoff.jsonl'), `{"applicationNumber":"${a.number}","applicant":{"name":"张三"}}\n`);
    writeFileSync(join(crashed, '.manifest.json.tmp-0a1b2c3d4e5f'), '{"contract"');
    writeFileSync(join(out, '.handoff.jsonl.tmp-0a1b2c3d4e5f'), '{"applicationNumber"');
    mkdirSync(join(out, 'acquirer-notes'));
    writeFileSync(join(out, 'acquirer-notes', 'readme.txt'), 'not ours');

    const written = writeHandoffBatch(h.core.context, out);
    expect(written?.count).toBe(2);
    expect(readdirSync(out).sort()).toEqual(['acquirer-notes', written?.folder.split(/[\\/]/).pop()].sort());
    expect(outboxEntry(h.core.db, b.id)?.state).toBe('accepted');
    expect(allFiles(out).filter((file) => file.text.includes('张三'))).toEqual([]);
  });

  it('two desks writing to one shared out folder in the same second each get their own batch, named by desk', async () => {
    const out = join(tempDir(), 'shared-handoff');
    const one = await harness(tempDir(), { desk: '01' });
    const two = await harness(tempDir(), { desk: '02' });
    const a = await completed(one, 311);
    const b = await completed(two, 312);
    // Desk 03 is in the middle of its own batch: its temporary folder is not desk 01's or 02's to remove.
    const deskThree = join(out, '.310101_03_20261125020000_1.0123456789ab.partial');
    mkdirSync(deskThree, { recursive: true });
    writeFileSync(join(deskThree, 'handoff.jsonl'), '{}\n');
    // Desk 02 writes its whole batch while desk 01 is between its two files (same clock second).
    let second: ReturnType<typeof writeHandoffBatch> = null;
    before('manifest.json', () => {
      second = writeHandoffBatch(two.core.context, out);
    });
    const first = writeHandoffBatch(one.core.context, out);
    expect(first?.count).toBe(1);
    expect(second).toMatchObject({ count: 1 });
    expect(readdirSync(out).sort()).toEqual(['.310101_03_20261125020000_1.0123456789ab.partial', '310101_01_20261125020000_1', '310101_02_20261125020000_1']);
    const numbers = (folder: string) => (JSON.parse(readFileSync(join(out, folder, 'manifest.json'), 'utf8')) as { applicationNumbers: string[] }).applicationNumbers;
    expect(numbers('310101_01_20261125020000_1')).toEqual([a.number]);
    expect(numbers('310101_02_20261125020000_1')).toEqual([b.number]);
    expect(outboxEntry(one.core.db, a.id)).toMatchObject({ state: 'accepted', batch_file: '310101_01_20261125020000_1' });
    expect(outboxEntry(two.core.db, b.id)).toMatchObject({ state: 'accepted', batch_file: '310101_02_20261125020000_1' });
  });

  it('marks sent only the requests that are in the file; one whose data was purged is failed with "payload purged", as on the HTTPS channel', async () => {
    const h = await harness();
    const out = join(tempDir(), 'handoff');
    const [a, b] = [await completed(h, 341), await completed(h, 342)];
    // What the retention purge does to a hand-off still waiting.
    h.core.db.prepare('DELETE FROM acquirer_outbox_payload WHERE application_id = ?').run(b.id);
    const written = writeHandoffBatch(h.core.context, out);
    expect(written?.count).toBe(1);
    const folder = written?.folder.split(/[\\/]/).pop();
    const manifest = JSON.parse(readFileSync(join(out, folder ?? '', 'manifest.json'), 'utf8')) as { applicationNumbers: string[] };
    expect(manifest.applicationNumbers).toEqual([a.number]);
    expect(outboxEntry(h.core.db, a.id)).toMatchObject({ state: 'accepted', batch_file: folder });
    expect(outboxEntry(h.core.db, b.id)).toMatchObject({ state: 'failed', batch_file: null, last_error: 'payload purged' });
    // Only purged ones waiting: no empty batch is written.
    const c = await completed(h, 343);
    h.core.db.prepare('DELETE FROM acquirer_outbox_payload WHERE application_id = ?').run(c.id);
    expect(writeHandoffBatch(h.core.context, out)).toBeNull();
    expect(readdirSync(out)).toEqual([folder]);
    expect(outboxEntry(h.core.db, c.id)).toMatchObject({ state: 'failed', last_error: 'payload purged' });
  });
});

describe('the watched outcome folder', () => {
  const header = 'application_number,outcome,acquirer_reference,reason,decided_at';
  /** The acquirer's outcome files are signed: its key configured, as an admin saves it. */
  const acquirerKey = makeOutcomeSigningKey();
  const withAcquirerKey = (h: Harness) => {
    const current = readSettings(h.core.db).acquirer;
    writeSetting(h.core.db, 'acquirer', { ...current, batch: { ...current.batch, outcomePublicKey: acquirerKey.publicKeyPem } }, new Date());
  };
  const signFor = (file: string, content: string) => writeFileSync(`${file}.sig`, signOutcomeBytes(acquirerKey.privateKey, Buffer.from(content)));

  it('imports a file only once its size and time have stayed the same across two looks, so a half-written file is never taken', async () => {
    const h = await harness();
    const inbox = join(tempDir(), 'outcomes');
    mkdirSync(inbox);
    const [a, b] = [await completed(h, 321), await completed(h, 322)];
    withAcquirerKey(h);
    const seen = new Map();
    const file = join(inbox, 'day.csv');
    // The acquirer's signature is there first; its copy of the file is still under way: the second line is cut.
    signFor(file, `${header}\n${a.number},unbound,B1,,\n${b.number},unbound,B2,,\n`);
    writeFileSync(file, `${header}\n${a.number},unbound,B1,,\n${b.number},unbo`);
    expect(importOutcomeFolder(h.core.context, inbox, seen)).toEqual({ imported: [], rejected: [], waiting: 1 });
    expect(readdirSync(inbox)).toEqual(['day.csv', 'day.csv.sig']);
    appendFileSync(file, 'und,B2,,\n');
    expect(importOutcomeFolder(h.core.context, inbox, seen)).toEqual({ imported: [], rejected: [], waiting: 1 });
    expect(findApplication(h.core.db, a.id)?.status).toBe('completed');
    // Unchanged since the last look: complete, imported whole.
    expect(importOutcomeFolder(h.core.context, inbox, seen)).toEqual({ imported: ['day.csv'], rejected: [], waiting: 0 });
    expect(readdirSync(join(inbox, 'imported'))).toEqual(['day.csv', 'day.csv.sig']);
    expect(findApplication(h.core.db, a.id)?.status).toBe('unbound');
    expect(findApplication(h.core.db, b.id)?.status).toBe('unbound');
  });

  it('refuses a file over the import size limit, whole, with the reason in Chinese and English', async () => {
    const h = await harness();
    const inbox = join(tempDir(), 'outcomes');
    mkdirSync(inbox);
    const a = await completed(h, 331);
    withAcquirerKey(h);
    const line = `${a.number},unbound,B1,,\n`;
    const huge = header + '\n' + line.repeat(Math.ceil((OUTCOME_FILE_MAX_CHARS * 3) / line.length) + 1);
    writeFileSync(join(inbox, 'huge.csv'), huge);
    signFor(join(inbox, 'huge.csv'), huge);
    const seen = new Map();
    importOutcomeFolder(h.core.context, inbox, seen);
    expect(importOutcomeFolder(h.core.context, inbox, seen)).toEqual({ imported: [], rejected: ['huge.csv'], waiting: 0 });
    expect(readdirSync(join(inbox, 'rejected')).sort()).toEqual(['huge.csv', 'huge.csv.error.txt', 'huge.csv.sig']);
    const refusal = readFileSync(join(inbox, 'rejected', 'huge.csv.error.txt'), 'utf8');
    expect(refusal).toContain('回执文件过大（最多 60 万字符，约 7000 行），请分批导入');
    expect(refusal).toContain('The outcome file is too large');
    expect(findApplication(h.core.db, a.id)?.status).toBe('completed');
  });
});
