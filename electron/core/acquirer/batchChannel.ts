import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { OUTCOME_FILE_MAX_CHARS } from '../../../shared';
import type { CoreContext } from '../context';
import { statement } from '../db/statements';
import { writeFileDurably } from '../files/durableFile';
import { canonicalJson, signCanonical } from '../crypto/signing';
import { keyFingerprint } from '../crypto/installationKeys';
import { readBranchProfile } from '../system/branchProfile';
import { appendAudit } from '../audit/auditLog';
import { DomainError } from '../rpc/domainError';
import { OUTBOX_WITH_PAYLOAD, openPayload, type OutboxRow } from './outbox';
import { importSignedOutcomeFile, outcomeFileRefusal } from './outcomeFile';
import { configuredOutcomeKey, OUTCOME_SIGNATURE_MAX_CHARS } from './outcomeSignature';
import { ACQUIRER_CONTRACT } from './wire';

/**
 * The batch channel (README "The batch hand-off file"): every waiting entry goes into one signed file per batch,
 * `<outFolder>/<branch>_<desk>_<YYYYMMDDHHmmss>_<n>/` (before desks: `<branch>_<YYYYMMDDHHmmss>_<n>`) with `handoff.jsonl` (one request per line, the same canonical
 * JSON the HTTPS channel POSTs) and `manifest.json` (the file's SHA-256, the numbers, signed with the
 * installation's Ed25519 key). The folder is written under a temporary name and renamed whole, as the day
 * bundle is; only then are its entries marked sent. A crash in between puts them in the next batch too (same
 * bytes; the acquirer keeps the first by application number).
 */
export const BATCH_CONTRACT = 'unbinddesk.acquirer.batch.v1';
const BATCH_LIMIT = 5_000;

export function writeHandoffBatch(core: CoreContext, outFolder: string): { folder: string; count: number } | null {
  const rows = statement(core.db, `${OUTBOX_WITH_PAYLOAD} WHERE o.state = 'waiting' ORDER BY o.created_at LIMIT ?`).all(BATCH_LIMIT) as OutboxRow[];
  const branch = readBranchProfile(core.db);
  if (branch) removeLeftovers(outFolder, branch.code, branch.desk);
  if (rows.length === 0) return null;
  if (!branch) throw new DomainError('CONFLICT', 'setup.required');
  const at = core.clock.now();
  const stamp = at.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  mkdirSync(outFolder, { recursive: true });
  // The desk is in the name, so desks sharing one out folder never pick the same one (before desks: the old form).
  const prefix = branch.desk ? `${branch.code}_${branch.desk}` : branch.code;
  let n = 1;
  while (existsSync(join(outFolder, `${prefix}_${stamp}_${n}`))) n += 1;
  const name = `${prefix}_${stamp}_${n}`;
  const lines: string[] = [];
  const numbers: string[] = [];
  const inFile: OutboxRow[] = [];
  const purged: OutboxRow[] = [];
  for (const row of rows) {
    const opened = openPayload(core.keys, row);
    if (!opened) {
      purged.push(row);
      continue;
    }
    lines.push(opened.body);
    numbers.push(row.number);
    inFile.push(row);
  }
  if (purged.length > 0) {
    // Nothing left to send (the retention purge took the data): failed, as the HTTPS channel does, for a supervisor to see.
    core.db.transaction(() => {
      const fail = statement(core.db, "UPDATE acquirer_outbox SET state = 'failed', claimed_at = NULL, attempts = attempts + 1, last_error = 'payload purged' WHERE application_id = ? AND state IN ('waiting', 'sending')");
      for (const row of purged) fail.run(row.application_id);
    })();
    for (const row of purged) core.log.info('acquirer.send_failed', { applicationId: row.application_id, error: 'payload purged' });
  }
  if (inFile.length === 0) return null;
  const body = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  const manifest = {
    contract: BATCH_CONTRACT,
    requestContract: ACQUIRER_CONTRACT,
    branch: branch.code,
    batch: name,
    createdAt: at.toISOString(),
    count: numbers.length,
    applicationNumbers: numbers,
    files: [{ name: 'handoff.jsonl', sha256: createHash('sha256').update(body).digest('hex'), bytes: body.length }],
    publicKeyFingerprint: keyFingerprint(core.keys.publicKey),
  };
  const signed = { ...manifest, signature: signCanonical(core.keys.signingKey, manifest) };
  // A name no one else uses, made by mkdir (which fails rather than reuse a folder): nothing of another writer's is removed.
  const temporary = join(outFolder, `.${name}.${randomBytes(6).toString('hex')}.partial`);
  mkdirSync(temporary, { mode: 0o700 });
  try {
    writeFileDurably(join(temporary, 'handoff.jsonl'), body);
    writeFileDurably(join(temporary, 'manifest.json'), Buffer.from(`${canonicalJson(signed)}\n`, 'utf8'));
    renameSync(temporary, join(outFolder, name));
  } catch (error) {
    // The temporary folder holds the requests in plain text: it never outlives a failed write.
    rmSync(temporary, { recursive: true, force: true });
    throw error;
  }
  core.db.transaction(() => {
    const mark = statement(core.db, "UPDATE acquirer_outbox SET state = 'accepted', channel = 'batch', attempts = attempts + 1, sent_at = ?, batch_file = ?, next_poll_at = NULL, last_error = NULL WHERE application_id = ? AND state IN ('waiting', 'sending')");
    for (const row of inFile) mark.run(at.toISOString(), name, row.application_id);
    appendAudit(core.db, { actorId: null, action: 'acquirer.batch_written', entity: 'acquirer', entityId: name, details: { count: numbers.length, sha256: manifest.files[0]?.sha256 ?? '' } }, at);
  })();
  return { folder: join(outFolder, name), count: numbers.length };
}

