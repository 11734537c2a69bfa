import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import PDFDocument from 'pdfkit';

/**
 * A private CUPS scheduler for the tests: its own configuration, spool and logs in a temp folder, listening
 * on a loopback port, with virtual PDF printers (Debian's cups-pdf backend). cups-pdf reads its output
 * folder from `/etc/cups/cups-pdf-<queue>.conf` (a path compiled into the backend), so each queue gets such a
 * file, named for this run and removed on stop. The backend must run as root, as CUPS runs it; CI runs as root.
 */
export interface PrivateCups {
  /** `127.0.0.1:PORT`, for CUPS_SERVER. */
  server: string;
  /** Environment for `lp`, `lpstat`, `cupsdisable`… aimed at this scheduler. */
  env: NodeJS.ProcessEnv;
  /** Adds a cups-pdf queue; returns the folder its printed PDFs land in. */
  addPdfPrinter(name: string, options?: { isDefault?: boolean }): string;
  /** Runs a CUPS client command against this scheduler; throws with its stderr on failure. */
  run(command: string, args: string[]): string;
  /** The PDF cups-pdf wrote for a job, once it is there. */
  printedFile(queue: string, jobId: number, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export async function startCups(root: string): Promise<PrivateCups> {
  if (!existsSync('/usr/sbin/cupsd') || !existsSync('/usr/lib/cups/backend/cups-pdf')) {
    throw new Error('CUPS tests need Debian cups, cups-client and printer-driver-cups-pdf (.ci/run installs them)');
  }
  const port = await freePort();
  for (const dir of ['spool', 'cache', 'state', 'log', 'ppd']) mkdirSync(join(root, dir), { recursive: true });
  mkdirSync(join(root, 'tmp'), { recursive: true });
  chmodSync(join(root, 'tmp'), 0o1777); // the filters run as lp
  chmodSync(root, 0o755);
  writeFileSync(
    join(root, 'cupsd.conf'),
    [
      `Listen 127.0.0.1:${port}`,
      'LogLevel info',
      'Browsing No',
      'WebInterface No',
      'DefaultAuthType None',
      'MaxJobs 0',
      '<Location />',
      '  Order allow,deny',
      '  Allow from 127.0.0.1',
      '</Location>',
      '<Policy default>',
      '  <Limit All>',
      '    Order deny,allow',
      '  </Limit>',
      '</Policy>',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(root, 'cups-files.conf'),
    [
      `ServerRoot ${root}`,
      `RequestRoot ${join(root, 'spool')}`,
      `TempDir ${join(root, 'tmp')}`,
      `CacheDir ${join(root, 'cache')}`,
      `StateDir ${join(root, 'state')}`,
      `ErrorLog ${join(root, 'log', 'error_log')}`,
      `AccessLog ${join(root, 'log', 'access_log')}`,
      `PageLog ${join(root, 'log', 'page_log')}`,
      'ServerBin /usr/lib/cups',
      'DataDir /usr/share/cups',
      'SystemGroup root',
      '',
    ].join('\n'),
  );
  const daemon: ChildProcess = spawn('/usr/sbin/cupsd', ['-f', '-c', join(root, 'cupsd.conf'), '-s', join(root, 'cups-files.conf')], { stdio: 'ignore' });
  const server = `127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, CUPS_SERVER: server, LC_ALL: 'C', LANG: 'C' };
  const run = (command: string, args: string[]) => {
    const result = spawnSync(command, args, { env, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr || result.stdout}`);
    return result.stdout;
  };
  for (let attempt = 0; ; attempt++) {
    if (spawnSync('lpstat', ['-r'], { env, encoding: 'utf8' }).stdout.includes('scheduler is running')) break;
    if (attempt > 100 || daemon.exitCode !== null) throw new Error('the private cupsd did not start');
    await sleep(100);
  }
  const queueConfigs: string[] = [];
  return {
    server,
    env,
    run,
    addPdfPrinter(name, options = {}) {
      const out = join(root, 'out', name);
      mkdirSync(out, { recursive: true });
      const config = `/etc/cups/cups-pdf-${name}.conf`;
      writeFileSync(config, `Out ${out}\nLabel 0\n`);
      queueConfigs.push(config);
      run('lpadmin', ['-p', name, '-E', '-v', `cups-pdf:/${name}`, '-P', '/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd']);
      if (options.isDefault) run('lpadmin', ['-d', name]);
      return out;
    },
    async printedFile(queue, jobId, timeoutMs = 30_000) {
      const out = join(root, 'out', queue);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const file = readdirSync(out).find((name) => name.endsWith(`-job_${jobId}.pdf`));
        if (file) return join(out, file);
        if (Date.now() > deadline) throw new Error(`no PDF for job ${jobId} in ${out}`);
        await sleep(100);
      }
    },
    async stop() {
      for (const config of queueConfigs) rmSync(config, { force: true });
      if (daemon.exitCode === null) {
        const exited = new Promise((resolve) => daemon.once('exit', resolve));
        daemon.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/** A document of many pages: the virtual printer takes seconds over it, so a job behind it waits in the queue. */
export function blockerPdf(pages: number): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A5', autoFirstPage: false });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  for (let page = 0; page < pages; page++) {
    doc.addPage();
    for (let line = 0; line < 40; line++) doc.fontSize(8).text(`page ${page} line ${line} ${'x'.repeat(60)}`);
  }
  doc.end();
  return done;
}
