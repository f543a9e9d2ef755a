#!/usr/bin/env node
// `npm run demo:connected`: the twin with its embedded MQTT broker and the virtual plant's sources
// file, plus the virtual plant publishing to that broker (and serving OPC UA on 4840): the whole
// ingest path on one machine. Extra arguments go to the twin (e.g. `-- --port 8080`). Ctrl-C stops
// both; when either ends, the other is stopped too.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildToolsPresent, clientState, ROOT, SERVER_DIST, serverState } from './buildState.mjs';

const MQTT_PORT = 1883;

// One build first, so the two launchers do not race to rebuild the same dist/.
const stale = clientState() !== 'fresh' || serverState() !== 'fresh';
if (stale && buildToolsPresent()) {
  const code = await new Promise((resolve) =>
    spawn(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--if-stale'], {
      cwd: ROOT,
      stdio: 'inherit',
    }).on('exit', (c) => resolve(c)),
  );
  if (code !== 0) process.exit(1);
}

const children = [];
const run = (entry, args) => {
  const child = spawn(process.execPath, [join(SERVER_DIST, entry), ...args], { cwd: ROOT, stdio: 'inherit' });
  children.push(child);
  child.on('exit', (code) => {
    for (const c of children) if (c !== child && c.exitCode === null) c.kill('SIGTERM');
    if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(code ?? 0);
  });
  return child;
};

run('main.js', [
  '--mqtt-listen',
  String(MQTT_PORT),
  '--host',
  '127.0.0.1',
  '--sources',
  join(ROOT, 'assets', 'sources', 'virtual-plant.yaml'),
  ...process.argv.slice(2),
]);
run('virtualPlant.js', ['--broker', `mqtt://127.0.0.1:${MQTT_PORT}`]);

for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  });
