#!/usr/bin/env node
// `npm run build`: the client with Vite into dist/client, the server with esbuild into dist/server
// (main.js, user.js, db.js, recordWorker.js, whatIfWorker.js, modelWorker.js; packages stay
// external, so a production install needs only the runtime dependencies). Plain Node: no tsx.
//
//   node scripts/build.mjs [--client] [--server] [--if-stale]
//
// Without --client/--server it builds both; with --if-stale only what is missing or older than
// its sources.
import { readFileSync, renameSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CLIENT_DIST, clientState, ROOT, SERVER_DIST, SERVER_ENTRIES, serverState } from './buildState.mjs';

/** Packages the bundle may load only on demand: `--dev` (sources only) needs Vite. */
const DEV_ONLY_DYNAMIC = new Set(['vite']);

const { values } = parseArgs({
  options: { client: { type: 'boolean' }, server: { type: 'boolean' }, 'if-stale': { type: 'boolean' } },
});
const both = !values.client && !values.server;
const wantClient = (both || values.client) && (!values['if-stale'] || clientState() !== 'fresh');
const wantServer = (both || values.server) && (!values['if-stale'] || serverState() !== 'fresh');

if (wantClient) {
  const started = Date.now();
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
  console.log(`Built the client into ${CLIENT_DIST} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
if (wantServer) await buildServer();

async function buildServer() {
  const started = Date.now();
  const esbuild = await import('esbuild');
  // Into a fresh folder first, then swapped in: a half-written bundle is never what starts.
  const tmp = `${SERVER_DIST}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: SERVER_ENTRIES,
    outdir: tmp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    // Shared code in chunks, so main.js can install its signal handlers before the rest loads.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
  });
  checkImports(result.metafile);
  rmSync(SERVER_DIST, { recursive: true, force: true });
  try {
    renameSync(tmp, SERVER_DIST);
  } catch (err) {
    // A concurrent build swapped its copy in first: take ours instead (the same sources).
    if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
    rmSync(SERVER_DIST, { recursive: true, force: true });
    renameSync(tmp, SERVER_DIST);
  }
  console.log(`Built the server into ${SERVER_DIST} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Fails the build when the bundle imports a package that a production install
 * (`npm ci --omit=dev`) does not have: statically only Node built-ins and "dependencies".
 */
function checkImports(metafile) {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const runtime = new Set(Object.keys(pkg.dependencies ?? {}));
  const builtins = new Set(builtinModules);
  const wrong = [];
  for (const [file, out] of Object.entries(metafile.outputs)) {
    for (const imp of out.imports) {
      if (!imp.external) continue;
      const spec = imp.path;
      if (spec.startsWith('node:') || builtins.has(spec)) continue;
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      if (runtime.has(name)) continue;
      if (imp.kind === 'dynamic-import' && DEV_ONLY_DYNAMIC.has(name)) continue;
      wrong.push(`${file} imports ${spec} (${imp.kind}), which is not a runtime dependency`);
    }
  }
  if (wrong.length) throw new Error(`The server bundle needs development packages:\n  ${wrong.join('\n  ')}`);
}
