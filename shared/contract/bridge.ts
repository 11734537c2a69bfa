import type { MethodInput, MethodName, MethodOutput } from './index';
import type { Result } from './errors';

/** What the preload exposes as `window.counter`, and what the preview client imitates over HTTP. */
export interface CounterBridge {
  invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>>;
}

/** IPC channel of one method: one `ipcMain.handle` per method, so nothing unknown has a handler. */
export function channelOf(method: MethodName): string {
  return `counter:${method}`;
}
