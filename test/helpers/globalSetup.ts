import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../../server/paths';

/**
 * Before any test file: builds the server bundle when it is missing or older than its sources.
 * Tests start `node dist/server/main.js`, and every recording is written by the compiled worker
 * (dist/server/recordWorker.js), so a stale bundle would test old code. `npm test` has just built
 * everything; this covers `npx vitest run FILE` after an edit. (The client is not built here.)
 */
export default function setup(): void {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--server', '--if-stale'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error('building the server bundle failed (node scripts/build.mjs --server)');
}
