// Builds test/support/fakeSdtapi.c into a shared library with the machine's gcc (async spawn), and drives
// its card files. The adapter then loads it through koffi: the real FFI path.
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export async function buildFakeSdtapi(dir: string): Promise<string> {
  const out = join(dir, 'libsdtapi.so');
  const source = join(import.meta.dirname, 'fakeSdtapi.c');
  await new Promise<void>((resolve, reject) => {
    const gcc = spawn('gcc', ['-shared', '-fPIC', '-O1', '-Wall', '-Werror', '-o', out, source], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    gcc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    gcc.on('error', reject);
    gcc.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`gcc failed: ${stderr}`))));
  });
  return out;
}

/** The fake library's state folder (FAKE_SDTAPI_DIR). */
export class FakeSdtapiState {
  constructor(readonly dir: string) {
    process.env.FAKE_SDTAPI_DIR = dir;
  }

  place(card: { textBlock: Buffer; photo: Buffer }): void {
    writeFileSync(join(this.dir, 'card.bin'), Buffer.concat([card.textBlock, card.photo]));
  }

  lift(): void {
    rmSync(join(this.dir, 'card.bin'), { force: true });
  }

  fault(word: 'lift' | 'sam' | 'long' | 'unplugged' | 'slow' | null): void {
    if (word === null) rmSync(join(this.dir, 'fault'), { force: true });
    else writeFileSync(join(this.dir, 'fault'), word);
  }
}
