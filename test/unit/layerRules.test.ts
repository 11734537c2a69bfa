import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

async function restricted(filePath: string, source: string) {
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports');
}

async function importErrors(filePath: string, source: string): Promise<string[]> {
  return (await restricted(filePath, source)).map((m) => m.message);
}

/** The source lines whose import was refused. */
async function refusedLines(filePath: string, source: string): Promise<number[]> {
  return [...new Set((await restricted(filePath, source)).map((m) => m.line))].sort();
}

describe('layer rules (DESIGN.md)', () => {
  it('refuses electron in the core', async () => {
    const errors = await importErrors('electron/core/system/x.ts', "import { app } from 'electron';\nexport const a = app;\n");
    expect(errors.join()).toMatch(/Only the Electron shell/);
  });

  it('refuses Node built-ins and electron/** in the renderer', async () => {
    const lines = await refusedLines(
      'renderer/features/x.ts',
      "import { readFileSync } from 'node:fs';\nimport { openCore } from '../../electron/core';\nexport const a = [readFileSync, openCore];\n",
    );
    expect(lines).toEqual([1, 2]);
  });

  it('keeps shared/ pure', async () => {
    const lines = await refusedLines(
      'shared/rules/x.ts',
      "import { createHash } from 'crypto';\nimport React from 'react';\nimport { ipcRenderer } from 'electron';\nexport const a = [createHash, React, ipcRenderer];\n",
    );
    expect(lines).toEqual([1, 2, 3]);
  });

  it('keeps the preview bridge out of the Electron shell', async () => {
    const errors = await importErrors('electron/main.ts', "import { startPreviewBridge } from './preview/bridge';\nexport const a = startPreviewBridge;\n");
    expect(errors.join()).toMatch(/never part of the Electron shell/);
  });

  it('lets shared/ modules import each other but not climb out of shared/', async () => {
    expect(await importErrors('shared/contract/x.ts', "import { z } from 'zod';\nimport { maskName } from '../rules';\nexport const a = [z, maskName];\n")).toEqual([]);
    expect(await refusedLines('shared/contract/x.ts', "import { openCore } from '../../electron/core';\nimport { a } from '../../test/x';\nexport const b = [openCore, a];\n")).toEqual([1, 2]);
  });

  it('lets each layer import what it may', async () => {
    expect(await importErrors('electron/core/x.ts', "import { join } from 'node:path';\nimport { contract } from '../../shared';\nexport const a = [join, contract];\n")).toEqual([]);
    expect(await importErrors('renderer/x.tsx', "import { contract } from '../shared';\nimport { Button } from 'antd';\nexport const a = [contract, Button];\n")).toEqual([]);
    expect(await importErrors('electron/main.ts', "import { app } from 'electron';\nimport { openCore } from './core';\nexport const a = [app, openCore];\n")).toEqual([]);
  });
});
