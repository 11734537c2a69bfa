import { contextBridge, ipcRenderer } from 'electron';
import { channelOf, isMethodName, type CounterBridge, type Result } from '../shared';

/**
 * The renderer's only door to the core: `window.counter.invoke(method, input)` for the contract's
 * methods, nothing else (no ipcRenderer, no Node). Bundled as one CommonJS file so it runs sandboxed.
 */
const counter: CounterBridge = {
  invoke(method, input) {
    if (!isMethodName(method)) {
      const refused: Result<never> = { ok: false, error: { code: 'UNKNOWN_METHOD', message: 'error.unknown_method' } };
      return Promise.resolve(refused);
    }
    return ipcRenderer.invoke(channelOf(method), input);
  },
};

contextBridge.exposeInMainWorld('counter', counter);
