import type { HandoffRow } from '../../../shared';
import type { CoreContext } from '../context';
import type { Handlers } from '../rpc/router';
import { requireActor } from '../auth/handlers';
import { statement } from '../db/statements';
import { readSettings } from '../settings';
import { retryHandoff } from './outbox';
import { importSignedOutcomeFile } from './outcomeFile';
import { configuredOutcomeKey } from './outcomeSignature';
import { outcomeFilesIn } from './batchChannel';

const LIST_LIMIT = 200;
const DAY_MS = 86_400_000;

interface Row {
  application_id: number;
  number: string;
  status: string;
  state: HandoffRow['state'];
  attempts: number;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
  acquirer_reference: string | null;
}

/** 交接与回执 for supervisors: the outbox by state, and the requests whose outcome is overdue. */
export function handoffOverview(core: CoreContext) {
  const settings = readSettings(core.db).acquirer;
  const now = core.clock.now();
  const cutoff = new Date(now.getTime() - settings.overdueDays * DAY_MS).toISOString();
  const columns = `o.application_id, o.number, a.status, o.state, o.attempts, o.last_error, o.created_at, o.sent_at, o.acquirer_reference`;
  const toRow = (row: Row): HandoffRow => ({
    applicationId: row.application_id,
    number: row.number,
    status: row.status,
    state: row.state,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    acquirerReference: row.acquirer_reference,
    daysWaiting: Math.max(0, Math.floor((now.getTime() - Date.parse(row.sent_at ?? row.created_at)) / DAY_MS)),
  });
  const list = (where: string, ...params: unknown[]) =>
    (statement(core.db, `SELECT ${columns} FROM acquirer_outbox o JOIN applications a ON a.id = o.application_id WHERE ${where} ORDER BY o.created_at LIMIT ${LIST_LIMIT}`).all(...params) as Row[]).map(toRow);
  const counts = statement(core.db,
    `SELECT sum(state IN ('waiting', 'sending')) AS waiting, sum(state = 'accepted') AS sent, sum(state = 'failed') AS failed, sum(state = 'done') AS done,
            sum(state IN ('waiting', 'sending', 'accepted') AND coalesce(sent_at, created_at) <= @cutoff) AS overdue
       FROM acquirer_outbox`,
  ).get({ cutoff }) as Record<'waiting' | 'sent' | 'failed' | 'done' | 'overdue', number | null>;
  return {
    channel: settings.channel,
    overdueDays: settings.overdueDays,
    counts: { waiting: counts.waiting ?? 0, sent: counts.sent ?? 0, failed: counts.failed ?? 0, overdue: counts.overdue ?? 0, done: counts.done ?? 0 },
    waiting: list("o.state IN ('waiting', 'sending')"),
    sent: list("o.state = 'accepted'"),
    failed: list("o.state = 'failed'"),
    // Awaited longer than the bank allows: sent (or made) before the cutoff and still without an outcome.
    overdue: list("o.state IN ('waiting', 'sending', 'accepted') AND coalesce(o.sent_at, o.created_at) <= ?", cutoff),
    outcomeFiles: {
      folder: settings.batch.outcomeFolder,
      keyFingerprint: configuredOutcomeKey(core)?.fingerprint ?? null,
      waiting: settings.batch.outcomeFolder ? outcomeFilesInSafely(settings.batch.outcomeFolder) : 0,
    },
  };
}

/** A folder gone or unreadable counts nothing here (the service logs it at its next look). */
function outcomeFilesInSafely(folder: string): number {
  try {
    return outcomeFilesIn(folder).length;
  } catch {
    return 0;
  }
}

export function acquirerHandlers(core: CoreContext): Pick<Handlers, 'handoff.overview' | 'handoff.retry' | 'handoff.importOutcomes'> {
  return {
    'handoff.overview': () => handoffOverview(core),
    'handoff.retry': (input, call) => {
      retryHandoff(core, requireActor(call).tellerId, input.applicationId);
      return handoffOverview(core);
    },
    // The text is the file's bytes decoded losslessly (contract): its UTF-8 is what the signature covers.
    'handoff.importOutcomes': (input, call) =>
      importSignedOutcomeFile(core, requireActor(call).tellerId, input.fileName, Buffer.from(input.text, 'utf8'), input.signature ?? null),
  };
}
