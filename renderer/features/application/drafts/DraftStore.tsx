import { createContext, useContext, useRef, type ReactNode } from 'react';
import type { DefaultValues } from 'react-hook-form';
import type { ApplicationFormValues } from '../../../../shared';

export type ApplicationDraft = DefaultValues<ApplicationFormValues>;

export interface DraftStore {
  get(applicationId: number): ApplicationDraft | undefined;
  /** `typed`: the teller changed something, so the draft now holds work the core has not seen. */
  put(applicationId: number, draft: ApplicationDraft, typed?: boolean): void;
  /** The core accepted what was typed: the draft is no longer unsent work. */
  sent(applicationId: number): void;
  drop(applicationId: number): void;
  /** Requests with typed work the core has not seen, which a log-out would lose. */
  unsent(): number[];
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
  const unsent = useRef(new Set<number>());
  const store = useRef<DraftStore>({
    get: (id) => drafts.current.get(id),
    put: (id, draft, typed) => {
      drafts.current.set(id, draft);
      if (typed) unsent.current.add(id);
    },
    sent: (id) => void unsent.current.delete(id),
    drop: (id) => {
      drafts.current.delete(id);
      unsent.current.delete(id);
    },
    unsent: () => [...unsent.current],
  });
  return <DraftContext.Provider value={store.current}>{props.children}</DraftContext.Provider>;
}
