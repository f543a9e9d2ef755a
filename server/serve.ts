/**
 * Composition root: configuration -> plant -> session -> app -> listen. Nothing else lives here.
 * Loaded by main.ts once the shutdown handlers are installed; everything opened registers its
 * closer, so a signal at any point closes what exists and exits 0.
 */

import { setUpAlarms } from './alarms/setup';
import { createApp } from './app';
import { openAuth } from './auth/authService';
import type { AuthService } from './auth/types';
import { loadConfig, USAGE } from './config';
import { chooseStartLayout } from './design/startLayout';
import type { Middleware } from './http/httpHandler';
import { readTlsFiles } from './http/tls';
import { type EmbeddedBroker, startEmbeddedBroker } from './ingest/embeddedBroker';
import { hideUnmapped } from './ingest/hideUnmapped';
import { Ingest } from './ingest/ingest';
import { loadSourcesFile } from './ingest/sourcesFile';
import { openValueHistory } from './ingest/valueHistory';
import { createLogger } from './logger';
import { wallClockMs } from './loop';
import { type ModelStore, openModelStore } from './models/modelStore';
import { CLIENT_DIST, ROOT } from './paths';
import { DEFAULT_PLANT, loadPlantFile } from './plantFile';
import { assertRecordWorker } from './recording/recorder';
import { loadScenarioLibrary, SCENARIOS_DIR } from './scenarios/loadScenario';
import { PlantSession } from './session/plantSession';
import { onShutdown, parkIfStopping } from './shutdown';
import { scaleLayout } from './sim';
import { type DesignStore, openDesignStore } from './store/designStore';
import { openPublishStore, type PublishStore } from './store/publishStore';
import { openRecordingStore, type RecordingStore } from './store/recordingStore';

function fail(title: string, errors: string[]): never {
  console.error(`${title}\n${errors.map((e) => `  - ${e}`).join('\n')}`);
  process.exit(1);
}

const cfg = loadConfig(process.argv.slice(2), process.env);
if (cfg.ok === 'help') {
  console.log(USAGE);
  process.exit(0);
}
if (!cfg.ok) fail(`Invalid configuration:`, [...cfg.errors, '', USAGE]);
const config = cfg.config;
const logger = createLogger(config.logLevel);
// Checked before anything is opened: a bad certificate stops the server with the flag named.
const tls = config.tlsCert && config.tlsKey ? readTlsFiles(config.tlsCert, config.tlsKey) : null;
if (tls && !tls.ok) fail('Cannot serve HTTPS:', tls.errors);
// --dev serves the client through Vite: only on a development install (checked before anything opens).
let vite: typeof import('vite') | null = null;
if (config.dev) {
  try {
    vite = await import('vite');
  } catch {
    fail('--dev needs the development install:', [
      'run `npm install`, then `npm run dev` (it runs the sources)',
    ]);
  }
}

const plantPath = config.plant ?? DEFAULT_PLANT;
const loaded = loadPlantFile(plantPath);
if (!loaded.ok) fail(`Plant file ${plantPath} is not valid:`, loaded.errors);
const scaled = config.scale ? scaleLayout(loaded.layout, config.scale) : loaded.layout;
// A bad sources file (or a protocol this version cannot run yet) stops the server with its errors.
const sources = config.sources ? loadSourcesFile(config.sources, scaled) : null;
if (sources && !sources.ok) fail(`Sources file ${config.sources} is not valid:`, sources.errors);
// `unmapped: hide`: the plant is built without the equipment no source maps.
const shown = sources?.ok && sources.file.unmapped === 'hide' ? hideUnmapped(scaled, sources.file) : null;
if (shown && !shown.ok)
  fail(`Sources file ${config.sources} cannot hide the unmapped equipment:`, shown.errors);
const fileLayout = shown?.ok ? shown.layout : scaled;
// Published design versions live in the data directory's database: the last one published runs,
// unless --plant (or --sources, mapped against the plant file) says otherwise.
let publishStore: PublishStore;
let designStore: DesignStore;
try {
  // Design drafts share the database file (their tables appear at the first draft).
  designStore = openDesignStore(config.data);
  const designs = designStore;
  onShutdown('design store', () => designs.close());
  publishStore = openPublishStore(config.data);
  const publications = publishStore;
  onShutdown('publish store', () => publications.close());
} catch (err) {
  fail('Cannot start:', [(err as Error).message]);
}
const start = chooseStartLayout({
  plantFile: fileLayout,
  plantPath,
  explicit: config.plant !== undefined,
  sources: !!sources,
  publications: publishStore,
  designs: designStore,
});
const layout = start.layout;
logger.info({ layout: start.why }, 'live plant layout');
// Rules were written for the plant file: equipment it has that a published layout lacks is hidden.
const kept = new Set(layout.equipment.map((e) => e.id));
const hidden = new Set([
  ...(shown?.ok ? shown.hidden : []),
  ...fileLayout.equipment.map((e) => e.id).filter((id) => !kept.has(id)),
]);

