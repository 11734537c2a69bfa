// The ID card reader in the contract: its settings (admin, branch IT) and the form's polling methods.
// The reader as branch IT configures it (settings screen, admin only). Validated here, in the core: a path
// or port from the renderer is untrusted like any other input.
import { z } from 'zod';
import { defineMethod } from './method';

export const SERIAL_BAUD_RATES = [9600, 19200, 38400, 57600, 115200] as const;

const plainPath = z
  .string()
  .trim()
  .min(1, 'reader.settings.path_required')
  .max(260, 'reader.settings.path_too_long')
  .refine((p) => !/\p{Cc}/u.test(p), 'reader.settings.path_format');

export const cardReaderSettingsSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({
    kind: z.literal('serial'),
    // /dev/ttyUSB0, /dev/ttyACM0, COM3, \\.\COM12
    path: plainPath.refine((p) => /^(\/dev\/[\w./-]+|COM\d{1,3}|\\\\\.\\COM\d{1,3})$/u.test(p), 'reader.settings.serial_path_format'),
    baudRate: z.union(SERIAL_BAUD_RATES.map((b) => z.literal(b)) as [z.ZodLiteral<number>, ...z.ZodLiteral<number>[]], {
      error: 'reader.settings.baud_rate',
    }),
  }),
  z.strictObject({
    kind: z.literal('vendor_library'),
    // An absolute path to the vendor's .dll or .so (a bare name would be searched for along PATH).
    libraryPath: plainPath.refine((p) => /^(\/|[A-Za-z]:\\)/u.test(p) && /\.(dll|so(\.\d+)*)$/iu.test(p), 'reader.settings.library_path_format'),
    // sdtapi ports: serial 1–16, USB 1001–1016.
    port: z
      .number()
      .int()
      .refine((n) => (n >= 1 && n <= 16) || (n >= 1001 && n <= 1016), 'reader.settings.port_range'),
  }),
]);

export type CardReaderSettings = z.infer<typeof cardReaderSettingsSchema>;

export const CARD_READ_ERRORS = [
  'not_configured', 'not_found', 'no_card', 'card_removed', 'timeout', 'sam_error', 'checksum', 'bad_frame',
  'unknown_card_type', 'bad_text_block', 'chip_number_invalid', 'library_error',
] as const;

const chipFactsSchema = z.object({
  documentType: z.enum(['resident_id', 'hmt_residence_permit', 'foreign_permanent_resident']),
  name: z.string(),
  englishName: z.string().optional(),
  sex: z.enum(['M', 'F']),
  birthDate: z.string(),
  documentNumber: z.string(),
  nation: z.object({ code: z.string(), name: z.string() }).optional(),
  nationality: z.string().optional(),
  address: z.string().optional(),
  issuingAuthority: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  passNumber: z.string().optional(),
  issueCount: z.string().optional(),
});

/** What a chip read leaves as evidence: no personal data. */
export const chipEvidenceSchema = z.object({
  readerKind: z.enum(['serial', 'vendor_library', 'simulated']),
  samId: z.string(),
  readAt: z.string(),
  textSha256: z.string(),
  photoSha256: z.string(),
});
export type ChipEvidenceView = z.infer<typeof chipEvidenceSchema>;

export const readerStatusSchema = z.object({
  configured: z.boolean(),
  kind: z.enum(['none', 'serial', 'vendor_library', 'simulated']),
  watching: z.boolean(),
  state: z.enum(['off', 'waiting', 'error']),
  error: z.enum(CARD_READ_ERRORS).nullable(),
  seq: z.number().int(),
  read: z
    .object({
      readId: z.string(),
      facts: chipFactsSchema,
      evidence: chipEvidenceSchema,
      /** The decoded photo as a BMP data URL, when the reader's library decodes WLT; null otherwise. */
      photoDataUrl: z.string().nullable(),
    })
    .nullable(),
});
export type ReaderStatusView = z.infer<typeof readerStatusSchema>;

export const cardReaderMethods = {
  /** The form's document step opened (on) or closed (off): the core polls the reader only meanwhile. */
  'reader.watch': defineMethod({
    access: 'personal',
    // The request whose document step opened: a read belongs to it, and is never offered to another request.
    input: z.strictObject({ on: z.boolean(), applicationId: z.number().int().positive().optional() }),
    output: readerStatusSchema,
  }),
  /** The latest state; the renderer asks about every 500 ms while the step is open (this keeps the watch alive). */
  'reader.status': defineMethod({ access: 'personal', input: z.strictObject({}), output: readerStatusSchema }),
  /** F4: read the card on the reader again now. */
  'reader.readAgain': defineMethod({ access: 'personal', input: z.strictObject({}), output: readerStatusSchema }),
};
