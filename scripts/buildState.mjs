// What `npm start` and `npm run build` agree on: where the builds live and whether they are older
// than their sources. Plain Node (no TypeScript, no dependencies): it runs on a production install.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (scripts/ lives directly under it). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CLIENT_DIST = join(ROOT, 'dist', 'client');
export const SERVER_DIST = join(ROOT, 'dist', 'server');
/** The bundle's entry points: name in dist/server -> source. */
export const SERVER_ENTRIES = {
  main: 'server/main.ts',
  user: 'server/cli/user.ts',
  db: 'server/cli/db.ts',
  recordWorker: 'server/recording/recordWorker.ts',
  whatIfWorker: 'server/design/whatIfWorker.ts',
  modelWorker: 'server/models/optimizeWorker.ts',
  virtualPlant: 'server/virtualPlant/main.ts',
};

/** Newest modification time (ms) of a file, or of any file under a directory; 0 when absent. */
export function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Oldest modification time (ms) of the given files; 0 when one is missing. */
function oldestMtime(files) {
  let oldest = Number.POSITIVE_INFINITY;
  for (const f of files) {
    if (!existsSync(f)) return 0;
    oldest = Math.min(oldest, statSync(f).mtimeMs);
  }
  return oldest;
}

const sourcesNewest = (paths) => Math.max(...paths.map((p) => newestMtime(join(ROOT, p))));
/** A deployed copy holds dist/ but not the sources: nothing there can be newer than the build. */
const hasSources = (dir) => existsSync(join(ROOT, dir));

/** 'missing', 'stale' (older than client/, protocol/ or vite.config.ts) or 'fresh'. */
export function clientState() {
  const built = oldestMtime([join(CLIENT_DIST, 'index.html')]);
  if (!built) return 'missing';
  if (!hasSources('client')) return 'fresh';
  return sourcesNewest(['client', 'protocol', 'vite.config.ts']) > built ? 'stale' : 'fresh';
}

/** 'missing', 'stale' (older than server/, protocol/ or the build script) or 'fresh'. */
export function serverState() {
  const built = oldestMtime(Object.keys(SERVER_ENTRIES).map((n) => join(SERVER_DIST, `${n}.js`)));
  if (!built) return 'missing';
  if (!hasSources('server')) return 'fresh';
  return sourcesNewest(['server', 'protocol', 'scripts/build.mjs']) > built ? 'stale' : 'fresh';
}

/** True when the development install is here (Vite and esbuild), i.e. `npm run build` can run. */
export function buildToolsPresent() {
  return ['vite', 'esbuild'].every((p) => existsSync(join(ROOT, 'node_modules', p, 'package.json')));
}
