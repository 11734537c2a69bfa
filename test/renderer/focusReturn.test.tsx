// @vitest-environment jsdom
import './setup';
import { act, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import HelpOverlay from '../../renderer/features/help/HelpOverlay';
import { FormDialog } from '../../renderer/forms/FormDialog';

/** A button that opens a dialog, as the desk's screens do: the dialog is mounted only while open. */
function Opener(props: { dialog: 'help' | 'form' }) {
  const [open, setOpen] = useState(false);
  const close = () => setOpen(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        open
      </button>
      {open && props.dialog === 'help' && <HelpOverlay onClose={close} />}
      {open && props.dialog === 'form' && (
        <FormDialog title="t" width={400} onSubmit={close} onClose={close} error={null} actions={null}>
          <input aria-label="inside" autoFocus />
        </FormDialog>
      )}
    </>
  );
}

describe('closing a dialog', () => {
  for (const dialog of ['help', 'form'] as const) {
    it(`gives the keyboard back to what had it before (${dialog}), not to <body>`, async () => {
      render(<Opener dialog={dialog} />);
      const opener = screen.getByText('open');
      opener.focus();
      act(() => opener.click());
      await waitFor(() => expect(document.querySelector('[aria-modal="true"]')).not.toBeNull());
      // The dialog takes the focus, then Esc closes it.
      act(() => (document.querySelector('[aria-modal="true"]') as HTMLElement).focus());
      act(() => {
        document.activeElement?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
      });
      await waitFor(() => expect(document.querySelector('[aria-modal="true"]')).toBeNull());
      await waitFor(() => expect(document.activeElement).toBe(opener));
    });
  }
});
