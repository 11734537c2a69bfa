import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Configuration } from 'app-builder-lib';

const require = createRequire(import.meta.url);

async function loadConfig(): Promise<Configuration> {
  // electron-builder's own loader and schema validation; neither downloads anything.
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
    getConfig(projectDir: string, configPath: string | null, configFromOptions: null): Promise<Configuration>;
    validateConfiguration(config: Configuration, debugLogger: unknown): Promise<void>;
  };
  const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
  const config = await getConfig(process.cwd(), 'electron-builder.yml', null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
}

describe('packaging configuration (electron-builder.yml)', () => {
  it('is valid for electron-builder', async () => {
    const config = await loadConfig();
    expect(config.appId).toBe('cn.bank.counter.unbinddesk');
    expect(config.productName).toBe('UnbindDesk');
  });

  it('does not rebuild native modules and ships the migrations', async () => {
    const config = await loadConfig();
    expect(config.npmRebuild).toBe(false);
    // electron-builder normalizes `files` into one filter set.
    expect(JSON.stringify(config.files)).toContain('electron/core/db/migrations/*.sql');
    expect(config.asar).toBe(true);
  });

  it('turns off the Electron fuses an attacker could use', async () => {
    const config = await loadConfig();
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('targets Windows NSIS x64 and Linux deb and AppImage on x64 and arm64', async () => {
    const config = await loadConfig();
    expect(config.win?.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.linux?.target).toEqual([
      { target: 'deb', arch: ['x64', 'arm64'] },
      { target: 'AppImage', arch: ['x64', 'arm64'] },
    ]);
  });

  it('refuses a misspelt option, so the check is real', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration(config: unknown, debugLogger: unknown): Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration({ appId: 'x', npmRebuilt: false }, new DebugLogger(false))).rejects.toThrow();
  });

  it('points at the built main process', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { main: string };
    expect(pkg.main).toBe('out/main/index.js');
  });
});
