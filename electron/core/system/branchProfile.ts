import type { Db } from '../db/connection';
import { statement } from '../db/statements';

export interface BranchProfile {
  code: string;
  name: string;
  bankName: string;
  timeZone: string;
}

export function readBranchProfile(db: Db): BranchProfile | null {
  const row = statement(db, 'SELECT code, name, bank_name AS bankName, time_zone AS timeZone FROM branch_profile WHERE id = 1')
    .get() as BranchProfile | undefined;
  return row ?? null;
}

export function writeBranchProfile(db: Db, profile: BranchProfile, at: Date): void {
  statement(db,
    `INSERT INTO branch_profile (id, code, name, bank_name, time_zone, created_at)
     VALUES (1, @code, @name, @bankName, @timeZone, @at)
     ON CONFLICT (id) DO UPDATE SET code = @code, name = @name, bank_name = @bankName, time_zone = @timeZone`,
  ).run({ ...profile, at: at.toISOString() });
}
