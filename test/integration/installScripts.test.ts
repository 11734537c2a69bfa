import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const repo = join(__dirname, '..', '..');

describe('dependency install scripts (npm 11 allowScripts)', () => {
  it('has a recorded decision for every installed package with an install script, so npm install neither warns nor asks', () => {
    const listed = spawnSync('npm', ['install-scripts', 'ls'], { cwd: repo, encoding: 'utf8' });
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout.trim()).toBe('No packages with unreviewed install scripts.');
  });

  it('denies each of them: the prebuilt binaries and launchers work without a compile or a download at install time', () => {
    const { allowScripts } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { allowScripts: Record<string, boolean> };
    expect(allowScripts).toEqual({
      'better-sqlite3': false,
      'electron-winstaller': false,
      esbuild: false,
      '@serialport/bindings-cpp': false,
      koffi: false,
    });
    // better-sqlite3's denied `node-gyp rebuild` is not needed: the prebuilt N-API binary loads and works.
    const probe = spawnSync(process.execPath, ['-e', "const D=require('better-sqlite3');console.log(new D(':memory:').prepare('select 41+1 v').get().v)"], {
      cwd: repo,
      encoding: 'utf8',
    });
    expect(probe.stdout.trim(), probe.stderr).toBe('42');
  });

  it('loads the serial port and FFI binaries that ship inside their packages, without their denied install scripts', () => {
    // serialport's bindings find their prebuilt N-API binary at run time (node-gyp-build); koffi's platform binary
    // ships in the package. Each is asked to do real work, not just to load: serialport's native open is given
    // /dev/null, which it opens and then fails to set up as a serial line (ENOTTY from its termios call, inside the
    // binary). Not SerialPort.list(): on Linux that runs `udevadm`, not the binary, and a machine without udev has none.
    const probe = spawnSync(
      process.execPath,
      [
        '-e',
        "const k=require('koffi');const libc=k.load(process.platform==='win32'?'msvcrt.dll':'libc.so.6');" +
          "const strlen=libc.func('size_t strlen(const char *s)');" +
          "const{SerialPort}=require('serialport');" +
          "new SerialPort({path:'/dev/null',baudRate:9600},(e)=>console.log(strlen('unbind'),/Inappropriate ioctl/.test(String(e&&e.message))))",
      ],
      { cwd: repo, encoding: 'utf8' },
    );
    expect(probe.stdout.trim(), probe.stderr).toBe('6 true');
  });
});
