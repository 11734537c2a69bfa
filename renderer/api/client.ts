import type { CounterBridge, MethodInput, MethodName, MethodOutput, Result } from '../../shared';

declare global {
  interface Window {
    /** Present in Electron (preload); absent in the browser preview. */
    counter?: CounterBridge;
  }
}

const TOKEN_KEY = 'counter.previewToken';
const CLIENT_KEY = 'counter.previewClient';

/** The preview bridge over loopback HTTP: same contract, same envelopes. */
function previewBridge(): CounterBridge {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    // Keep the token out of screenshots, history and the address bar.
    history.replaceState(null, '', window.location.pathname);
  }
  const token = sessionStorage.getItem(TOKEN_KEY) ?? '';
  let client = sessionStorage.getItem(CLIENT_KEY);
  if (!client) {
    client = crypto.randomUUID();
    sessionStorage.setItem(CLIENT_KEY, client);
  }
  const clientId = client;
  return {
    async invoke(method, input) {
      try {
        const response = await fetch('/rpc', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Counter-Token': token, 'X-Counter-Client': clientId },
          body: JSON.stringify({ method, input }),
        });
        return (await response.json()) as Result<never>;
      } catch {
        return { ok: false, error: { code: 'INTERNAL', message: 'error.transport' } };
      }
    },
  };
}

const bridge: CounterBridge = window.counter ?? previewBridge();

/** Typed call to the core. Always resolves to an envelope; never throws. */
export function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>> {
  return bridge.invoke(method, input);
}
