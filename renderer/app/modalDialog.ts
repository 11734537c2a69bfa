/**
 * Whether a modal dialog is on screen (antd's Modal and confirm, the lock screen): while one is, the keys of
 * the desk beneath it (F2, Esc back to the board) and its focus keeping wait.
 */
export function modalDialogOpen(): boolean {
  return Array.from(document.querySelectorAll('[aria-modal="true"]')).some((dialog) => !dialog.closest('[hidden], [style*="display: none"]'));
}

/** Where the keyboard is when nothing holds it: a focused element removed from the page leaves it on <body>. */
export function focusLost(): boolean {
  const active = document.activeElement;
  return active === null || active === document.body || active === document.documentElement;
}
