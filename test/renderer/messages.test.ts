// @vitest-environment jsdom
import './setup';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VALIDATION_CODES, AUTHORIZATION_REASONS } from '../../shared';
import { i18next } from '../../renderer/i18n';
import { codeText } from '../../renderer/i18n/codeText';
import en from '../../renderer/i18n/en.json';
import messagesZhCN from '../../renderer/i18n/messages.zh-CN.json';
import messagesEn from '../../renderer/i18n/messages.en.json';

function filesUnder(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path, pattern) : pattern.test(name) ? [path] : [];
  });
}

/** Nested keys flattened, plural forms folded into their base key (i18next picks _one/_other). */
function keysOf(tree: object, prefix = ''): string[] {
  return [...new Set(plainKeysOf(tree, prefix))].sort();
}

function plainKeysOf(tree: object, prefix: string): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? plainKeysOf(value as object, `${prefix}${key}.`) : [`${prefix}${key.replace(/_(one|other)$/, '')}`],
  );
}

const KEY = /'([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)'/g;

/** Every message key the core can answer with: DomainError(...) arguments, the router's and the bridge's envelopes. */
function coreMessageKeys(): string[] {
  const keys = new Set<string>();
  for (const file of filesUnder('electron/core', /\.ts$/)) {
    const source = readFileSync(file, 'utf8');
    for (const call of source.matchAll(/new DomainError\(([^;]*)/g)) {
      for (const [, key] of (call[1] ?? '').matchAll(KEY)) if (key) keys.add(key);
    }
  }
  // Codes a service declares as a type and throws through a variable: `type DayExportErrorCode = | 'export.…'`.
  for (const file of filesUnder('electron/core', /\.ts$/)) {
    for (const [, union] of readFileSync(file, 'utf8').matchAll(/type \w+ErrorCode =([^;]*);/g)) {
      for (const [, key] of (union ?? '').matchAll(KEY)) if (key) keys.add(key);
    }
  }
  for (const file of ['electron/core/rpc/router.ts', 'electron/preview/bridge.ts', 'renderer/api/client.ts']) {
    for (const [, key] of readFileSync(file, 'utf8').matchAll(/message: '([a-z_]+\.[a-z_.]+)'/g)) if (key) keys.add(key);
  }
  return [...keys].sort();
}

/** Message keys written into the contract's zod schemas: `.min(8, 'password.too_short')` and the like. */
function contractMessageKeys(): string[] {
  const keys = new Set<string>();
  for (const file of filesUnder('shared/contract', /\.ts$/)) {
    for (const [, key] of readFileSync(file, 'utf8').matchAll(/,\s*'([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)'\s*\)/g)) if (key) keys.add(key);
  }
  return [...keys].sort();
}

/** Literal keys the screens ask for: t('board.title'). */
function screenKeys(): string[] {
  const keys = new Set<string>();
  for (const file of filesUnder('renderer', /\.tsx?$/)) {
    for (const [, key] of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z][\w]*(?:\.[\w]+)+)'/g)) if (key) keys.add(key);
  }
  return [...keys].sort();
}

/** In this language's own resources, not through the Chinese fallback. */
function hasText(language: string, key: string, namespaces: readonly string[]): boolean {
  return namespaces.some((ns) =>
    [key, `${key}_one`, `${key}_other`].some((variant) => i18next.getResource(language, ns, variant, { keySeparator: ns === 'translation' ? '.' : false }) !== undefined),
  );
}

describe.each(['zh-CN', 'en'])('messages in %s', (language) => {
  it('has a text for every code the core and the contract can answer with', () => {
    const keys = [...coreMessageKeys(), ...contractMessageKeys(), ...VALIDATION_CODES, ...AUTHORIZATION_REASONS.map((reason) => `authorization.reason.${reason}`)];
    expect(keys.length).toBeGreaterThan(80);
    expect(keys.filter((key) => !hasText(language, key, ['validation', 'messages', 'translation']))).toEqual([]);
  });

  it('has every word the screens ask for', () => {
    expect(screenKeys().filter((key) => !hasText(language, key, ['translation']))).toEqual([]);
  });

  it('never shows a bare code', async () => {
    await i18next.changeLanguage(language);
    expect(codeText('id.checksum')).not.toBe('id.checksum');
    expect(codeText('no.such_code')).toContain('no.such_code');
  });
});

describe('the two languages', () => {
  it('have the same screen words', () => {
    // Chinese as the screens get it: the risk warnings come from shared/, in the slip's own words.
    expect(keysOf(en)).toEqual(keysOf(i18next.getResourceBundle('zh-CN', 'translation') as object));
  });

  it('have the same core messages', () => {
    expect(keysOf(messagesEn)).toEqual(keysOf(messagesZhCN));
  });

  it('speak Chinese in Chinese', () => {
    for (const key of keysOf(messagesZhCN)) expect((messagesZhCN as Record<string, string>)[key], key).toMatch(/\p{Script=Han}|（/u);
  });
});
