import pino from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, Layout, PlantSnapshot, ServerToClientEvents } from '../../protocol';
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

/** Starts a real server on a free port with the default plant. */
export async function startTestServer(opts: { seed?: number; speed?: number } = {}) {
  const session = new PlantSession(defaultLayout(), { seed: opts.seed ?? 7, speed: opts.speed ?? 1 });
  const app: TwinApp = createApp({ session, logger: pino({ level: 'silent' }), clientDir: null });
  const port = await app.listen(0, '127.0.0.1');
  return { app, session, port, url: `http://127.0.0.1:${port}` };
}

/** A real socket.io-client, connected over WebSocket. */
export function connectClient(url: string): TestClient {
  return connect(url, {
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
