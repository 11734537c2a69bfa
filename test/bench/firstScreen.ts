/**
 * `tsx test/bench/firstScreen.ts [--runs N]`: how soon the first screen of the day is usable. Figures, not a
 * test. Starts the preview (the real core) on a temp folder with a branch set up, loads the page in
 * Debian's Chromium N times, each in a fresh browser context (cold cache), and measures the time from
 * navigation until the login form is interactive — the employee-number field enabled and focused — and
 * the JavaScript the browser fetched by then, against all the renderer's chunks. Prints a table and
 * writes flat JSON to bench-results/first-screen.json. Run after `electron-vite build`; `--renderer-dir`
 * measures another build of the renderer (e.g. a minified one) against the same core.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium } from '../support/browser';
import { issueClient, startPreview } from '../support/preview';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '10' }, 'renderer-dir': { type: 'string', default: 'out/renderer' }, out: { type: 'string', default: 'bench-results/first-screen.json' } },
});
const RUNS = Number(values.runs);
const OUT = values.out;
const RENDERER = values['renderer-dir'];
const ASSETS = join(RENDERER, 'assets');

function median(sorted: number[]): number {
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const dir = mkdtempSync(join(tmpdir(), 'unbinddesk-first-screen-'));
const preview = await startPreview(dir, ['--renderer-dir', RENDERER]);
const browser = await launchChromium();
try {
  // The login, not the first-run setup, is the screen a counter opens every morning.
  const setup = await fetch(`${preview.origin}/rpc`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: preview.origin, 'X-Counter-Token': preview.token, 'X-Counter-Client': await issueClient(preview) },
    body: JSON.stringify({
      method: 'auth.setup',
      input: { branchCode: '310101', desk: '01', branchName: '上海分行营业部', bankName: '示例银行', admin: { employeeNo: 'A001', name: '管理员', password: 'Brass-Lantern-61' } },
    }),
  });
  if (!((await setup.json()) as { ok: boolean }).ok) throw new Error('setup failed');

  const times: number[] = [];
  const domReady: number[] = [];
  let initialBytes = 0;
  let initialFiles = 0;
  for (let run = 0; run < RUNS; run += 1) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    // Noted in the page itself, at the moment the field takes focus, so no polling delay is counted.
    await page.addInitScript(() => {
      document.addEventListener(
        'focusin',
        (event) => {
          const target = event.target as HTMLInputElement;
          if (target.id === 'login-employeeNo' && !target.disabled) (window as unknown as { firstScreenAt?: number }).firstScreenAt ??= performance.now();
        },
        true,
      );
    });
    const scripts = new Map<string, number>();
    page.on('response', (response) => {
      if (response.request().resourceType() !== 'script') return;
      void response.body().then((body) => scripts.set(response.url(), body.length), () => undefined);
    });
    await page.goto(preview.url);
    const at = await page.waitForFunction(() => (window as unknown as { firstScreenAt?: number }).firstScreenAt, undefined, { timeout: 30_000 });
    times.push(Number(await at.jsonValue()));
    domReady.push(await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd));
    // Scripts fetched before the login was usable; nothing more loads while it waits for input.
    await page.waitForTimeout(200);
    initialBytes = [...scripts.values()].reduce((sum, bytes) => sum + bytes, 0);
    initialFiles = scripts.size;
    await context.close();
  }

  const chunks = readdirSync(ASSETS).filter((name) => name.endsWith('.js'));
  const totalBytes = chunks.reduce((sum, name) => sum + statSync(join(ASSETS, name)).size, 0);
  const sorted = [...times].sort((a, b) => a - b);
  const figures = {
    at: new Date().toISOString(),
    chromium: browser.version(),
    runs: RUNS,
    first_screen_median_ms: Math.round(median(sorted)),
    first_screen_min_ms: Math.round(sorted[0] ?? 0),
    first_screen_max_ms: Math.round(sorted[sorted.length - 1] ?? 0),
    dom_content_loaded_median_ms: Math.round(median([...domReady].sort((a, b) => a - b))),
    initial_js_kb: Math.round(initialBytes / 102.4) / 10,
    initial_js_files: initialFiles,
    total_js_kb: Math.round(totalBytes / 102.4) / 10,
    total_js_files: chunks.length,
    initial_js_share_pct: Math.round((initialBytes / totalBytes) * 1000) / 10,
  };
  for (const [key, value] of Object.entries(figures)) process.stdout.write(`${key.padEnd(32)} ${value}\n`);
  process.stdout.write(`runs (ms): ${times.map((t) => Math.round(t)).join(' ')}\n`);
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(OUT, `${JSON.stringify(figures, null, 2)}\n`);
} finally {
  await browser.close();
  await preview.stop();
  rmSync(dir, { recursive: true, force: true });
}
