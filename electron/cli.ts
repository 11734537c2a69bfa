/**
 * Command-line tool for branch IT: `npm run cli -- <command> [options]`.
 * Runs the core under plain Node; never needs Electron.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DATABASE_FILE, openCore } from './core';
import { readAppVersion } from './core/appVersion';
import { silentEventLog } from './core/eventLog';

const USAGE = `UnbindDesk command-line tool

Usage: npm run cli -- <command> [options]

Commands:
  info --data-dir DIR     show version, schema, branch and business date of a data folder
  help                    this text
`;

class UsageError extends Error {}

function requireDataDir(value: string | undefined): string {
  if (!value) throw new UsageError('--data-dir DIR is required');
  const dir = resolve(value);
  if (!existsSync(join(dir, DATABASE_FILE))) throw new UsageError(`no UnbindDesk database in ${dir}`);
  return dir;
}

async function info(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' } } });
  const core = await openCore({ dataDir: requireDataDir(values['data-dir']), appVersion: readAppVersion(), log: silentEventLog });
  try {
    const result = await core.router.invoke('cli', 'system.info', {});
    if (!result.ok) throw new Error(result.error.code);
    const value = result.value as Record<string, unknown> & { branch: { code: string; name: string } | null };
    const lines = [
      ['version', value.appVersion],
      ['schema', value.schemaVersion],
      ['data folder', value.dataDir],
      ['branch', value.branch ? `${value.branch.code} ${value.branch.name}` : '(not set up)'],
      ['business date', value.businessDate],
      ['time zone', value.timeZone],
    ];
    for (const [label, text] of lines) process.stdout.write(`${String(label).padEnd(14)} ${String(text)}\n`);
    return 0;
  } finally {
    core.close();
  }
}

const commands: Record<string, (args: string[]) => Promise<number>> = {
  info,
  help: () => Promise.resolve((process.stdout.write(USAGE), 0)),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(name ? `unknown command: ${name}\n\n${USAGE}` : USAGE);
    return 2;
  }
  try {
    return await command(rest);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
      process.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
