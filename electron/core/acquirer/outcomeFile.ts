import { ACQUIRER_OUTCOMES, type AcquirerOutcome } from '../../../shared';
import type { CoreContext } from '../context';
import { statement } from '../db/statements';
import { DomainError } from '../rpc/domainError';
import { appendAudit } from '../audit/auditLog';
import { recordAcquirerOutcome } from './outcomes';
import { checkOutcomeSignature } from './outcomeSignature';
import { acquirerReason, acquirerReference, applicationNumber } from './wire';

/**
 * The acquirer's outcome file (README "Acquirer hand-off: the batch contract"): UTF-8 CSV (a BOM is allowed),
 * RFC 4180 quoting, this header, one line per request:
 *
 *   application_number,outcome,acquirer_reference,reason,decided_at
 *
 * outcome is `unbound` or `unbind_failed`; reason is required for unbind_failed; decided_at is ISO 8601 with
 * an offset. Every line is checked before anything is recorded; the first bad line refuses the whole file
 * and is named (its line number in the file). The same line twice, or an outcome already recorded, is harmless.
 */
export const OUTCOME_FILE_HEADER = ['application_number', 'outcome', 'acquirer_reference', 'reason', 'decided_at'] as const;

export interface OutcomeLine {
  line: number;
  number: string;
  outcome: AcquirerOutcome;
  acquirerReference: string | null;
  reason: string | null;
  decidedAt: string | null;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function bad(line: number, key: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError('VALIDATION', `handoff.line_${key}`, undefined, { line, ...details });
}

/** Splits RFC 4180 CSV into records with the (1-based) line each starts on. */
export function csvRecords(text: string): { line: number; cells: string[] }[] {
  const records: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0] === '')) records.push({ line: start, cells });
    cells = [];
    cell = '';
  };
  for (; i < text.length; i += 1) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 1;
        } else quoted = false;
      } else {
        if (ch === '\n') line += 1;
        cell += ch;
      }
    } else if (ch === '"') {
      if (cell !== '') throw bad(line, 'quote');
      quoted = true;
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      endRecord();
      line += 1;
      start = line;
    } else cell += ch;
  }
  if (quoted) throw bad(start, 'quote');
  if (cell !== '' || cells.length > 0) endRecord();
  return records;
}

export function parseOutcomeFile(text: string): OutcomeLine[] {
  const records = csvRecords(text);
  const header = records.shift();
  if (!header || header.cells.map((c) => c.trim().toLowerCase()).join(',') !== OUTCOME_FILE_HEADER.join(',')) throw bad(header?.line ?? 1, 'header');
  if (records.length === 0) throw bad(2, 'empty');
  const seen = new Map<string, OutcomeLine>();
  const lines: OutcomeLine[] = [];
  for (const { line, cells } of records) {
    if (cells.length !== OUTCOME_FILE_HEADER.length) throw bad(line, 'columns', { found: cells.length });
    const [number = '', outcome = '', reference = '', reason = '', decidedAt = ''] = cells.map((c) => c.trim());
    if (!applicationNumber.safeParse(number).success) throw bad(line, 'number');
    if (!(ACQUIRER_OUTCOMES as readonly string[]).includes(outcome)) throw bad(line, 'outcome');
    if (reference !== '' && !acquirerReference.safeParse(reference).success) throw bad(line, 'reference');
    if (reason !== '' && !acquirerReason.safeParse(reason).success) throw bad(line, 'reason');
    if (outcome === 'unbind_failed' && reason === '') throw bad(line, 'reason_required');
    if (decidedAt !== '' && (!ISO_INSTANT.test(decidedAt) || Number.isNaN(Date.parse(decidedAt)))) throw bad(line, 'time');
    const parsed: OutcomeLine = {
      line,
      number,
      outcome: outcome as AcquirerOutcome,
      acquirerReference: reference || null,
      reason: outcome === 'unbind_failed' ? reason : null,
      decidedAt: decidedAt || null,
    };
    const before = seen.get(number);
    if (before) {
      // The same line twice is harmless; two different outcomes for one request are not.
      if (before.outcome !== parsed.outcome) throw bad(line, 'contradicts', { other: before.line });
      continue;
    }
    seen.set(number, parsed);
    lines.push(parsed);
  }
  return lines;
}

/**
 * Reads an outcome file and records every line in ONE transaction: a line about an unknown number, a request
 * the counter has not completed, or an outcome other than the one already recorded refuses the whole file,
 * naming the line; nothing is recorded then.
 */
export function importOutcomeFile(
  core: CoreContext,
  actorId: number | null,
  fileName: string,
  text: string,
  /** The acquirer's key the file's signature verified with (its fingerprint); null: imported unsigned (no key configured). */
  keyFingerprint: string | null = null,
): { lines: number; recorded: number; duplicates: number } {
  const lines = parseOutcomeFile(text);
  return core.db.transaction(() => {
    let recorded = 0;
    let duplicates = 0;
    for (const line of lines) {
      const known = statement(core.db, 'SELECT status FROM applications WHERE number = ?').get(line.number) as { status: string } | undefined;
      if (!known) throw bad(line.line, 'unknown_number', { number: line.number });
      try {
        const result = recordAcquirerOutcome(core, { number: line.number, outcome: line.outcome, reason: line.reason, acquirerReference: line.acquirerReference, decidedAt: line.decidedAt, source: 'batch' });
        if (result.result === 'recorded') recorded += 1;
        else duplicates += 1;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        if (error.messageKey === 'acquirer.outcome_conflict') throw bad(line.line, 'conflict', { number: line.number });
        if (error.code === 'INVALID_TRANSITION') throw bad(line.line, 'status', { number: line.number, status: known.status });
        if (error.code === 'DAY_CLOSED') throw error;
        throw bad(line.line, 'status', { number: line.number, status: known.status });
      }
    }
    appendAudit(core.db, { actorId, action: 'acquirer.outcome_file', entity: 'acquirer', entityId: null, details: { fileName: fileName.slice(0, 255), lines: lines.length, recorded, duplicates, keyFingerprint } }, core.clock.now());
    return { lines: lines.length, recorded, duplicates };
  })();
}

