// `npm start`: make sure the Electron binary is there (fetching it on the first start, with progress), build,
// then launch the app. Only when the fetch fails does it say why, in one line, and point to the preview.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronPackageDir, ensureElectron } from './electronBinary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

let lastShown = -1;
let binary;
try {
  binary = await ensureElectron(electronPackageDir(root), {
    onStart: ({ version, platform, arch }) =>
      console.log(`正在下载 Electron ${version}（${platform}-${arch}，仅首次启动）… / Fetching Electron ${version} (first start only)…`),
    onProgress: ({ transferred, total, percent }) => {
      const shown = Math.floor(percent * 10);
      if (shown === lastShown) return;
      lastShown = shown;
      const size = total ? ` of ${(total / 1048576).toFixed(0)} MB` : '';
      console.log(`  ${(transferred / 1048576).toFixed(0)} MB${size} (${Math.round(percent * 100)}%)`);
    },
  });
} catch (caught) {
  const error = /** @type {Error} */ (caught);
  console.error(
    `无法获取 Electron（${error.message}），请改用浏览器预览：npm run preview / Could not fetch Electron (${error.message}); use the browser preview instead: npm run preview`,
  );
  process.exit(1);
}

const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const run = spawnSync(binary, ['.'], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 0);
