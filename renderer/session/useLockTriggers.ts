import { useEffect } from 'react';

// Input that shows someone is at the counter. Pointer moves count: a teller reading a document with the
// mouse in hand is still there.
const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

/** F12 or Ctrl+L: the teller steps away and locks on purpose. */
export function isLockShortcut(event: KeyboardEvent): boolean {
  return event.key === 'F12' || (event.ctrlKey && !event.altKey && !event.shiftKey && (event.key === 'l' || event.key === 'L'));
}

/**
 * Locks the screen after `idleMinutes` without keyboard or pointer input, and on F12 / Ctrl+L. One timer
 * is armed for the deadline and re-armed for what is left when it fires early, so constant mouse movement
 * costs a timestamp, not a timer.
 */
export function useLockTriggers(options: { lock: () => void; idleMinutes: number; active: boolean }): void {
  const { lock, idleMinutes, active } = options;

  useEffect(() => {
    if (!active) return;
    const onShortcut = (event: KeyboardEvent) => {
      if (!isLockShortcut(event)) return;
      event.preventDefault();
      lock();
    };
    window.addEventListener('keydown', onShortcut, true);
    return () => window.removeEventListener('keydown', onShortcut, true);
  }, [lock, active]);

  useEffect(() => {
    if (!active || idleMinutes <= 0) return;
    const limitMs = idleMinutes * 60_000;
    let lastActivity = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = (delay: number) => {
      timer = setTimeout(check, delay);
    };
    const check = () => {
      const idle = Date.now() - lastActivity;
      if (idle >= limitMs) lock();
      else arm(limitMs - idle);
    };
    const onActivity = () => {
      lastActivity = Date.now();
    };
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, onActivity, { capture: true, passive: true });
    arm(limitMs);
    return () => {
      clearTimeout(timer);
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, onActivity, { capture: true });
    };
  }, [lock, idleMinutes, active]);
}
