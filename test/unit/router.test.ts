import { describe, expect, it, vi } from 'vitest';
import { createRouter, type Handlers } from '../../electron/core/rpc/router';
import { DomainError } from '../../electron/core/rpc/domainError';
import { SessionStore } from '../../electron/core/auth/sessions';
import { silentEventLog } from '../../electron/core/eventLog';
import { FixedClock } from '../support/fixedClock';

function routerWith(overrides: Partial<Handlers> = {}) {
  const ping = vi.fn((input: { echo?: string }) => ({ pong: true as const, echo: input.echo, at: '2026-11-25T00:00:00.000Z' }));
  const info = vi.fn(() => ({
    appVersion: '1',
    schemaVersion: 1,
    dataDir: '/d',
    businessDate: '2026-11-25',
    timeZone: 'Asia/Shanghai',
    branch: null,
    setupDone: false,
  }));
  const handlers = { 'system.ping': ping, 'system.info': info, ...overrides } as unknown as Handlers;
  const sessions = new SessionStore(new FixedClock('2026-11-25T01:00:00Z'), () => 15, () => null);
  return { router: createRouter({ handlers, gate: sessions, log: silentEventLog }), ping, info };
}

describe('router', () => {
  it('answers a known method with the result envelope', async () => {
    const { router } = routerWith();
    await expect(router.invoke('w1', 'system.ping', { echo: '你好' })).resolves.toEqual({
      ok: true,
      value: { pong: true, echo: '你好', at: '2026-11-25T00:00:00.000Z' },
    });
  });

  it('refuses an unknown method and calls no handler', async () => {
    const { router, ping, info } = routerWith();
    for (const method of ['system.drop', '__proto__', 'constructor', 42, null]) {
      const result = await router.invoke('w1', method, {});
      expect(result).toEqual({ ok: false, error: { code: 'UNKNOWN_METHOD', message: 'error.unknown_method' } });
    }
    expect(ping).not.toHaveBeenCalled();
    expect(info).not.toHaveBeenCalled();
  });

  it('refuses malformed input with VALIDATION and field keys, and calls no handler', async () => {
    const { router, ping } = routerWith();
    const cases: unknown[] = [undefined, null, 'x', [], { echo: 5 }, { echo: 'x'.repeat(65) }, { extra: 1 }, JSON.parse('{"__proto__": {"a": 1}}')];
    for (const input of cases) {
      const result = await router.invoke('w1', 'system.ping', input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('VALIDATION');
    }
    const tooLong = await router.invoke('w1', 'system.ping', { echo: 'x'.repeat(65) });
    expect(tooLong).toMatchObject({ error: { fields: { echo: 'validation.too_long' } } });
    const unknown = await router.invoke('w1', 'system.ping', { extra: 1 });
    expect(unknown).toMatchObject({ error: { fields: { extra: 'validation.unknown_field' } } });
    expect(ping).not.toHaveBeenCalled();
  });

  it('maps a refusal thrown by a service to its stable code', async () => {
    const { router } = routerWith({
      'system.ping': () => {
        throw new DomainError('CONFLICT', 'error.conflict', undefined, { version: 3 });
      },
    });
    await expect(router.invoke('w1', 'system.ping', {})).resolves.toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'error.conflict', details: { version: 3 } },
    });
  });

  it('never rejects: a bug becomes INTERNAL, and an undeclared output field is stripped', async () => {
    const { router } = routerWith({
      'system.ping': () => {
        throw new Error('boom with 11010519491231002X');
      },
      'system.info': (() => ({
        appVersion: '1',
        schemaVersion: 1,
        dataDir: '/d',
        businessDate: '2026-11-25',
        timeZone: 'Asia/Shanghai',
        branch: null,
        setupDone: true,
        secret: 'leak',
      })) as unknown as Handlers['system.info'],
    });
    await expect(router.invoke('w1', 'system.ping', {})).resolves.toEqual({ ok: false, error: { code: 'INTERNAL', message: 'error.internal' } });
    const info = await router.invoke('w1', 'system.info', {});
    expect(info.ok && 'secret' in (info.value as object)).toBe(false);
  });
});
