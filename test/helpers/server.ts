import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, Layout, PlantSnapshot, ServerToClientEvents } from '../../protocol';
import { setUpAlarms } from '../../server/alarms/setup';
import { createApp, type TwinApp } from '../../server/app';
import { DEFAULT_PLANT, loadPlantFile } from '../../server/plantFile';
import { PlantSession } from '../../server/session/plantSession';

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

/**
 * Starts a real server on a free port with the default plant, the default alarm rules and a fresh
 * temporary data directory (or `dataDir`). `close()` stops it and closes its database.
 */
export async function startTestServer(opts: { seed?: number; speed?: number; dataDir?: string } = {}) {
  const layout = defaultLayout();
  const dataDir = opts.dataDir ?? tempDataDir();
  const alarms = setUpAlarms(layout, { dataDir });
  if (!alarms.ok) throw new Error(`${alarms.title}\n${alarms.errors.join('\n')}`);
  const session = new PlantSession(layout, {
    seed: opts.seed ?? 7,
    speed: opts.speed ?? 1,
    alarms: alarms.book,
  });
  const app: TwinApp = createApp({ session, logger: pino({ level: 'silent' }), clientDir: null });
  const port = await app.listen(0, '127.0.0.1');
  const close = async () => {
    await app.close();
    alarms.store.close();
  };
  return { app, session, port, url: `http://127.0.0.1:${port}`, dataDir, close };
}

/** A real socket.io-client, connected over WebSocket (`auth` as the handshake's, e.g. `{ user }`). */
export function connectClient(url: string, auth?: Record<string, unknown>): TestClient {
  return connect(url, {
    auth,
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
