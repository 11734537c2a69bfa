import type { Db } from '../db/connection';
import { statement } from '../db/statements';

export interface BranchProfile {
  code: string;
  name: string;
  bankName: string;
  timeZone: string;
  /** The counter (desk) number within the branch, 01–99; null on an installation set up before desks were numbered, until its admin sets it. */
  desk: string | null;
}

export function readBranchProfile(db: Db): BranchProfile | null {
  const row = statement(db, 'SELECT code, name, bank_name AS bankName, time_zone AS timeZone, desk FROM branch_profile WHERE id = 1')
    .get() as BranchProfile | undefined;
  return row ?? null;
}

/** Writes the profile. The desk is written only when given (settings change the rest, never the desk). */
export function writeBranchProfile(db: Db, profile: Omit<BranchProfile, 'desk'> & { desk?: string | null }, at: Date): void {
  statement(db,
    `INSERT INTO branch_profile (id, code, name, bank_name, time_zone, desk, created_at)
     VALUES (1, @code, @name, @bankName, @timeZone, @desk, @at)
     ON CONFLICT (id) DO UPDATE SET code = @code, name = @name, bank_name = @bankName, time_zone = @timeZone`,
  ).run({ ...profile, desk: profile.desk ?? null, at: at.toISOString() });
}

/** Sets the desk number once; false when the installation already has one (it is never changed in place). */
export function setDeskNumber(db: Db, desk: string): boolean {
  return statement(db, 'UPDATE branch_profile SET desk = ? WHERE id = 1 AND desk IS NULL').run(desk).changes === 1;
}

/**
 * The profile from a database that may not be migrated yet (the CLI opens data folders read-only): before
 * migration 013 there is no desk column, and the desk is null as it will be after the migration.
 */
export function readBranchProfileOfAnyVersion(db: Db): BranchProfile | null {
  const hasTable = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'branch_profile'").get() as { n: number };
  if (hasTable.n === 0) return null;
  const hasDesk = db.prepare("SELECT count(*) AS n FROM pragma_table_info('branch_profile') WHERE name = 'desk'").get() as { n: number };
  if (hasDesk.n === 1) return readBranchProfile(db);
  const row = db.prepare('SELECT code, name, bank_name AS bankName, time_zone AS timeZone FROM branch_profile WHERE id = 1').get() as Omit<BranchProfile, 'desk'> | undefined;
  return row ? { ...row, desk: null } : null;
}
