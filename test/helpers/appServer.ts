import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { type Layout, ROLES, type Role } from '../../protocol';
import { createApp } from '../../server/app';
import { openAuth } from '../../server/auth/authService';
import type { AuthService } from '../../server/auth/types';
import { CLIENT_DIST } from '../../server/clientBuild';
import { openModelStore } from '../../server/models/modelStore';
import { DEFAULT_PLANT } from '../../server/plantFile';
import type { RecorderTuning } from '../../server/recordings';
import { loadScenarioLibrary, SCENARIOS_DIR } from '../../server/scenarios/loadScenario';
import { PlantSession } from '../../server/session/plantSession';
import { scaleLayout } from '../../server/sim';
import { type DesignStore, openDesignStore } from '../../server/store/designStore';
import { openPublishStore } from '../../server/store/publishStore';
import { openRecordingStore, type RecordingStore } from '../../server/store/recordingStore';
import { defaultLayout, randomPassword, TEST_ACTOR, TEST_USERS, tempDataDir } from './server';

/** A user name and password that can log in. */
export interface Credential {
  username: string;
  password: string;
}

/** Options of startAppServer. */
export interface AppServerOptions {
  seed?: number;
  speed?: number;
  scale?: number;
  /** Let viewers watch /showcase without logging in (`--public-showcase`). */
  publicShowcase?: boolean;
  /** Reuse an open auth core (a restarted server with the same users and sessions). */
  auth?: AuthService;
  /** Port to listen on (default: any free one; a restart test reuses the first server's). */
  port?: number;
  /** Load the shipped training scenarios (as server/main.ts does), enabling training sessions. */
  training?: boolean;
  /**
   * Record and replay over a recordings store in a fresh temporary data directory (default off).
   * `true`: the live plant and training runs with the recorder's defaults; an object tunes it
   * (small chunks make a live recording replayable within a second).
   */
  record?: boolean | { live?: boolean; retentionHours?: number; tuning?: RecorderTuning };
  /** Origins that may frame the pages (`--frame-ancestors`; default: none). */
  frameAncestors?: string[];
  /** Keep design drafts in a fresh temporary data directory (default off: the design API answers 404). */
  designs?: boolean;
  /** The plant (default: the shipped one). */
  layout?: Layout;
  /**
   * Keep uploaded plant models in a fresh temporary data directory, as the real server always does
   * (default on; false: the model API answers 404, and the logged-in client's model list with it).
   */
  models?: boolean;
}

/**
 * Opens the auth core in a fresh temporary data directory with one user per role (random
 * passwords; scrypt cost lowered for speed). The caller closes it.
 */
export async function openTestAuth(): Promise<{ auth: AuthService; users: Record<Role, Credential> }> {
  const auth = openAuth({ dataDir: tempDataDir(), scryptLogN: 12 });
  const users = {} as Record<Role, Credential>;
  for (const role of ROLES) {
    const username = TEST_USERS[role];
    const password = randomPassword();
    const r = await auth.addUser(username, role, password, TEST_ACTOR);
    if (!r.ok) throw new Error(`could not add ${username}: ${r.message}`);
    users[role] = { username, password };
  }
  return { auth, users };
}

/**
 * Starts the real server with the built client (run `npm run build` first; `npm test` does), the
 * auth core and one user per role. `close()` stops the server and closes the auth core it opened
 * (an auth core passed in stays open: the caller's).
 */
export async function startAppServer(opts: AppServerOptions = {}) {
  if (!existsSync(join(CLIENT_DIST, 'index.html')))
    throw new Error('dist/client is missing: run `npm run build` (npm test builds it first)');
  const base = opts.layout ?? defaultLayout();
  const layout = opts.scale ? scaleLayout(base, opts.scale) : base;
  const session = new PlantSession(layout, { seed: opts.seed ?? 3, speed: opts.speed ?? 1 });
  const own = opts.auth ? null : await openTestAuth();
  const auth = opts.auth ?? own!.auth;
  const scenarios = opts.training ? loadScenarioLibrary(SCENARIOS_DIR) : undefined;
  if (scenarios?.errors.length)
    throw new Error(`scenario files are not valid:\n${scenarios.errors.join('\n')}`);
  const rec = opts.record === true ? {} : opts.record || null;
  const recordings: RecordingStore | null = rec ? openRecordingStore(tempDataDir()) : null;
  const designDir = opts.designs ? tempDataDir() : null;
  const designs: DesignStore | null = designDir ? openDesignStore(designDir) : null;
  // Publishing works on the drafts' database, as in main.ts.
  const publications = designDir ? openPublishStore(designDir) : null;
  const models = opts.models === false ? null : openModelStore(tempDataDir());
  const app = createApp({
    session,
    scenarios,
    recording: rec && recordings ? { store: recordings, ...rec } : undefined,
    logger: pino({ level: 'silent' }),
    clientDir: CLIENT_DIST,
    auth,
    security: { allowOrigins: [], publicShowcase: opts.publicShowcase ?? false },
    frameAncestors: opts.frameAncestors,
    designs,
    publish: publications ? { publications, base: { layout, path: DEFAULT_PLANT }, liveSeq: null } : null,
    models,
  });
  const port = await app.listen(opts.port ?? 0, '127.0.0.1');
  const close = async () => {
    await app.close();
    recordings?.close();
    designs?.close();
    publications?.close();
    own?.auth.close();
  };
  return {
    app,
    session,
    auth,
    /** The recordings store (null unless `record`). */
    recordings,
    /** Credentials per role (empty when an auth core was passed in: the caller has them). */
    users: own?.users ?? ({} as Record<Role, Credential>),
    url: `http://127.0.0.1:${port}`,
    close,
  };
}

export type AppServer = Awaited<ReturnType<typeof startAppServer>>;
