import { useEffect, useState } from 'react';
import { call } from '../../api/client';

/** Sent on the window when a call result was recorded, so the badge counts again at once. */
export const CALL_TASKS_CHANGED = 'counter:call-tasks-changed';

/** How many call tasks are due today, for the badge on 回访电话: asked again on each screen change and every minute. */
export function useDueCallCount(screen: string, locked: boolean): number {
  const [count, setCount] = useState(0);
  useEffect(() => {
    if (locked) return;
    let live = true;
    const ask = () =>
      void call('notifications.callTasks.list', { scope: 'due' }).then((result) => {
        if (live && result.ok) setCount(result.value.tasks.length);
      });
    ask();
    const timer = setInterval(ask, 60_000);
    window.addEventListener(CALL_TASKS_CHANGED, ask);
    return () => {
      live = false;
      clearInterval(timer);
      window.removeEventListener(CALL_TASKS_CHANGED, ask);
    };
  }, [screen, locked]);
  return count;
}
