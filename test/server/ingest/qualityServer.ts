import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import {
  decodeFrameToObjects,
  type EquipmentKind,
  type PlantSnapshot,
  type Role,
  type SourcesFile,
  sourcesFileSchema,
} from '../../../protocol';
import { setUpAlarms } from '../../../server/alarms/setup';
import { createApp } from '../../../server/app';
import { hideUnmapped } from '../../../server/ingest/hideUnmapped';
import { Ingest } from '../../../server/ingest/ingest';
import { openValueHistory, type ValueHistoryStore } from '../../../server/ingest/valueHistory';
import { wallClockMs } from '../../../server/loop';
import { PlantSession } from '../../../server/session/plantSession';
import { openTestAuth } from '../../helpers/appServer';
import { connectClient, defaultLayout, type TestClient, tempDataDir } from '../../helpers/server';

/**
 * A real server (port 0) built the way serve.ts builds it: the sources file hides unmapped
 * equipment before the plant exists, the alarms (rules from `rules`, or the shipped ones) live in
 * a real SQLite file of a temp data directory, and the ingest binds its input quality to them and
 * keeps its value history in the same database. `file: null`: a fully simulated plant.
 */
export async function startQualityServer(file: unknown | null, opts: { rules?: unknown } = {}) {
  let sources: SourcesFile | null = null;
  if (file !== null) {
    const parsed = sourcesFileSchema.safeParse(file);
    if (!parsed.success) throw new Error(parsed.error.message);
    sources = parsed.data;
  }
  const dataDir = tempDataDir();
  let layout = defaultLayout();
  let hidden = new Set<string>();
  if (sources?.unmapped === 'hide') {
    const h = hideUnmapped(layout, sources);
    if (!h.ok) throw new Error(h.errors.join('\n'));
    layout = h.layout;
    hidden = new Set(h.hidden);
  }
  let rulesPath: string | undefined;
  if (opts.rules !== undefined) {
    rulesPath = join(dataDir, 'rules.json');
    writeFileSync(rulesPath, JSON.stringify(opts.rules));
  }
  const alarms = setUpAlarms(layout, { rulesPath, dataDir, hidden });
  if (!alarms.ok) throw new Error(`${alarms.title}\n${alarms.errors.join('\n')}`);
  const session = new PlantSession(layout, { seed: 11, speed: 1, alarms: alarms.book });
  const logger = pino({ level: 'silent' });
  let ingest: Ingest | null = null;
  let history: ValueHistoryStore | null = null;
  if (sources) {
    const built = Ingest.create(session.world, sources, {
      logger,
      now: wallClockMs,
      alarms: alarms.book,
      history: (equipment) => {
        history = openValueHistory(dataDir, equipment, { logger });
        return history;
      },
    });
    if (!built.ok) throw new Error(built.errors.join('\n'));
    ingest = built.ingest;
    session.overlay = ingest;
  }
  const { auth, users } = await openTestAuth();
  const app = createApp({
    session,
    logger,
    clientDir: null,
    auth,
    security: { allowOrigins: [], publicShowcase: false, requestRate: { perS: 1000, burst: 1000 } },
    ingest,
  });
  const port = await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  const tokens = new Map<Role, string>();
  const login = async (role: Role) => {
    const have = tokens.get(role);
    if (have) return have;
    const res = await fetch(`${url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(users[role]),
    });
    const body = (await res.json()) as { token?: string };
    if (!body.token) throw new Error(`login of ${role} failed`);
    tokens.set(role, body.token);
    return body.token;
  };
  /** GET an API path as `role` (null: no token); resolves with the status and the JSON body. */
  const get = async <T>(path: string, role: Role | null = 'viewer') => {
    const headers: Record<string, string> = role ? { authorization: `Bearer ${await login(role)}` } : {};
    const res = await fetch(`${url}${path}`, { headers });
    return { status: res.status, body: (await res.json()) as T };
  };
  const clients: TestClient[] = [];
  /** A viewer's Socket.IO client, with the data mark of every equipment as its frames say it. */
  const watch = async () => {
    const c = connectClient(url, { token: await login('viewer') });
    clients.push(c);
    const marks = new Map<string, number>();
    let kinds: EquipmentKind[] = [];
    let ids: string[] = [];
    const take = (buf: ArrayBuffer) => {
      for (const en of decodeFrameToObjects(buf, kinds).entries) marks.set(ids[en.index], en.mark);
    };
    const snapshot = await new Promise<PlantSnapshot>((resolve) => c.once('plant:snapshot', resolve));
    kinds = snapshot.plant.equipment.map((e) => e.kind);
    ids = snapshot.plant.equipment.map((e) => e.id);
    take(snapshot.keyframe);
    c.on('telemetry:frame', take);
    return { client: c, snapshot, marks };
  };
  const close = async () => {
    for (const c of clients) c.close();
    await app.close();
    auth.close();
    (history as ValueHistoryStore | null)?.close();
    alarms.store.close();
  };
  return {
    app,
    session,
    ingest,
    book: alarms.book,
    history: () => history as ValueHistoryStore | null,
    url,
    login,
    get,
    watch,
    close,
  };
}
