import type { z } from 'zod';

/**
 * Who may call a method.
 * - `public`: anyone, before login too (ping, info, setup, login).
 * - `session`: a logged-in teller, even while the screen is locked (unlock, logout).
 * - `personal`: a logged-in, unlocked teller; every method that reads or writes personal data.
 */
export type Access = 'public' | 'session' | 'personal';

export type Role = 'teller' | 'supervisor' | 'admin';

export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  access: Access;
  /** Roles allowed to call it; absent means every role. */
  roles?: readonly Role[];
}

export function defineMethod<I extends z.ZodType, O extends z.ZodType>(spec: MethodSpec<I, O>): MethodSpec<I, O> {
  return spec;
}
