import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { META_CONTENT_SECURITY_POLICY } from './electron/contentSecurityPolicy';

/**
 * main (ESM, dependencies external), preload (one CommonJS file with zod bundled in, so it runs in
 * Electron's sandbox) and renderer (React). Output in out/main, out/preload, out/renderer.
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve('electron/main.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { preload: resolve('electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [
      react(),
      {
        name: 'counter-csp',
        transformIndexHtml: (html: string) => html.replace('%COUNTER_CSP%', META_CONTENT_SECURITY_POLICY),
      },
    ],
    build: {
      outDir: 'out/renderer',
      // electron-vite leaves the renderer unminified by default; minified, the first screen loads in ~0.7 s.
      minify: true,
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
});
