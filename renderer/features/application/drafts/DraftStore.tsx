import { createContext, useContext, useRef, type ReactNode } from 'react';
import type { DefaultValues } from 'react-hook-form';
import type { ApplicationFormValues } from '../../../../shared';

export type ApplicationDraft = DefaultValues<ApplicationFormValues>;

export interface DraftStore {
  get(applicationId: number): ApplicationDraft | undefined;
  put(applicationId: number, draft: ApplicationDraft): void;
  drop(applicationId: number): void;
}

const DraftContext = createContext<DraftStore | null>(null);

export function useDrafts(): DraftStore {
  const store = useContext(DraftContext);
  if (!store) throw new Error('useDrafts outside DraftProvider');
  return store;
}

/**
 * What the teller has typed into each request, kept in memory only: a failed submit, a lock or a look at
 * another request loses nothing. Never written to localStorage or anywhere else in the browser — it is
 * personal data — and gone when the teller logs out (the provider unmounts with the workspace).
 */
export function DraftProvider(props: { children: ReactNode }) {
  const drafts = useRef(new Map<number, ApplicationDraft>());
  const store = useRef<DraftStore>({
    get: (id) => drafts.current.get(id),
    put: (id, draft) => void drafts.current.set(id, draft),
    drop: (id) => void drafts.current.delete(id),
  });
  return <DraftContext.Provider value={store.current}>{props.children}</DraftContext.Provider>;
}
