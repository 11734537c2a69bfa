import { z } from 'zod';
import { authorizationPolicySchema } from '../rules';
import { defineMethod } from './method';
import { printerNameSchema } from './printing';
import { cardReaderSettingsSchema } from './cardReader';
import { branchCode, branchName } from './auth';

const pemPath = z.string().trim().min(1, 'settings.identity_check_file').max(1024, 'settings.identity_check_file').nullable();

export const identityCheckSettingsSchema = z.strictObject({
  url: z.string().trim().min(1, 'settings.identity_check_url').max(500, 'settings.identity_check_url'),
  timeoutMs: z.number().int('settings.identity_check_timeout_range').min(1000, 'settings.identity_check_timeout_range').max(60_000, 'settings.identity_check_timeout_range'),
  clientCertPath: pemPath,
  clientKeyPath: pemPath,
  caPath: pemPath,
});
/**
 * Where completed requests go (README "Acquirer hand-off"): off, the acquirer's HTTPS API, or a batch file
 * folder. Certificates are files branch IT places on the machine (PEM); the settings name them.
 */
const filePath = z.string().trim().min(1).max(1024).nullable();
export const acquirerSettingsSchema = z
  .strictObject({
    channel: z.enum(['off', 'https', 'batch']),
    https: z.strictObject({
      url: z.string().trim().max(500),
      caFile: filePath,
      clientCertFile: filePath,
      clientKeyFile: filePath,
      timeoutSeconds: z.number().int().min(1, 'settings.acquirer_timeout_range').max(120, 'settings.acquirer_timeout_range'),
      pollMinutes: z.number().int().min(1, 'settings.acquirer_poll_range').max(1440, 'settings.acquirer_poll_range'),
    }),
    batch: z.strictObject({
      outFolder: filePath,
      outcomeFolder: filePath,
      /**
       * The acquirer's public key (PEM; Ed25519 or ECDSA P-256) its outcome files are signed with: the core checks it
       * when saved and imports only files whose `.sig` verifies against it. Absent in settings saved before (null).
       */
      outcomePublicKey: z.string().trim().max(4096, 'settings.acquirer_public_key_invalid').nullable().default(null),
    }),
    overdueDays: z.number().int().min(1, 'settings.acquirer_overdue_range').max(60, 'settings.acquirer_overdue_range'),
  })
  .superRefine((value, ctx) => {
    if (value.channel === 'https') {
      // TLS only: an https:// address with a host (the core parses it again with the URL class before use).
      if (!/^https:\/\/[^\s/?#@]+(\/[^\s]*)?$/i.test(value.https.url)) ctx.addIssue({ code: 'custom', path: ['https', 'url'], message: 'settings.acquirer_https_only' });
      if ((value.https.clientCertFile === null) !== (value.https.clientKeyFile === null)) {
        ctx.addIssue({ code: 'custom', path: ['https', 'clientKeyFile'], message: 'settings.acquirer_client_pair' });
      }
    }
    if (value.channel === 'batch' && value.batch.outFolder === null) ctx.addIssue({ code: 'custom', path: ['batch', 'outFolder'], message: 'settings.acquirer_folder_required' });
  });
export type AcquirerSettings = z.infer<typeof acquirerSettingsSchema>;

export const settingsSchema = z.object({
  branch: z.object({ code: z.string(), name: z.string(), bankName: z.string() }),
  authorizationPolicy: authorizationPolicySchema,
  idleLockMinutes: z.number().int(),
  retentionYears: z.number().int(),
  slip: z.object({ layout: z.enum(['a5', 'roll80']), parts: z.enum(['customer', 'bank', 'both']) }),
  printer: z.object({ mode: z.enum(['dialog', 'silent']), name: z.string().nullable() }),
  slipPrinters: z.object({ a5: z.string().nullable(), roll80: z.string().nullable() }),
  exportDir: z.string().nullable(),
  /** The 联网核查 middleware (README, "联网核查"); null: none, the teller keys the result. */
  identityCheck: identityCheckSettingsSchema.nullable(),
  acquirer: acquirerSettingsSchema,
  cardReader: cardReaderSettingsSchema,
});

export const settingsMethods = {
  'settings.get': defineMethod({
    access: 'personal',
    input: z.strictObject({}),
    output: settingsSchema,
  }),
  'settings.update': defineMethod({
    access: 'personal',
    roles: ['admin'],
    input: z.strictObject({
      branch: z.strictObject({ code: branchCode, name: branchName, bankName: branchName }).optional(),
      authorizationPolicy: authorizationPolicySchema.optional(),
      idleLockMinutes: z.number().int().min(1, 'settings.idle_range').max(120, 'settings.idle_range').optional(),
      retentionYears: z.number().int().min(5, 'settings.retention_range').max(30, 'settings.retention_range').optional(),
      slip: z.strictObject({ layout: z.enum(['a5', 'roll80']), parts: z.enum(['customer', 'bank', 'both']) }).optional(),
      printer: z.strictObject({ mode: z.enum(['dialog', 'silent']), name: z.string().trim().min(1).max(200).nullable() }).optional(),
      /** The spooler's printer for each paper; the core refuses a name the spooler does not have. */
      slipPrinters: z.strictObject({ a5: printerNameSchema.nullable(), roll80: printerNameSchema.nullable() }).optional(),
      exportDir: z.string().max(1024).nullable().optional(),
      /** Admin only; the core checks the URL (https only) and that each PEM file parses and the key fits the certificate. */
      identityCheck: identityCheckSettingsSchema.nullable().optional(),
      acquirer: acquirerSettingsSchema.optional(),
      cardReader: cardReaderSettingsSchema.optional(),
    }),
    output: settingsSchema,
  }),
};
