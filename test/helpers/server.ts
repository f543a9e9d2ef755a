import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import {
  type ClientToServerEvents,
  type Layout,
  type PlantSnapshot,
  ROLES,
  type Role,
  type ServerToClientEvents,
} from '../../protocol';
import { setUpAlarms } from '../../server/alarms/setup';
import { createApp, type SecurityOptions, type TwinApp } from '../../server/app';
import { openAuth } from '../../server/auth/authService';
import type { AuditActor } from '../../server/auth/types';
import { chooseStartLayout } from '../../server/design/startLayout';
import type { TlsFiles } from '../../server/http/tls';
import { openModelStore } from '../../server/models/modelStore';
import { DEFAULT_PLANT, loadPlantFile } from '../../server/plantFile';
import type { RecorderTuning } from '../../server/recordings';
import { loadScenarioLibrary, type ScenarioLibrary } from '../../server/scenarios/loadScenario';
import { PlantSession } from '../../server/session/plantSession';
import { openDesignStore } from '../../server/store/designStore';
import { openPublishStore } from '../../server/store/publishStore';
import { openRecordingStore, type RecordingStore } from '../../server/store/recordingStore';

export type TestClient = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The default plant, validated (throws if the shipped file is broken). */
export function defaultLayout(): Layout {
  const r = loadPlantFile(DEFAULT_PLANT);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.layout;
}

/** A fresh, empty data directory (alarm database) in the system's temp dir. */
export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'plant-data-'));
}

/** The test users, one per role. */
export const TEST_USERS: Record<Role, string> = {
  viewer: 'viewer1',
  operator: 'op1',
  trainer: 'trainer1',
  admin: 'admin1',
  engineer: 'eng1',
};

/** Who the test helper is, for the audit of the users it creates. */
export const TEST_ACTOR: AuditActor = { user: 'test', role: null, source: 'test' };

/** A random password that passes the policy (never a fixed one, even in tests). */
export function randomPassword(): string {
  return randomBytes(15).toString('base64url');
}

export interface TestServerOptions {
  seed?: number;
  speed?: number;
  dataDir?: string;
  /** Handshake and rate-limit settings (default: no extra origins, no public showcase, default rate). */
  security?: Partial<SecurityOptions>;
  /** Login session lifetime, ms (default: the auth core's). */
  sessionTtlMs?: number;
  /** Wall clock, ms since epoch, for the auth core and the app (tests move it to expire things). */
  now?: () => number;
  /** Training scenarios: a folder of scenario files (must all be valid) or a loaded library; default none. */
  scenarios?: string | ScenarioLibrary;
  /** Training sessions that may run at once (default: the app's). */
  maxTrainingSessions?: number;
  /**
   * Record and replay over a recordings store in the data directory (default off: nothing is
   * recorded). `true`: the live plant and training runs, with the recorder's defaults.
   */
  record?: boolean | { live?: boolean; retentionHours?: number; tuning?: RecorderTuning };
  /** Bearer token for GET /metrics besides admin sessions (default none). */
  metricsToken?: string;
  /** Serve HTTPS with this certificate and key (`url` is then https://); default plain HTTP. */
  tls?: TlsFiles;
  /**
   * Start on the last version published in `dataDir` as main.ts does without `--plant` (default:
   * the default plant, as with `--plant`).
   */
  published?: boolean;
}

/**
 * Starts a real server on a free port with the default plant, the default alarm rules, the auth
 * core over a fresh temporary data directory (or `dataDir`) and one user per role (random
 * passwords). `close()` closes the clients it made, stops the server and closes its databases.
 */
