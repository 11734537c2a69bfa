import { useCallback, useEffect, useRef, useState } from 'react';
import { useFormContext, useWatch } from 'react-hook-form';
import { normalizeKeyed, type ApplicationFormValues, type ReaderStatusView } from '../../../../shared';
import { call } from '../../../api/client';

export type ChipReadView = NonNullable<ReaderStatusView['read']>;

const POLL_MS = 500;

/**
 * The ID card reader while the document step is open (issue 14): tells the core the step is open, asks for
 * its state about every 500 ms (which keeps the core polling the reader), fills the form from a new read,
 * and turns the request back into manual keying when a chip-filled field is then changed by hand.
 * F4 reads the card again.
 */
export function useChipReader(active: boolean, applicationId?: number) {
  const { control, setValue, getValues } = useFormContext<ApplicationFormValues>();
  const [status, setStatus] = useState<ReaderStatusView | null>(null);
  const [applied, setApplied] = useState<ChipReadView | null>(null);
  // The read the form was filled from; once applied (or overridden by the teller's keys) a read is never
  // applied again: only a new read (F4, another card) fills the form again.
  const appliedId = useRef<string | null>(getValues('verification.chipReadId') ?? null);
  const seenIds = useRef(new Set<string>(appliedId.current === null ? [] : [appliedId.current]));

  const apply = useCallback(
    (read: ChipReadView) => {
      const f = read.facts;
      const opts = { shouldValidate: true, shouldDirty: true, shouldTouch: true };
      setValue('applicant.documentType', f.documentType, opts);
      setValue('applicant.documentNumber', f.documentNumber, opts);
      setValue('applicant.name', f.name, opts);
      setValue('applicant.documentExpiry', f.validTo, opts);
      // Birth date and sex come from the number of these documents; typed ones would only contradict.
      setValue('applicant.birthDate', undefined);
      setValue('applicant.sex', undefined);
      setValue('verification.method', 'chip', opts);
      setValue('verification.chipReadId', read.readId);
      setValue('verification.documentNumberReentry', '');
      appliedId.current = read.readId;
      seenIds.current.add(read.readId);
      setApplied(read);
    },
    [setValue],
  );

  const take = useCallback(
    (next: ReaderStatusView) => {
      setStatus(next);
      if (next.read && !seenIds.current.has(next.read.readId)) apply(next.read);
      else if (next.read && next.read.readId === appliedId.current) setApplied(next.read);
    },
    [apply],
  );

  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const result = await call('reader.status', {});
      if (stopped) return;
      if (result.ok) take(result.value);
      timer = setTimeout(() => void poll(), POLL_MS);
    };
    void call('reader.watch', { on: true, ...(applicationId !== undefined ? { applicationId } : {}) }).then((result) => {
      if (stopped) return;
      if (result.ok) take(result.value);
      timer = setTimeout(() => void poll(), POLL_MS);
    });
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      void call('reader.watch', { on: false });
    };
  }, [active, applicationId, take]);

  const readAgain = useCallback(async () => {
    const result = await call('reader.readAgain', {});
    if (result.ok) {
      // F4 on the card already applied: the fresh read replaces it (a new read id, the same facts).
      take(result.value);
    }
  }, [take]);

  useEffect(() => {
    if (!active) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'F4') return;
      event.preventDefault();
      void readAgain();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active, readAgain]);

  // A keyed change to a chip-filled field: the request is keyed by hand again (keyed twice + supervisor).
  const [type, number, name, expiry, method] = useWatch({
    control,
    name: ['applicant.documentType', 'applicant.documentNumber', 'applicant.name', 'applicant.documentExpiry', 'verification.method'],
  });
  useEffect(() => {
    if (method !== 'chip' || applied === null) return;
    const f = applied.facts;
    const same = type === f.documentType && normalizeKeyed(number ?? '') === f.documentNumber && (name ?? '').trim() === f.name && expiry === f.validTo;
    if (!same) {
      setValue('verification.method', 'manual', { shouldDirty: true });
      setValue('verification.chipReadId', undefined);
      appliedId.current = null;
      setApplied(null);
    }
  }, [type, number, name, expiry, method, applied, setValue]);

  return { status, applied, readAgain };
}
