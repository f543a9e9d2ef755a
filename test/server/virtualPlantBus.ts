import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { type DecodedPayload, decodePayload } from '../../server/ingest/sparkplug/payload';
import { ROOT, SERVER_DIST } from '../../server/paths';
import { serverEnv } from '../helpers/mainProcess';
import { spawnTracked, type Tracked } from '../helpers/processes';

/** The compiled virtual plant, as `npm run virtual-plant` runs it. */
export const VIRTUAL_PLANT_JS = join(SERVER_DIST, 'virtualPlant.js');

/** Starts `node dist/server/virtualPlant.js ARGS` (own process group, killed after the test or file). */
export function spawnVirtualPlant(args: string[]): Tracked {
  return spawnTracked(process.execPath, [VIRTUAL_PLANT_JS, ...args], {
    cwd: ROOT,
    env: { ...serverEnv(), LOG_LEVEL: 'warn' },
  });
}

/** Resolves once the virtual plant printed its ready line; throws with its output if it ended first. */
export async function virtualPlantReady(p: Tracked, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (p.output().includes('Virtual plant publishing to')) return;
    if (p.child.exitCode !== null || p.child.signalCode !== null)
      throw new Error(`the virtual plant ended:\n${p.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the virtual plant did not start:\n${p.output()}`);
}

/** One message a test subscriber received. */
export interface Seen {
  topic: string;
  payload: Buffer;
  retain: boolean;
  /** Receive time, ms since epoch. */
  at: number;
}

/** A subscriber that keeps every message it receives, in arrival order. */
export interface Bus {
  client: MqttClient;
  seen: Seen[];
  /** Messages on topics matching `re`, from index `from` on. */
  on(re: RegExp, from?: number): Seen[];
  close(): Promise<void>;
}

/** Connects a subscriber to `url` and subscribes `topics` (resolves once subscribed). */
export async function listen(url: string, topics: string[]): Promise<Bus> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0 });
  const seen: Seen[] = [];
  client.on('message', (topic, payload, packet) =>
    seen.push({ topic, payload, retain: packet.retain, at: Date.now() }),
  );
  await client.subscribeAsync(topics, { qos: 1 });
  return {
    client,
    seen,
    on: (re, from = 0) => seen.slice(from).filter((m) => re.test(m.topic)),
    close: () => client.endAsync(true),
  };
}

/** A Sparkplug message decoded. */
export function sp(m: Seen): DecodedPayload {
  return decodePayload(m.payload);
}

/** A JSON message parsed. */
export function json<T = Record<string, unknown>>(m: Seen): T {
  return JSON.parse(m.payload.toString('utf8')) as T;
}
