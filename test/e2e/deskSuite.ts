import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { startPreview, type RunningPreview } from '../support/preview';
import { useTempDirs } from '../support/tempDir';

export interface DeskSuite {
  /** The file's one Chromium (Debian's, never downloaded). */
  readonly browser: Browser;
  /** A fresh temp folder, removed after the file. */
  tempDir(): string;
  /** The preview on the real core (with its simulated card reader), on `dataDir` or a fresh folder (printing to `cupsServer` if given); stopped when the test ends. */
  startPreview(dataDir?: string, options?: { cupsServer?: string }): Promise<RunningPreview>;
}

/** What every end-to-end file sets up: one browser for the file, and for each test previews on temp data folders. */
export function useDeskSuite(): DeskSuite {
  const tempDir = useTempDirs();
  const previews: RunningPreview[] = [];
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  // Registered after the temp folders' clean-up, so it runs before it: a server stops before its folder goes.
  afterEach(async () => {
    await Promise.all(previews.splice(0).map((preview) => preview.stop()));
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get browser() {
      if (!browser) throw new Error('the browser starts in beforeAll: use it inside a test');
      return browser;
    },
    tempDir,
    async startPreview(dataDir, options = {}) {
      const preview = await startPreview(dataDir ?? tempDir(), ['--reader-sim'], options);
      previews.push(preview);
      return preview;
    },
  };
}