/**
 * What an earlier batch of this desk left in the out folder when the program died mid-write: its temporary
 * folder (`.<branch>_<desk>_<stamp>_<n>.<random>.partial`, or a version's before that, `.<branch>_<stamp>_<n>.partial`;
 * the requests in plain text) and a durable write's temporary file. Another desk's or program's files are left
 * alone (another desk may be writing its batch at this very moment).
 */
function removeLeftovers(outFolder: string, branchCode: string, desk: string | null): void {
  if (!existsSync(outFolder)) return;
  const ownForm = desk
    ? new RegExp(`^\\.${branchCode}_${desk}_\\d{14}_\\d+\\.[0-9a-f]{12}\\.partial$`)
    : new RegExp(`^\\.${branchCode}_\\d{14}_\\d+\\.[0-9a-f]{12}\\.partial$`);
  const oldForm = new RegExp(`^\\.${branchCode}_\\d{14}_\\d+\\.partial$`);
  for (const entry of readdirSync(outFolder)) {
    const ours = ownForm.test(entry) || oldForm.test(entry) || /^\.(handoff\.jsonl|manifest\.json)\.tmp-[0-9a-f]+$/.test(entry);
    if (ours) rmSync(join(outFolder, entry), { recursive: true, force: true });
  }
}

/** What a look at the outcome folder saw of each file it did not import yet: its size and modification time, and its `.sig`'s. */
export type OutcomeFolderSightings = Map<string, { size: number; mtimeMs: number; signature: string }>;

/** What a look at the outcome folder did; `waiting` counts the files it left there (all of them when no key is set). */
export interface OutcomeFolderLook {
  imported: string[];
  rejected: string[];
  waiting: number;
}

/** The outcome files waiting in the folder (`*.csv`, not yet imported or refused). */
export function outcomeFilesIn(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder).filter((file) => file.toLowerCase().endsWith('.csv')).sort();
}

function sighting(file: string): string {
  try {
    const stat = statSync(file);
    return `${stat.size}:${stat.mtimeMs}`;
  } catch {
    return 'none';
  }
}

/**
 * The watched outcome folder: each `*.csv` with its detached signature `<name>.csv.sig` (outcomeSignature.ts) is
 * imported whole (importSignedOutcomeFile) and moved with it to `imported/`, or, when refused (no signature, one that
 * does not verify, a bad line), to `rejected/` beside a `.error.txt` that says why (in Chinese and English). With no
 * acquirer key configured nothing is imported or moved: every file waits (the 交接与回执 panel says so). A file is
 * taken only when its size and modification time, and its signature's, are the same as at the previous look (`seen`,
 * kept by the caller between looks), so a file the acquirer is still copying in is left for a later look; one over the
 * import cap (OUTCOME_FILE_MAX_CHARS, as on the screen) is refused without being read.
 */
export function importOutcomeFolder(core: CoreContext, folder: string, seen: OutcomeFolderSightings): OutcomeFolderLook {
  const imported: string[] = [];
  const rejected: string[] = [];
  const names = outcomeFilesIn(folder);
  for (const name of [...seen.keys()]) if (!names.includes(name)) seen.delete(name);
  // Unsigned files are never taken from the folder: without the acquirer's key, anyone who can write there could set outcomes.
  if (!configuredOutcomeKey(core)) return { imported, rejected, waiting: names.length };
  for (const name of names) {
    const file = join(folder, name);
    const signatureFile = `${file}.sig`;
    const stat = statSync(file);
    if (!stat.isFile()) continue;
    const before = seen.get(name);
    const signatureSeen = sighting(signatureFile);
    if (!before || before.size !== stat.size || before.mtimeMs !== stat.mtimeMs || before.signature !== signatureSeen) {
      seen.set(name, { size: stat.size, mtimeMs: stat.mtimeMs, signature: signatureSeen });
      continue;
    }
    seen.delete(name);
    const hasSignature = signatureSeen !== 'none';
    const moveTo = (sub: 'imported' | 'rejected') => {
      mkdirSync(join(folder, sub), { recursive: true });
      renameSync(file, join(folder, sub, name));
      if (hasSignature && existsSync(signatureFile)) renameSync(signatureFile, join(folder, sub, `${name}.sig`));
    };
    try {
      // At most 3 bytes a character in UTF-8, as the screen's import checks before reading.
      if (stat.size > OUTCOME_FILE_MAX_CHARS * 3) throw new DomainError('VALIDATION', 'handoff.file_too_large');
      const bytes = readFileSync(file);
      const signature = hasSignature ? readSignature(signatureFile) : null;
      if (bytes.toString('utf8').length > OUTCOME_FILE_MAX_CHARS) throw new DomainError('VALIDATION', 'handoff.file_too_large');
      importSignedOutcomeFile(core, null, name, bytes, signature);
      moveTo('imported');
      imported.push(name);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      moveTo('rejected');
      writeFileDurably(join(folder, 'rejected', `${name}.error.txt`), Buffer.from(`${outcomeFileRefusal(error)}\n`, 'utf8'));
      core.log.error('acquirer.outcome_file_rejected', { file: name.slice(0, 100), code: error.messageKey });
      rejected.push(name);
    }
  }
  return { imported, rejected, waiting: outcomeFilesIn(folder).length };
}

/** A .sig's text; one far larger than any signature is read as no valid signature (it cannot verify). */
function readSignature(file: string): string {
  if (statSync(file).size > OUTCOME_SIGNATURE_MAX_CHARS * 2) return '';
  return readFileSync(file, 'utf8');
}
