import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The installation's root: the nearest directory above this file that holds package.json. The same
 * answer from the sources (server/paths.ts) and from the bundle (dist/server/*.js), so asset and
 * build paths never depend on where the code was compiled to.
 */
function findRoot(from: string): string {
  for (let dir = from; ; ) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`No package.json above ${from}: cannot find the Plant Twin installation`);
    dir = up;
  }
}

/** Repository (installation) root. */
export const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
/** The shipped assets: plants/, alarms/, scenarios/. */
export const ASSETS = join(ROOT, 'assets');
/** Where `npm run build` writes the client (Vite). */
export const CLIENT_DIST = join(ROOT, 'dist', 'client');
/**
 * Where `npm run build` writes the server bundle (esbuild): main.js, user.js, db.js,
 * recordWorker.js, whatIfWorker.js, modelWorker.js.
 */
export const SERVER_DIST = join(ROOT, 'dist', 'server');