const alarms = setUpAlarms(layout, { rulesPath: config.alarms, dataDir: config.data, hidden });
if (!alarms.ok) fail(alarms.title, alarms.errors);
onShutdown('alarm store', () => alarms.store.close());
// A bad scenario file stops the server with path-and-line errors, like the alarm rules.
const scenariosDir = config.scenarios ?? SCENARIOS_DIR;
const scenarios = loadScenarioLibrary(scenariosDir, config.alarms);
if (scenarios.errors.length) fail(`Scenario files in ${scenariosDir} are not valid:`, scenarios.errors);
let auth: AuthService;
let firstAdminPassword: string | null;
let recordingStore: RecordingStore;
let modelStore: ModelStore;
try {
  // Recordings are written by a compiled worker (dist/server/recordWorker.js): refuse to start without it.
  assertRecordWorker();
  // Recordings share the database file (a connection of their own; each recorder writes from a worker).
  recordingStore = openRecordingStore(config.data);
  const recordings = recordingStore;
  onShutdown('recording store', () => recordings.close());
  // Uploaded models: files in <data>/models (nothing to close).
  modelStore = openModelStore(config.data);
  const users = openAuth({ dataDir: config.data, sessionTtlMs: config.sessionHours * 3600 * 1000 });
  auth = users;
  onShutdown('user store', () => users.close());
  firstAdminPassword = await auth.ensureFirstAdmin();
} catch (err) {
  fail('Cannot start:', [(err as Error).message]);
}
await parkIfStopping();
if (firstAdminPassword) {
  // Straight to the terminal, once; never through the logger (logs are kept and shipped).
  console.log(
    [
      '',
      '  No users yet: created user "admin" (role admin) with the password',
      '',
      `      ${firstAdminPassword}`,
      '',
      `  It is shown only this once. Change it with: npm run user -- passwd admin${config.data === './data' ? '' : ` --data ${config.data}`}`,
      '',
    ].join('\n'),
  );
}
const session = new PlantSession(layout, { seed: config.seed, speed: config.speed, alarms: alarms.book });
// Real equipment: the session applies what the sources send and keeps the simulation off it.
let ingest: Ingest | null = null;
if (sources?.ok) {
  const built = Ingest.create(session.world, sources.file, {
    logger,
    now: wallClockMs,
    dataDir: config.data,
    alarms: alarms.book,
    // Historical and late values go to their table in the data directory's database.
    history: (equipment) => {
      const h = openValueHistory(config.data, equipment, { logger });
      onShutdown('value history', () => h.close());
      return h;
    },
  });
  if (!built.ok) fail(`Sources in ${config.sources} cannot be used:`, built.errors);
  ingest = built.ingest;
  session.overlay = ingest;
}
let broker: EmbeddedBroker | null = null;
if (config.mqttListen !== undefined) {
  try {
    broker = await startEmbeddedBroker(config.mqttListen, config.host);
  } catch (err) {
    fail(`Cannot run the MQTT broker on ${config.host}:${config.mqttListen}:`, [(err as Error).message]);
  }
  const embedded = broker;
  onShutdown('mqtt broker', () => embedded.close());
  logger.info({ port: broker.port }, 'embedded MQTT broker listening');
}

let dev: Middleware | undefined;
if (vite) {
  const devServer = await vite.createServer({
    configFile: `${ROOT}/vite.config.ts`,
    server: { middlewareMode: true },
    appType: 'spa',
  });
  dev = devServer.middlewares;
  onShutdown('vite', () => devServer.close());
  await parkIfStopping();
}

const app = createApp({
  session,
  logger,
  clientDir: config.dev ? null : CLIENT_DIST,
  dev,
  auth,
  security: { allowOrigins: config.allowOrigin, publicShowcase: config.publicShowcase },
  scenarios,
  rulesPath: config.alarms,
  recording: { store: recordingStore, live: config.record, retentionHours: config.retentionHours },
  metricsToken: config.metricsToken,
  tls: tls?.ok ? tls.tls : null,
  frameAncestors: config.frameAncestors,
  ingest,
  designs: designStore,
  models: modelStore,
  publish: {
    publications: publishStore,
    base: { layout: fileLayout, path: plantPath },
    liveSeq: start.liveSeq,
  },
});
onShutdown('server', async () => {
  logger.info('shutting down');
  // app.close() commits the open recordings (their workers finish the last chunk) before it resolves.
  await app.close();
});
let port: number;
try {
  port = await app.listen(config.port, config.host);
} catch (err) {
  fail(`Cannot listen on ${config.host}:${config.port}:`, [(err as Error).message]);
}
await parkIfStopping();
logger.info(
  {
    equipment: layout.equipment.length,
    seed: config.seed,
    speed: config.speed,
    plant: plantPath,
    layout: start.why,
    data: config.data,
    alarmSeq: alarms.book.seq,
    scenarios: scenarios.scenarios.size,
    record: config.record,
    retentionHours: config.retentionHours,
    sources: ingest ? ingest.stats.length : 0,
  },
  'plant running',
);
console.log(`Plant Twin listening on ${tls ? 'https' : 'http'}://localhost:${port}`);
