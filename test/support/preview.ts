import { spawn, type ChildProcess } from 'node:child_process';

export interface RunningPreview {
  url: string;
  origin: string;
  token: string;
  stop(): Promise<void>;
}

/**
 * Starts `electron/preview/main.ts` as its own process, exactly as `npm run preview` does after its build.
 * Printing goes to the CUPS scheduler `cupsServer` names (the tests' private cupsd); without it the preview
 * does not look for a spooler (a developer's own CUPS must not decide a test), and slips are downloads.
 */
export async function startPreview(dataDir: string, extraArgs: string[] = [], options: { cupsServer?: string } = {}): Promise<RunningPreview> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (options.cupsServer) {
    env.CUPS_SERVER = options.cupsServer;
    delete env.UNBINDDESK_PREVIEW_PRINTING;
  } else {
    env.UNBINDDESK_PREVIEW_PRINTING = 'off';
  }
  // node --import tsx: one process, so stopping it stops the server (the tsx wrapper would leave a grandchild).
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'electron/preview/main.ts', '--data-dir', dataDir, ...extraArgs], {
    cwd: process.cwd(),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`preview did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open: (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`preview exited with ${code}:\n${output}`)));
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: new URLSearchParams(parsed.hash.slice(1)).get('token') ?? '',
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A session id issued by the bridge (POST /session), as a browser tab gets one. */
export async function issueClient(target: { origin: string; token: string }): Promise<string> {
  const response = await fetch(`${target.origin}/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: target.origin, 'X-Counter-Token': target.token },
    body: '{}',
  });
  const result = (await response.json()) as { ok: true; value: { client: string } } | { ok: false; error: unknown };
  if (!result.ok) throw new Error(`the bridge issued no session: ${JSON.stringify(result.error)}`);
  return result.value.client;
}
