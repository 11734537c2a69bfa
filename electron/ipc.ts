import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { channelOf, METHOD_NAMES, type Result } from '../shared';
import type { Router } from './core/rpc/router';
import { isTrustedSender } from './windowPolicy';

/** The session of a window is keyed by its webContents: a teller's login belongs to that window only. */
export function sessionKeyOf(event: IpcMainInvokeEvent): string {
  return `window:${event.sender.id}`;
}

/** Binds every contract method to `ipcMain.handle`, after checking that the sender is our page's top frame. */
export function bindRouter(ipcMain: IpcMain, router: Router, appUrl: () => string): void {
  for (const method of METHOD_NAMES) {
    ipcMain.handle(channelOf(method), async (event, input: unknown): Promise<Result<unknown>> => {
      const frame = event.senderFrame;
      const trusted = isTrustedSender(frame ? { url: frame.url, isTopFrame: frame.parent === null } : null, appUrl());
      if (!trusted) return { ok: false, error: { code: 'FORBIDDEN', message: 'error.sender' } };
      return router.invoke(sessionKeyOf(event), method, input);
    });
  }
}
