import type { FieldPath, FieldValues, UseFormSetError } from 'react-hook-form';
import type { RpcError } from '../../shared';

/**
 * Puts a refusal's field errors back beside the fields they belong to. The core names fields by their
 * path in the method's input ('request.applicant.documentNumber' for applications.submit); `prefix` is the
 * part of that path outside the form. Returns the codes that belong to no field of this form, for a
 * message above it.
 */
export function applyServerFieldErrors<T extends FieldValues>(
  error: RpcError,
  setError: UseFormSetError<T>,
  options: { prefix?: string; isField: (path: string) => boolean },
): { placed: string[]; unplaced: string[] } {
  const placed: string[] = [];
  const unplaced: string[] = [];
  for (const [rawPath, code] of Object.entries(error.fields ?? {})) {
    const path = options.prefix && rawPath.startsWith(`${options.prefix}.`) ? rawPath.slice(options.prefix.length + 1) : rawPath;
    if (options.isField(path)) {
      setError(path as FieldPath<T>, { type: 'server', message: code }, { shouldFocus: placed.length === 0 });
      placed.push(path);
    } else {
      unplaced.push(code);
    }
  }
  return { placed, unplaced };
}