/**
 * An outcome file as it came (its exact bytes) and its detached signature (the `.sig`'s text, or null when there is
 * none): with the acquirer's key configured, refused whole unless the signature verifies (outcomeSignature.ts); then
 * read and recorded as importOutcomeFile does, audited with the key's fingerprint.
 */
export function importSignedOutcomeFile(core: CoreContext, actorId: number | null, fileName: string, bytes: Buffer, signature: string | null): { lines: number; recorded: number; duplicates: number } {
  const fingerprint = checkOutcomeSignature(core, fileName, bytes, signature);
  return importOutcomeFile(core, actorId, fileName, bytes.toString('utf8'), fingerprint);
}

/** The words of a refused outcome file for the watched folder's `.error.txt` (the screens' words, renderer/i18n/messages.*.json). */
const LINE_MESSAGES: Readonly<Record<string, { zh: string; en: string }>> = {
  'handoff.signature_missing': { zh: "缺少签名文件 {{file}}.sig：回执文件须附收单机构的签名", en: "The signature file {{file}}.sig is missing: an outcome file must come with the acquirer's signature" },
  'handoff.signature_invalid': { zh: "{{file}} 的签名验证未通过：文件在签名后被改动，或不是由已配置公钥（指纹 {{fingerprint}}…）对应的收单机构签名", en: "The signature of {{file}} does not verify: the file was changed after it was signed, or it was not signed with the configured acquirer key (fingerprint {{fingerprint}}…)" },
  'handoff.file_too_large': { zh: "回执文件过大（最多 60 万字符，约 7000 行），请分批导入", en: "The outcome file is too large (600,000 characters at most, about 7,000 lines); import it in parts" },
  'handoff.line_header': { zh: "第 {{line}} 行：表头应为 application_number,outcome,acquirer_reference,reason,decided_at", en: "Line {{line}}: the header must be application_number,outcome,acquirer_reference,reason,decided_at" },
  'handoff.line_empty': { zh: "回执文件没有任何记录", en: "The outcome file holds no lines" },
  'handoff.line_quote': { zh: "第 {{line}} 行：引号不成对", en: "Line {{line}}: unbalanced quotes" },
  'handoff.line_columns': { zh: "第 {{line}} 行：应有 5 列，实际 {{found}} 列", en: "Line {{line}}: 5 columns expected, {{found}} found" },
  'handoff.line_number': { zh: "第 {{line}} 行：申请编号格式不正确", en: "Line {{line}}: the application number is malformed" },
  'handoff.line_outcome': { zh: "第 {{line}} 行：结果只能是 unbound（已解绑）或 unbind_failed（解绑失败）", en: "Line {{line}}: the outcome must be unbound or unbind_failed" },
  'handoff.line_reference': { zh: "第 {{line}} 行：收单机构受理编号格式不正确（1至64个可见字符）", en: "Line {{line}}: the acquirer reference is malformed (1 to 64 visible characters)" },
  'handoff.line_reason': { zh: "第 {{line}} 行：原因须为一行文字，不超过200字", en: "Line {{line}}: the reason must be one line of at most 200 characters" },
  'handoff.line_reason_required': { zh: "第 {{line}} 行：解绑失败必须写明原因", en: "Line {{line}}: an unbinding failure needs its reason" },
  'handoff.line_time': { zh: "第 {{line}} 行：处理时间格式不正确（应为带时区的 ISO 8601 时间）", en: "Line {{line}}: the time is malformed (ISO 8601 with an offset)" },
  'handoff.line_contradicts': { zh: "第 {{line}} 行：与第 {{other}} 行对同一申请给出了不同结果", en: "Line {{line}}: gives another outcome for the same request than line {{other}}" },
  'handoff.line_unknown_number': { zh: "第 {{line}} 行：申请编号 {{number}} 在本网点不存在", en: "Line {{line}}: application {{number}} does not exist at this branch" },
  'handoff.line_status': { zh: "第 {{line}} 行：申请 {{number}} 尚未办结或已有结果，不能登记此结果", en: "Line {{line}}: application {{number}} is not completed, or already has an outcome; this one cannot be recorded" },
  'handoff.line_conflict': { zh: "第 {{line}} 行：申请 {{number}} 已登记了不同的处理结果", en: "Line {{line}}: application {{number}} already has a different outcome" },
};

/** A refusal of an outcome file in words, Chinese first, for branch IT reading the folder. */
export function outcomeFileRefusal(error: DomainError): string {
  const texts = LINE_MESSAGES[error.messageKey];
  const fill = (template: string) => template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(error.details?.[key] ?? ''));
  return texts ? `${fill(texts.zh)}\n${fill(texts.en)}` : error.messageKey;
}
