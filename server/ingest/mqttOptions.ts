import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IClientOptions, MqttClient } from 'mqtt';
import type { MqttJsonSource, SparkplugSource, Vda5050Source } from '../../protocol';
import type { SourceStats } from './sourceStats';

/** Wait between reconnection attempts, ms (mqtt.js retries by itself forever). */
export const RECONNECT_MS = 1000;
/** Give up one connection attempt after this long, ms. */
const CONNECT_TIMEOUT_MS = 5000;

type MqttSource = MqttJsonSource | SparkplugSource | Vda5050Source;

/**
 * mqtt.js options of a source: credentials from the environment or a file (never from the sources
 * file itself), TLS files read now so a missing one stops the server at start. MQTT 3.1.1, which
 * every broker speaks (the embedded aedes knows no other); a clean session, subscriptions renewed
 * on every connect by the adapter.
 */
export function mqttOptions(
  s: MqttSource,
  env: NodeJS.ProcessEnv,
): { ok: true; options: IClientOptions } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const read = (field: string, path: string | undefined): Buffer | undefined => {
    if (!path) return undefined;
    try {
      return readFileSync(path);
    } catch (err) {
      errors.push(
        `source "${s.id}": ${field} ${path}: cannot read file (${(err as NodeJS.ErrnoException).code})`,
      );
      return undefined;
    }
  };
  let password: string | undefined;
  if (s.passwordEnv) {
    password = env[s.passwordEnv];
    if (password === undefined)
      errors.push(`source "${s.id}": environment variable ${s.passwordEnv} is not set`);
  } else if (s.passwordFile) password = read('passwordFile', s.passwordFile)?.toString('utf8').trim();
  const options: IClientOptions = {
    // A random suffix by default: two twins (or a restart racing the old session) on one broker would
    // otherwise take each other's client id and be disconnected in turn.
    clientId: s.clientId ?? `plant-twin-${s.id}-${randomBytes(4).toString('hex')}`,
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: RECONNECT_MS,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // The adapter subscribes in its 'connect' handler, so mqtt.js need not replay subscriptions.
    resubscribe: false,
    username: s.username,
    password,
    ca: read('ca', s.ca),
    cert: read('cert', s.cert),
    key: read('key', s.key),
    rejectUnauthorized: true,
  };
  return errors.length ? { ok: false, errors } : { ok: true, options };
}

/**
 * Keeps a source's connection status and last connection error in step with an mqtt.js client
 * (connected / connecting while it retries / down when offline). Adapters add their own listeners
 * for what their protocol does on (re)connection or loss; these run first.
 */
export function trackConnection(client: MqttClient, stats: SourceStats, now: () => number): void {
  stats.status = 'connecting';
  client.on('connect', () => {
    stats.status = 'connected';
  });
  client.on('reconnect', () => {
    stats.status = 'connecting';
  });
  client.on('close', () => {
    if (stats.status === 'connected') stats.status = 'connecting';
  });
  client.on('offline', () => {
    stats.status = 'down';
  });
  client.on('error', (err) => stats.connectionError(`broker: ${err.message}`, now()));
}
