import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
// @ts-expect-error plain ESM script without type declarations
import { ensureElectron, installedBinary } from '../../scripts/electronBinary.mjs';

/**
 * `npm start` on a machine that can reach a download server: the binary is fetched on first use, with
 * progress, through the same library and checksum rules as Electron's own installer. The server here is a
 * local Electron mirror (ELECTRON_MIRROR, which banks use behind their proxies) serving a real zip; the
 * "binary" inside it is a shell script, since the real one is 100 MB we cannot fetch here.
 */
const repo = join(__dirname, '..', '..');
const version = JSON.parse(readFileSync(join(repo, 'node_modules', 'electron', 'package.json'), 'utf8')).version as string;
// Inside the repository, so that the copy's install.js finds @electron/get in the project's node_modules.
mkdirSync(join(repo, 'test-results'), { recursive: true });
const work = mkdtempSync(join(repo, 'test-results', 'electron-start-'));
const zipName = `electron-v${version}-linux-x64.zip`;
let server: Server;
let mirror = '';
let served: Record<string, Buffer> = {};
const savedEnv = { ...process.env };

/** A copy of the real `electron` npm package with no binary, as a fresh `npm install` leaves it. */
function freshElectronPackage(name: string): string {
  const dir = join(work, name, 'node_modules', 'electron');
  cpSync(join(repo, 'node_modules', 'electron'), dir, {
    recursive: true,
    filter: (source) => !/[\\/](dist|path\.txt)$/.test(source),
  });
  return dir;
}

beforeAll(async () => {
  const staging = join(work, 'zip');
  mkdirSync(staging);
  writeFileSync(join(staging, 'electron'), '#!/bin/sh\necho "fake electron $*"\n');
  chmodSync(join(staging, 'electron'), 0o755);
  writeFileSync(join(staging, 'version'), `v${version}`);
  const zipped = spawnSync('zip', ['-q', '-r', join(work, zipName), '.'], { cwd: staging, encoding: 'utf8' });
  expect(zipped.status, zipped.stderr).toBe(0);
  const zip = readFileSync(join(work, zipName));
  served = {
    [`/v${version}/${zipName}`]: zip,
    [`/v${version}/SHASUMS256.txt`]: Buffer.from(`${createHash('sha256').update(zip).digest('hex')} *${zipName}\n`),
  };
  server = createServer((request, response) => {
    const body = served[request.url ?? ''];
    if (!body) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-length': body.length });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  process.env.ELECTRON_MIRROR = mirror;
  process.env.electron_use_remote_checksums = '1';
  process.env.electron_config_cache = join(work, 'cache');
  process.env.ELECTRON_INSTALL_PLATFORM = 'linux';
  process.env.ELECTRON_INSTALL_ARCH = 'x64';
});

afterAll(async () => {
  process.env = savedEnv;
  await new Promise((resolve) => server.close(resolve));
  rmSync(work, { recursive: true, force: true });
});

describe('npm start fetches Electron when it is missing', { timeout: 60_000 }, () => {
  it('downloads, verifies and unpacks the binary on first start, reporting progress, then finds it without a download', async () => {
    const dir = freshElectronPackage('first');
    expect(installedBinary(dir, 'linux')).toBeNull();
    const progress: number[] = [];
    let started = '';
    const binary = await ensureElectron(dir, {
      onStart: ({ version: fetched }: { version: string }) => (started = fetched),
      onProgress: ({ percent }: { percent: number }) => progress.push(percent),
    });
    expect(started).toBe(version);
    expect(progress.at(-1)).toBe(1);
    expect(binary).toBe(join(dir, 'dist', 'electron'));
    expect(spawnSync(binary, ['.'], { encoding: 'utf8' }).stdout).toBe('fake electron .\n');
    expect(readFileSync(join(dir, 'path.txt'), 'utf8')).toBe('electron');

    // The second start neither downloads nor reports a start.
    served = { [`/v${version}/SHASUMS256.txt`]: served[`/v${version}/SHASUMS256.txt`] as Buffer };
    started = '';
    expect(await ensureElectron(dir, { onStart: () => (started = 'again') })).toBe(binary);
    expect(started).toBe('');
  });

  it('refuses an archive whose checksum does not match, leaving no binary behind', async () => {
    const dir = freshElectronPackage('tampered');
    process.env.electron_config_cache = join(work, 'cache-tampered');
    served[`/v${version}/${zipName}`] = Buffer.concat([readFileSync(join(work, zipName)), Buffer.from('x')]);
    await expect(ensureElectron(dir)).rejects.toThrow(new RegExp(`^Generated checksum for "${zipName.replaceAll('.', '\\.')}" did not match expected checksum\\.$`));
    expect(existsSync(join(dir, 'dist', 'electron'))).toBe(false);
  });

  it('says in one line why the fetch failed and points to the preview, exit 1, when the server cannot be reached', async () => {
    // `npm start` as shipped (scripts/ copied beside a fresh electron package), against a closed loopback port:
    // the fetch fails at once, as it does where GitHub is blocked.
    freshElectronPackage('offline');
    cpSync(join(repo, 'scripts'), join(work, 'offline', 'scripts'), { recursive: true });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const run = spawnSync(process.execPath, [join(work, 'offline', 'scripts', 'start.mjs')], {
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_MIRROR: `http://127.0.0.1:${port}/` },
    });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^无法获取 Electron（fetch failed: ECONNREFUSED 127\.0\.0\.1:\d+），请改用浏览器预览：npm run preview \/ Could not fetch Electron/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
