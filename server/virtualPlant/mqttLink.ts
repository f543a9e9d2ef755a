import { randomBytes } from 'node:crypto';
import type { IClientOptions, MqttClient } from 'mqtt';
import type { Logger } from 'pino';

/** Wait between reconnection attempts, ms. */
export const RECONNECT_MS = 1000;

/**
 * mqtt.js options of one virtual device's connection: MQTT 3.1.1 (what Sparkplug B 3.0 and
 * VDA 5050 2.0 both run on, and what every broker speaks), a clean session (subscriptions are
 * renewed on every connect), a client id of its own (two virtual plants on one broker must not take
 * each other's sessions) and its Will, which the broker publishes only if the connection is lost.
 */
export function linkOptions(name: string, will?: IClientOptions['will']): IClientOptions {
  return {
    clientId: `vplant-${name}-${randomBytes(3).toString('hex')}`.slice(0, 64),
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: RECONNECT_MS,
    connectTimeout: 5000,
    resubscribe: false,
    // Sparkplug's and VDA 5050's liveness rests on the Will: a short keepalive finds a dead link fast, s.
    keepalive: 10,
    will,
  };
}

/**
 * Logs a link's connection errors once per outage (mqtt.js retries every second: an unreachable
 * broker would otherwise log a line per device per second), and the reconnection after one.
 */
export function logLinkErrors(client: MqttClient, logger: Logger, fields: Record<string, string>): void {
  let down = false;
  client.on('error', (err) => {
    if (down) return;
    down = true;
    logger.warn({ ...fields, err: err.message }, 'broker connection failed; retrying every second');
  });
  client.on('connect', () => {
    if (down) logger.info(fields, 'broker connection back');
    down = false;
  });
}
