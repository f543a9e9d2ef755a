// Runs a compiled entry of dist/server in this very process (plain Node), building first what is
// missing or older than its sources. The build runs as a child process, so Vite and esbuild never
// load into the process that serves: `npm start` leaves one node process.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildToolsPresent, clientState, ROOT, SERVER_DIST, serverState } from './buildState.mjs';

/**
 * Builds (when needed and possible) and imports dist/server/ENTRY.js. `parts`: which builds the
 * entry needs ('client', 'server'). `installsSignalHandlers`: the entry replaces the launcher's
 * SIGTERM/SIGINT handlers first thing (the server does), so no signal falls between the two;
 * otherwise they are removed before it loads.
 */
export async function launch(entry, parts, installsSignalHandlers = false) {
  // Until the server installs its own, a signal ends start-up (and any build) with status 0.
  let build = null;
  const early = () => {
    build?.kill('SIGTERM');
    process.exit(0);
  };
  process.on('SIGTERM', early);
  process.on('SIGINT', early);

  const states = { client: parts.includes('client') ? clientState() : 'fresh', server: serverState() };
  const todo = Object.keys(states).filter((p) => states[p] !== 'fresh');
  if (todo.length && buildToolsPresent()) {
    console.error(`Building ${todo.join(' and ')} (${todo.map((p) => `${p} ${states[p]}`).join(', ')})...`);
    build = spawn(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), ...todo.map((p) => `--${p}`)], {
      cwd: ROOT,
      // Build chatter on stderr: stdout stays the entry's (e.g. `npm run user -- list`).
      stdio: ['ignore', process.stderr, process.stderr],
    });
    const code = await new Promise((resolve) => build.on('exit', (c, signal) => resolve(signal ? 1 : c)));
    build = null;
    if (code !== 0) {
      console.error('The build failed (see above): nothing started.');
      process.exit(1);
    }
  } else if (todo.length) {
    const missing = todo.filter((p) => states[p] === 'missing');
    if (missing.length) {
      console.error(
        `dist/${missing.join(' and dist/')} ${missing.length > 1 ? 'are' : 'is'} missing and the build tools are not installed.\n` +
          'Run `npm run build` on a development install (`npm ci`), then copy dist/ here.',
      );
      process.exit(1);
    }
    console.error(
      `Warning: dist/${todo.join(' and dist/')} is older than its sources (no build tools here to rebuild it); running it anyway.`,
    );
  }
  if (!installsSignalHandlers) {
    process.off('SIGTERM', early);
    process.off('SIGINT', early);
  }
  await import(pathToFileURL(join(SERVER_DIST, `${entry}.js`)).href);
}
