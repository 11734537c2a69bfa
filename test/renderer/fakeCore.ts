import type { CounterBridge, MethodName, Result } from '../../shared';

export interface FakeCore {
  calls: { method: MethodName; input: unknown }[];
}

/** What the installed fake answers; replaced by each `installFakeCore`. */
let answering: CounterBridge['invoke'] = () => Promise.resolve({ ok: false, error: { code: 'INTERNAL', message: 'error.internal' } } as Result<never>);

/**
 * Stands in for the core across the bridge in component tests: answers the few calls a screen makes on
 * its own (repeat checks) and records every call. The renderer's client keeps the first bridge it finds on
 * window.counter, so one bridge stays there and each install changes what it answers.
 */
export function installFakeCore(answers: Partial<Record<MethodName, (input: unknown) => unknown>> = {}): FakeCore {
  const fake: FakeCore = { calls: [] };
  answering = (method, input) => {
    fake.calls.push({ method, input });
    const answer = answers[method];
    if (answer) return Promise.resolve({ ok: true, value: answer(input) } as Result<never>);
    if (method === 'applications.repeatCheck') {
      return Promise.resolve({ ok: true, value: { serial: 0, merchant: 0, mobile: 0, windowDays: 30 } } as Result<never>);
    }
    return Promise.resolve({ ok: false, error: { code: 'INTERNAL', message: 'error.internal' } } as Result<never>);
  };
  const window_ = window as Window & { counter?: CounterBridge };
  window_.counter ??= { invoke: (method, input) => answering(method, input) };
  return fake;
}
