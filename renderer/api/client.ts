import type { CounterBridge, MethodInput, MethodName, MethodOutput, Result, RpcError } from '../../shared';

declare global {
  interface Window {
    /** Present in Electron (preload); absent in the browser preview. */
    counter?: CounterBridge;
  }
}

const TOKEN_KEY = 'counter.previewToken';
const CLIENT_KEY = 'counter.previewClient';

/**
 * The preview bridge over loopback HTTP: same contract, same envelopes. The tab's session id is issued by the
 * bridge (POST /session) and kept for the tab; one the bridge no longer knows (it restarted) is replaced once.
 */
function previewBridge(): CounterBridge {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    // Keep the token out of screenshots, history and the address bar.
    history.replaceState(null, '', window.location.pathname);
  }
  const token = sessionStorage.getItem(TOKEN_KEY) ?? '';
  const headers = { 'Content-Type': 'application/json', 'X-Counter-Token': token };
  let issuing: Promise<string> | null = null;
  const clientId = (): Promise<string> => {
    const kept = sessionStorage.getItem(CLIENT_KEY);
    if (kept) return Promise.resolve(kept);
    // One request for every call made before the first answer: they all belong to the same session.
    issuing ??= fetch('/session', { method: 'POST', headers, body: '{}' })
      .then((response) => response.json() as Promise<Result<{ client: string }>>)
      .then((result) => {
        if (!result.ok) throw new Error(result.error.message);
        sessionStorage.setItem(CLIENT_KEY, result.value.client);
        return result.value.client;
      })
      .finally(() => {
        issuing = null;
      });
    return issuing;
  };
  const post = async (method: string, input: unknown) => {
    const response = await fetch('/rpc', {
      method: 'POST',
      headers: { ...headers, 'X-Counter-Client': await clientId() },
      body: JSON.stringify({ method, input }),
    });
    return (await response.json()) as Result<never>;
  };
  return {
    async invoke(method, input) {
      try {
        const result = await post(method, input);
        if (result.ok || result.error.message !== 'error.client') return result;
        sessionStorage.removeItem(CLIENT_KEY);
        return await post(method, input);
      } catch {
        return { ok: false, error: { code: 'INTERNAL', message: 'error.transport' } };
      }
    },
  };
}

let bridge: CounterBridge | null = null;

/** Chosen on first use, so importing this module touches nothing (component tests set window.counter first). */
function currentBridge(): CounterBridge {
  bridge ??= window.counter ?? previewBridge();
  return bridge;
}

type RefusalListener = (method: MethodName, error: RpcError) => void;
const refusalListeners = new Set<RefusalListener>();

/**
 * Every refusal passes here before the caller sees it: the session listens for LOCKED (the core locked an
 * idle session) and for a session that no longer exists, wherever the call was made.
 */
export function watchRefusals(listener: RefusalListener): () => void {
  refusalListeners.add(listener);
  return () => refusalListeners.delete(listener);
}

/** Typed call to the core. Always resolves to an envelope; never throws. */
export async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>> {
  const result = await currentBridge().invoke(method, input);
  if (!result.ok) for (const listener of refusalListeners) listener(method, result.error);
  return result;
}
