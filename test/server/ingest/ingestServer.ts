import pino, { type Logger } from 'pino';
import type { Role, SourcesFile } from '../../../protocol';
import { sourcesFileSchema } from '../../../protocol';
import { createApp } from '../../../server/app';
import { Ingest, type IngestDeps } from '../../../server/ingest/ingest';
import { wallClockMs } from '../../../server/loop';
import { PlantSession } from '../../../server/session/plantSession';
import { openRecordingStore } from '../../../server/store/recordingStore';
import { openTestAuth } from '../../helpers/appServer';
import { connectClient, defaultLayout, type TestClient, tempDataDir } from '../../helpers/server';

/**
 * A real server (port 0) whose live plant is fed by the sources in `file` (a sources-file value,
 * validated here; `opts`: data dir, logger and the test-only adapter seam), with one user per role. `close()` stops the app (and its sources) and the auth.
 */
export async function startIngestServer(
  file: unknown,
  opts: { dataDir?: string; logger?: Logger; record?: boolean } & Pick<IngestDeps, 'adapterOverride'> = {},
) {
  const parsed = sourcesFileSchema.safeParse(file);
  if (!parsed.success) throw new Error(parsed.error.message);
  const sources: SourcesFile = parsed.data;
  const layout = defaultLayout();
  const session = new PlantSession(layout, { seed: 11, speed: 1 });
  const logger = opts.logger ?? pino({ level: 'silent' });
  const built = Ingest.create(session.world, sources, {
    logger,
    now: wallClockMs,
    dataDir: opts.dataDir,
    adapterOverride: opts.adapterOverride,
  });
  if (!built.ok) throw new Error(built.errors.join('\n'));
  session.overlay = built.ingest;
  const { auth, users } = await openTestAuth();
  // Small chunks: what was recorded is readable within a second.
  const recordings = opts.record ? openRecordingStore(tempDataDir()) : null;
  const app = createApp({
    session,
    logger,
    recording: recordings
      ? { store: recordings, tuning: { chunkFrames: 5, flushEveryMs: 200, keyframeEveryS: 10 } }
      : undefined,
    clientDir: null,
    auth,
    security: { allowOrigins: [], publicShowcase: false, requestRate: { perS: 1000, burst: 1000 } },
    ingest: built.ingest,
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
  /** GET an API path as `role`; resolves with the status and the JSON body. */
  const get = async <T>(path: string, role: Role = 'operator') => {
    const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${await login(role)}` } });
    return { status: res.status, body: (await res.json()) as T };
  };
  const clients: TestClient[] = [];
  const client = async (role: Role = 'viewer') => {
    const c = connectClient(url, { token: await login(role) });
    clients.push(c);
    return c;
  };
  const close = async () => {
    for (const c of clients) c.close();
    await app.close();
    recordings?.close();
    auth.close();
  };
  return { app, session, ingest: built.ingest, auth, url, login, get, client, close };
}

/** Polls `fn` every 50 ms until it returns a truthy value (or throws after `ms`). */
export async function until<T>(
  fn: () => T | Promise<T>,
  ms = 15_000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