export async function startTestServer(opts: TestServerOptions = {}) {
  const plantFile = defaultLayout();
  const dataDir = opts.dataDir ?? tempDataDir();
  const designs = openDesignStore(dataDir);
  const publications = openPublishStore(dataDir);
  const start = chooseStartLayout({
    plantFile,
    plantPath: DEFAULT_PLANT,
    explicit: !opts.published,
    sources: false,
    publications,
    designs,
  });
  const layout = start.layout;
  const kept = new Set(layout.equipment.map((e) => e.id));
  const hidden = new Set(plantFile.equipment.map((e) => e.id).filter((id) => !kept.has(id)));
  const alarms = setUpAlarms(layout, { dataDir, hidden });
  if (!alarms.ok) throw new Error(`${alarms.title}\n${alarms.errors.join('\n')}`);
  // scryptLogN 12: a fast hash for tests (production uses the auth core's default cost).
  const auth = openAuth({ dataDir, scryptLogN: 12, now: opts.now, sessionTtlMs: opts.sessionTtlMs });
  const users = {} as Record<Role, { username: string; password: string }>;
  for (const role of ROLES) {
    const username = TEST_USERS[role];
    const password = randomPassword();
    const r = await auth.addUser(username, role, password, TEST_ACTOR);
    if (!r.ok && r.code !== 'CONFLICT') throw new Error(`could not add ${username}: ${r.message}`);
    if (!r.ok) await auth.setPassword(username, password, TEST_ACTOR);
    users[role] = { username, password };
  }
  const session = new PlantSession(layout, {
    seed: opts.seed ?? 7,
    speed: opts.speed ?? 1,
    alarms: alarms.book,
  });
  const security: SecurityOptions = {
    allowOrigins: opts.security?.allowOrigins ?? [],
    publicShowcase: opts.security?.publicShowcase ?? false,
    requestRate: opts.security?.requestRate,
  };
  let scenarios: ScenarioLibrary | undefined;
  if (typeof opts.scenarios === 'string') {
    scenarios = loadScenarioLibrary(opts.scenarios);
    if (scenarios.errors.length) throw new Error(scenarios.errors.join('\n'));
  } else scenarios = opts.scenarios;
  const rec = opts.record === true ? {} : opts.record || null;
  const recordings: RecordingStore | null = rec ? openRecordingStore(dataDir) : null;
  // Always open: its tables appear only at the first draft, so other tests' databases stay as they were.
  const models = openModelStore(dataDir);
  const app: TwinApp = createApp(
    {
      session,
      logger: pino({ level: 'silent' }),
      clientDir: null,
      auth,
      security,
      now: opts.now,
      scenarios,
      recording: rec && recordings ? { store: recordings, ...rec } : undefined,
      metricsToken: opts.metricsToken,
      tls: opts.tls,
      designs,
      models,
      publish: { publications, base: { layout: plantFile, path: DEFAULT_PLANT }, liveSeq: start.liveSeq },
    },
    { maxTrainingSessions: opts.maxTrainingSessions },
  );
  const port = await app.listen(0, '127.0.0.1');
  const url = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const made: TestClient[] = [];

  /** Logs in over the real HTTP API and resolves with the token. */
  const loginAs = async (username: string, password: string): Promise<string> => {
    const res = await fetch(`${url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const body = (await res.json()) as { ok: boolean; token?: string; message?: string };
    if (!body.ok || !body.token) throw new Error(`login of ${username} failed: ${body.message}`);
    return body.token;
  };
  const login = (role: Role) => loginAs(users[role].username, users[role].password);

  /**
   * A client connected with a fresh login of `role` (or `token`), resolved once its first snapshot
   * arrived (so every handler is attached); it is closed by `close()`. `session`: join that
   * training session (id or code) instead of the live plant.
   */
  const client = async (
    role: Role,
    extra: { token?: string; headers?: Record<string, string>; session?: string } = {},
  ): Promise<TestClient> => {
    const token = extra.token ?? (await login(role));
    const c = connectClient(
      url,
      extra.session === undefined ? { token } : { token, session: extra.session },
      extra.headers,
    );
    made.push(c);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${role} client did not connect`)), 10_000);
      c.once('plant:snapshot', () => {
        clearTimeout(timer);
        resolve();
      });
      c.once('connect_error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    return c;
  };

  const close = async () => {
    for (const c of made) c.close();
    await app.close();
    recordings?.close();
    designs.close();
    publications.close();
    alarms.store.close();
    auth.close();
  };
  return {
    app,
    session,
    port,
    url,
    dataDir,
    auth,
    users,
    recordings,
    designs,
    publications,
    models,
    login,
    loginAs,
    client,
    close,
  };
}

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;

/**
 * A real socket.io-client, connected over WebSocket. `auth` is the handshake's (`{ token }`,
 * `{ showcase: true }`); `extraHeaders` e.g. `{ origin }`.
 */
export function connectClient(
  url: string,
  auth?: Record<string, unknown>,
  extraHeaders?: Record<string, string>,
): TestClient {
  return connect(url, {
    auth,
    extraHeaders,
    transports: ['websocket'],
    reconnectionDelay: 100,
    reconnectionDelayMax: 200,
    forceNew: true,
  });
}

/** Resolves with the next occurrence of an event. */
export function nextEvent(client: TestClient, event: 'plant:snapshot'): Promise<PlantSnapshot>;
export function nextEvent<T>(client: TestClient, event: string): Promise<T>;
export function nextEvent(client: TestClient, event: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${event}`)), 10_000);
    (client as unknown as { once: (e: string, f: (v: unknown) => void) => void }).once(event, (v) => {
      clearTimeout(timer);
      resolve(v);
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A handshake refusal as the client sees it (`connect_error`'s data). */
export interface HandshakeRefusal {
  code: string;
  message: string;
}

/**
 * Resolves with the refusal of a connection attempt; rejects if the server lets it in. `options`
 * are extra socket.io-client options (e.g. `{ query: { token } }`).
 */
export function handshakeRefusal(
  url: string,
  auth?: Record<string, unknown>,
  extraHeaders?: Record<string, string>,
  options: Record<string, unknown> = {},
): Promise<HandshakeRefusal> {
  const c = connect(url, {
    auth,
    extraHeaders,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...options,
  });
  return new Promise((resolve, reject) => {
    const done = (f: () => void) => {
      clearTimeout(timer);
      c.close();
      f();
    };
    const timer = setTimeout(() => done(() => reject(new Error('no answer to the handshake'))), 10_000);
    c.once('connect', () => done(() => reject(new Error('the server let the client in'))));
    c.once('connect_error', (err) =>
      done(() =>
        resolve({
          ...((err as Error & { data?: HandshakeRefusal }).data ?? { code: '', message: err.message }),
        }),
      ),
    );
  });
}
