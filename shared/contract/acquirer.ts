import { z } from 'zod';
import { defineMethod } from './method';

export const handoffRowSchema = z.object({
  applicationId: z.number().int(),
  number: z.string(),
  status: z.string(),
  state: z.enum(['waiting', 'sending', 'accepted', 'done', 'failed']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  acquirerReference: z.string().nullable(),
  /** Whole days since the hand-off was sent (or made, when not sent yet). */
  daysWaiting: z.number().int(),
});
export type HandoffRow = z.infer<typeof handoffRowSchema>;

export const handoffOverviewSchema = z.object({
  channel: z.enum(['off', 'https', 'batch']),
  overdueDays: z.number().int(),
  counts: z.object({ waiting: z.number().int(), sent: z.number().int(), failed: z.number().int(), overdue: z.number().int(), done: z.number().int() }),
  waiting: z.array(handoffRowSchema),
  sent: z.array(handoffRowSchema),
  failed: z.array(handoffRowSchema),
  overdue: z.array(handoffRowSchema),
  /**
   * The acquirer's outcome files: the watched folder (null: none), the fingerprint (SHA-256 of the SPKI DER, hex) of
   * the key their signatures must verify with (null: none configured, and the folder imports nothing), and how many
   * files wait in the folder.
   */
  outcomeFiles: z.object({ folder: z.string().nullable(), keyFingerprint: z.string().nullable(), waiting: z.number().int() }),
});

/** The largest outcome file taken: 600,000 characters (about 7,000 lines), so that it fits the 2 MB a call may carry even in Chinese. */
export const OUTCOME_FILE_MAX_CHARS = 600_000;

export const outcomeImportSchema = z.object({
  lines: z.number().int(),
  recorded: z.number().int(),
  duplicates: z.number().int(),
});

export const acquirerMethods = {
  /** 交接与回执: what waits to be sent, what was sent, what failed and why, what is overdue. */
  'handoff.overview': defineMethod({
    access: 'personal',
    roles: ['supervisor', 'admin'],
    input: z.strictObject({}),
    output: handoffOverviewSchema,
  }),
  'handoff.retry': defineMethod({
    access: 'personal',
    roles: ['supervisor'],
    input: z.strictObject({ applicationId: z.number().int().positive() }),
    output: handoffOverviewSchema,
  }),
  /**
   * An acquirer's outcome file (CSV), read whole: every line checked first; one bad line and nothing is recorded.
   * `text` is the file's bytes decoded as UTF-8 with nothing dropped (a BOM kept as U+FEFF), so that its UTF-8 is the
   * file's exact bytes; `signature` is its `.sig`'s text, required when the acquirer's key is configured.
   */
  'handoff.importOutcomes': defineMethod({
    access: 'personal',
    roles: ['supervisor'],
    input: z.strictObject({
      fileName: z.string().trim().min(1).max(255),
      text: z.string().max(OUTCOME_FILE_MAX_CHARS, 'handoff.file_too_large'),
      signature: z.string().max(2048, 'handoff.signature_invalid').optional(),
    }),
    output: outcomeImportSchema,
  }),
};
