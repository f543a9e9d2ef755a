import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { type EquipmentSpec, MACHINE_STATES, type MachineState, signalsOf } from '../../protocol';
import type { EquipmentRuntime } from '../sim/types';
import { linkOptions, logLinkErrors } from './mqttLink';
import { STATE_TEXT, unsTopic } from './protocolSplit';

/** Every machine reports at least this often, ms (and at once when its state changes). */
const REPORT_EVERY_MS = 1000;

interface Reporter {
  eq: EquipmentRuntime;
  topic: string;
  keys: readonly string[];
  lastMs: number;
  lastState: number;
}

/**
 * Drones, racks and feeders as devices of a unified namespace: JSON on `planttwin/<area>/<id>`,
 * `{ ts, status, telemetry: { <signal>: value } }` (drones add `position`), once a second and on
 * every state change. A clean exit reports every machine OFFLINE.
 */
export class UnsPublisher {
  private client: MqttClient | null = null;
  private readonly reporters: Reporter[];

  constructor(
    private readonly broker: string,
    equipment: { eq: EquipmentRuntime; spec: EquipmentSpec }[],
    private readonly logger: Logger,
  ) {
    this.reporters = equipment.map(({ eq, spec }) => ({
      eq,
      topic: unsTopic(spec.zone, eq.id),
      keys: signalsOf(eq.kind).map((d) => d.key),
      lastMs: 0,
      lastState: -1,
    }));
  }

  start(): void {
    const client = mqtt.connect(this.broker, linkOptions('uns'));
    this.client = client;
    logLinkErrors(client, this.logger, { link: 'uns' });
  }

  private payload(r: Reporter, nowMs: number, status?: string): string {
    const telemetry: Record<string, number> = {};
    for (let i = 0; i < r.keys.length; i++) telemetry[r.keys[i]] = r.eq.signals[i];
    const doc: Record<string, unknown> = {
      ts: nowMs,
      status: status ?? STATE_TEXT[MACHINE_STATES[r.eq.state] as MachineState] ?? 'OFFLINE',
      telemetry,
    };
    const p = r.eq.pose;
    if (p) doc.position = { x: p[0], y: p[1], z: p[2], yaw: p[3] };
    return JSON.stringify(doc);
  }

  tick(nowMs: number): void {
    const c = this.client;
    if (!c?.connected) return;
    for (const r of this.reporters) {
      if (r.eq.state === r.lastState && nowMs - r.lastMs < REPORT_EVERY_MS) continue;
      r.lastState = r.eq.state;
      r.lastMs = nowMs;
      c.publish(r.topic, this.payload(r, nowMs), { qos: 0 });
    }
  }

  async stop(): Promise<void> {
    const c = this.client;
    this.client = null;
    if (!c) return;
    if (c.connected) {
      const now = Date.now();
      await Promise.all(
        this.reporters.map((r) =>
          c.publishAsync(r.topic, this.payload(r, now, 'OFFLINE'), { qos: 1 }).catch(() => {}),
        ),
      );
    }
    await c.endAsync(false).catch(() => {});
  }
}
