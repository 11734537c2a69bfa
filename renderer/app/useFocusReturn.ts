import { useEffect, useState } from 'react';
import { focusLost } from './modalDialog';

/**
 * A dialog that is mounted only while open has no close animation in which antd could give the focus back:
 * it goes to <body> and ↑/↓/Enter do nothing. This hands it back to the element that had it before.
 */
export function useFocusReturn(): void {
  // Read while rendering, before the dialog's own effects move the focus into it.
  const [before] = useState(() => document.activeElement);
  useEffect(
    () => () => {
      requestAnimationFrame(() => {
        if (focusLost() && before instanceof HTMLElement && before.isConnected) before.focus({ preventScroll: true });
      });
    },
    [before],
  );
}
