import { createContext, useContext } from 'react';

/** Where the workspace is: the queue board, one request, the branch settings, the day close, the call tasks, or the hand-off. */
export type WorkspaceView =
  | { screen: 'board' }
  | { screen: 'application'; id: number }
  | { screen: 'settings' }
  | { screen: 'dayclose' }
  | { screen: 'calls' }
  | { screen: 'handoff' };

export interface Navigation {
  view: WorkspaceView;
  go(view: WorkspaceView): void;
  /** A walk-in registered from anywhere (F2): the board selects it next time it shows. */
  lastRegisteredId: number | null;
}

export const NavigationContext = createContext<Navigation | null>(null);

export function useNavigation(): Navigation {
  const navigation = useContext(NavigationContext);
  if (!navigation) throw new Error('useNavigation outside the workspace');
  return navigation;
}
