import { useCallback, useEffect, useRef, type RefObject } from 'react';
import type { ApplicationDetail } from '../../../shared';
import { focusLost, modalDialogOpen } from '../../app/modalDialog';

/** The next thing the teller does with a request in this status, inside the request's screen. */
function nextActionSelector(a: ApplicationDetail): string | null {
  switch (a.status) {
    case 'waiting':
      return '[data-testid=start-review]';
    case 'in_review':
      // The form puts the keyboard on its own fields.
      return null;
    case 'pending_authorization':
      return '[data-testid=open-authorization]';
    case 'approved':
      return a.hasSignature ? '[data-testid=issue-slip]' : '[data-testid=signature-capture]';
    default:
      return '[data-testid=back-to-board]';
  }
}

// Often enough that a key pressed right after a dialog closes already finds the focus where it belongs.
const WATCH_MS = 150;

/**
 * Each step leaves the keyboard on, and scrolls into view, the next thing the teller does: after 提交申请 the
 * signature, after 保存签名 打印回执, after the slip 返回看板. It also picks the focus up wherever it fell to
 * <body> — a dialog mounted only while open, a button removed by the step it did (Chromium sends no blur
 * for a removed element, so this looks rather than listens). Never while a dialog is open: the dialog has it.
 * Returns the function a step calls once it is done.
 */
export function useNextAction(root: RefObject<HTMLElement | null>, application: ApplicationDetail | null, paused: boolean): () => void {
  // 'now': put the focus on the next action as soon as it is there; 'reload': a step was done, wait for the
  // request as it is now (the old one still points at the step just done); 'no': only pick up a lost focus.
  const pending = useRef<'now' | 'reload' | 'no'>('now');
  const state = useRef({ application, paused });
  state.current = { application, paused };

  // A click on plain text also leaves the focus on <body>: that was the teller's own doing, not a loss.
  const lastInput = useRef<'key' | 'pointer'>('key');
  useEffect(() => {
    const onKey = () => (lastInput.current = 'key');
    const onPointer = () => (lastInput.current = 'pointer');
    window.addEventListener('keydown', onKey, true);
    window.addEventListener('pointerdown', onPointer, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      window.removeEventListener('pointerdown', onPointer, true);
    };
  }, []);

  const settle = useCallback(() => {
    const { application: a, paused: held } = state.current;
    const host = root.current;
    if (!a || !host || held || pending.current === 'reload' || modalDialogOpen()) return;
    const moving = pending.current === 'now';
    if (!moving && (!focusLost() || lastInput.current === 'pointer')) return;
    const selector = nextActionSelector(a);
    if (!selector) {
      pending.current = 'no';
      return;
    }
    const target = host.querySelector<HTMLElement>(selector);
    // Not there yet (the signature pad loads on demand) or not yet usable: look again shortly.
    if (!target || target.matches(':disabled')) return;
    pending.current = 'no';
    target.focus({ preventScroll: true });
    // After a step, centred: the request's facts above and the buttons below stay in sight. A focus picked up
    // again only scrolls as far as it must.
    target.scrollIntoView({ block: moving ? 'center' : 'nearest' });
  }, [root]);

  useEffect(() => {
    const timer = setInterval(settle, WATCH_MS);
    return () => clearInterval(timer);
  }, [settle]);

  useEffect(() => {
    if (pending.current === 'reload') pending.current = 'now';
    const frame = requestAnimationFrame(settle);
    return () => cancelAnimationFrame(frame);
  }, [application, settle]);

  return useCallback(() => {
    pending.current = 'reload';
  }, []);
}
