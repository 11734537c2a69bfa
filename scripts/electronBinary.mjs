// The Electron binary for `npm start`. Electron 45's npm package has no install script: the binary is
// fetched on first use. We fetch it here, before the build, so the user sees a progress line instead of
// a silent minute, and so a failed fetch is one sentence instead of a stack trace.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** @type {Record<string, string>} */
const PLATFORM_PATHS = { darwin: 'Electron.app/Contents/MacOS/Electron', linux: 'electron', win32: 'electron.exe' };

/**
 * The folder of the `electron` package this project resolves (node_modules/electron).
 * @param {string} fromDir
 */
export function electronPackageDir(fromDir) {
  return dirname(createRequire(join(fromDir, 'noop.js')).resolve('electron/package.json'));
}

/** @param {string} electronDir @returns {string} */
function electronVersion(electronDir) {
  return JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
}

/**
 * The installed binary's path, or null: the same test as the package's own install.js (version and path match).
 * @param {string} electronDir
 * @param {string} [platform]
 * @returns {string | null}
 */
export function installedBinary(electronDir, platform = process.platform) {
  const platformPath = PLATFORM_PATHS[platform];
  if (!platformPath) return null;
  try {
    const version = readFileSync(join(electronDir, 'dist', 'version'), 'utf8').trim().replace(/^v/, '');
    if (version !== electronVersion(electronDir)) return null;
    if (readFileSync(join(electronDir, 'path.txt'), 'utf8').trim() !== platformPath) return null;
  } catch {
    return null;
  }
  const binary = join(electronDir, 'dist', platformPath);
  return existsSync(binary) ? binary : null;
}

/**
 * Why a fetch failed, in one line: the network's own reason (ENOTFOUND github.com, HTTP 404…), not a stack.
 * @param {any} error
 */
export function fetchFailureReason(error) {
  /** @type {string[]} */
  const parts = [];
  for (let cause = error; cause && parts.length < 3; cause = cause.cause) {
    const where = cause.hostname ?? (cause.address ? `${cause.address}:${cause.port}` : '');
    const text = (cause.code ? `${cause.code} ${where}` : String(cause.message ?? cause)).split('\n')[0]?.trim();
    if (text && !parts.includes(text)) parts.push(text);
  }
  return parts.join(': ') || 'unknown error';
}

/**
 * Makes sure the binary is there, fetching it when missing. The download goes through @electron/get (the
 * library the package's install.js uses, with the same checksums, mirror and cache settings), reporting
 * progress; the package's own install.js then finds the archive in the cache and unpacks it, so the
 * folder ends up exactly as Electron itself would lay it out. Throws an Error with a one-line message.
 */
/**
 * @typedef {{ version: string, platform: string, arch: string }} FetchStart
 * @typedef {{ transferred: number, total: number, percent: number }} FetchProgress
 * @param {string} electronDir
 * @param {{ onStart?: (start: FetchStart) => void, onProgress?: (progress: FetchProgress) => void }} [options]
 * @returns {Promise<string>} the binary's path
 */
export async function ensureElectron(electronDir, { onStart = () => {}, onProgress = () => {} } = {}) {
  const present = installedBinary(electronDir);
  if (present) return present;
  const version = electronVersion(electronDir);
  const platform = process.env.ELECTRON_INSTALL_PLATFORM || process.env.npm_config_platform || process.platform;
  const arch = process.env.ELECTRON_INSTALL_ARCH || process.env.npm_config_arch || process.arch;
  onStart({ version, platform, arch });
  const requireFromElectron = createRequire(join(electronDir, 'package.json'));
  const { downloadArtifact } = await import(pathToFileURL(requireFromElectron.resolve('@electron/get')).href);
  const remoteChecksums = process.env.electron_use_remote_checksums || process.env.npm_config_electron_use_remote_checksums;
  try {
    await downloadArtifact({
      version,
      artifactName: 'electron',
      platform: /** @type {NodeJS.Platform} */ (platform),
      arch,
      force: process.env.force_no_cache === 'true',
      cacheRoot: process.env.electron_config_cache,
      checksums: remoteChecksums ? undefined : JSON.parse(readFileSync(join(electronDir, 'checksums.json'), 'utf8')),
      downloadOptions: { quiet: true, getProgressCallback: async (/** @type {FetchProgress} */ progress) => onProgress(progress) },
    });
  } catch (error) {
    throw new Error(fetchFailureReason(error), { cause: error });
  }
  // Asynchronous on purpose: install.js may ask the mirror for SHASUMS256.txt again, and the mirror may be
  // served by this very process (a test, a local proxy).
  /** @type {{ status: number | string, stderr: string }} */
  const unpack = await new Promise((resolve) =>
    execFile(process.execPath, [join(electronDir, 'install.js')], { encoding: 'utf8' }, (error, _stdout, stderr) =>
      resolve({ status: error ? (error.code ?? 1) : 0, stderr }),
    ),
  );
  const binary = installedBinary(electronDir, platform);
  if (unpack.status !== 0 || !binary) {
    const said = `${unpack.stderr ?? ''}`.split('\n').find((line) => line.trim()) ?? `exit ${unpack.status}`;
    throw new Error(`unpacking failed: ${said.trim()}`);
  }
  return binary;
}
