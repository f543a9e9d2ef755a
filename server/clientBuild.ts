import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (server/ lives directly under it). */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Where `vite build` writes the client. */
export const CLIENT_DIST = join(ROOT, 'dist', 'client');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** True when dist/client is missing or older than any source the client is built from. */
export function clientBuildIsStale(): boolean {
  const index = join(CLIENT_DIST, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  const sources = ['client', 'protocol'].map((d) => newestMtime(join(ROOT, d)));
  sources.push(statSync(join(ROOT, 'vite.config.ts')).mtimeMs);
  return Math.max(...sources) > built;
}
