import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { MACHINE_STATES, type MachineState, signalsOf } from '../../protocol';
import {
  DataType,
  decodePayload,
  encodePayload,
  type MetricToEncode,
  PayloadError,
} from '../ingest/sparkplug/payload';
import type { SimCommand } from '../sim';
import type { EquipmentRuntime } from '../sim/types';
import { linkOptions, logLinkErrors } from './mqttLink';
import { CONTROL_METRICS, metricOf, SPARKPLUG_GROUP, STATE_METRIC, STATE_TEXT } from './protocolSplit';

/** Sparkplug B topic namespace. */
const NS = 'spBv1.0';
const BD_SEQ = 'bdSeq';
const REBIRTH = 'Node Control/Rebirth';

/** What an edge node needs of the running plant. */
export interface EdgeHost {
  /** Applies an operator command as the twin's own command path would (session.command). */
  command(cmd: SimCommand): { ok: boolean; message: string };
  logger: Logger;
}

/** One metric of a device: its catalog slot (-1: the state), alias and the scratch it is sent in. */
interface Metric {
  sig: number;
  name: string;
  alias: number;
  datatype: number;
  unit: string;
  /** Reused for every DDATA (no allocation per tick). */
  out: MetricToEncode;
}

interface Device {
  eq: EquipmentRuntime;
  metrics: Metric[];
  /** Writable control metrics by name and by alias -> machine command. */
  controls: Map<string | number, SimCommand['action']>;
  /** Values last sent, per metric (state as its code). */
  sent: Float64Array;
  /** Scratch list of changed metrics for one DDATA. */
  changed: MetricToEncode[];
}

/**
 * One Sparkplug B edge node (a production line's gateway) with a device per machine. NBIRTH
 * carries bdSeq and `Node Control/Rebirth`; the NDEATH Will carries the same bdSeq (a new one on
 * every connection); DBIRTH carries every metric with its alias, datatype and `engUnit`; DDATA
 * carries only the metrics that changed (report by exception), by alias, at most once per tick;
 * seq runs 0..255 over all of them. NCMD `Node Control/Rebirth` births the node again; DCMD
 * `Control/Start|Stop|Reset|EStop` = true applies the matching command to the simulation.
 */
export class SparkplugEdge {
  private client: MqttClient | null = null;
  private readonly devices: Device[];
  private readonly byDeviceId = new Map<string, Device>();
  /** bdSeq the Will of the current connection carries, and the one the current NBIRTH carried. */
  private willBdSeq = 0;
  private birthBdSeq = 0;
  private seq = 0;
  private born = false;

  constructor(
    private readonly broker: string,
    readonly node: string,
    equipment: EquipmentRuntime[],
    private readonly host: EdgeHost,
  ) {
    // Aliases are unique within the edge node (1 and 2 are the node's own metrics).
    let alias = 3;
    this.devices = equipment.map((eq) => {
      const defs = signalsOf(eq.kind);
      const metrics: Metric[] = defs.map((d, sig) => {
        const datatype = d.enc === 'u32' ? DataType.UInt32 : DataType.Double;
        const m = { sig, name: metricOf(d.key), alias: alias++, datatype, unit: d.unit };
        return { ...m, out: { alias: m.alias, datatype, value: 0, timestamp: 0 } };
      });
      const st = { sig: -1, name: STATE_METRIC, alias: alias++, datatype: DataType.String, unit: '' };
      metrics.push({ ...st, out: { alias: st.alias, datatype: st.datatype, value: '', timestamp: 0 } });
      const controls = new Map<string | number, SimCommand['action']>();
      if (eq.kind === 'robot-arm' || eq.kind === 'conveyor')
        for (const [action, name] of Object.entries(CONTROL_METRICS)) {
          const a = alias++;
          controls.set(name, action as SimCommand['action']);
          controls.set(a, action as SimCommand['action']);
        }
      const d: Device = { eq, metrics, controls, sent: new Float64Array(metrics.length), changed: [] };
      this.byDeviceId.set(eq.id, d);
      return d;
    });
  }

  private topic(type: string, device?: string): string {
    return `${NS}/${SPARKPLUG_GROUP}/${type}/${this.node}${device ? `/${device}` : ''}`;
  }

  private deathPayload(bdSeq: number): Buffer {
    return Buffer.from(
      encodePayload({ metrics: [{ name: BD_SEQ, datatype: DataType.UInt64, value: bdSeq }] }),
    );
  }

  /** Connects (and reconnects by itself); births follow every connection. */
  start(): void {
    const will = {
      topic: this.topic('NDEATH'),
      payload: this.deathPayload(this.willBdSeq),
      qos: 1 as const,
      retain: false,
    };
    const client = mqtt.connect(this.broker, linkOptions(`sp-${this.node}`, will));
    this.client = client;
    client.on('connect', () => {
      this.birthBdSeq = this.willBdSeq;
      // The next connection's Will carries the next bdSeq (mqtt.js reads options.will on each connect).
      this.willBdSeq = (this.willBdSeq + 1) % 256;
      if (client.options.will) client.options.will.payload = this.deathPayload(this.willBdSeq);
      client.subscribe([this.topic('NCMD'), `${this.topic('DCMD')}/+`], { qos: 1 }, (err) => {
        if (err) this.host.logger.warn({ node: this.node, err: err.message }, 'sparkplug subscribe failed');
      });
      this.birth(Date.now());
    });
    client.on('close', () => {
      this.born = false;
    });
    logLinkErrors(client, this.host.logger, { link: `sparkplug ${this.node}` });
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
  }

  /** NBIRTH then a DBIRTH per device, seq from 0 (also on a rebirth request). */
  private birth(nowMs: number): void {
    const c = this.client;
    if (!c?.connected) return;
    this.seq = 0;
    c.publish(
      this.topic('NBIRTH'),
      Buffer.from(
        encodePayload({
          timestamp: nowMs,
          seq: this.nextSeq(),
          metrics: [
            { name: BD_SEQ, alias: 1, datatype: DataType.UInt64, value: this.birthBdSeq, timestamp: nowMs },
            { name: REBIRTH, alias: 2, datatype: DataType.Boolean, value: false, timestamp: nowMs },
          ],
        }),
      ),
      { qos: 0 },
    );
    for (const d of this.devices) {
      const metrics: MetricToEncode[] = d.metrics.map((m, i) => {
        const value = this.metricValue(d, m);
        d.sent[i] = m.sig < 0 ? d.eq.state : d.eq.signals[m.sig];
        return {
          name: m.name,
          alias: m.alias,
          datatype: m.datatype,
          value,
          timestamp: nowMs,
          ...(m.unit ? { properties: { engUnit: m.unit } } : {}),
        };
      });
      for (const [key, action] of d.controls)
        if (typeof key === 'number')
          metrics.push({
            name: CONTROL_METRICS[action as keyof typeof CONTROL_METRICS],
            alias: key,
            datatype: DataType.Boolean,
            value: false,
            timestamp: nowMs,
          });
      c.publish(
        this.topic('DBIRTH', d.eq.id),
        Buffer.from(encodePayload({ timestamp: nowMs, seq: this.nextSeq(), metrics })),
        { qos: 0 },
      );
    }
    this.born = true;
  }

  private nextSeq(): number {
    const s = this.seq;
    this.seq = (this.seq + 1) % 256;
    return s;
  }

  private metricValue(d: Device, m: Metric): number | string {
    if (m.sig >= 0) return d.eq.signals[m.sig];
    return STATE_TEXT[MACHINE_STATES[d.eq.state] as MachineState] ?? 'OFFLINE';
  }

  /** Publishes a DDATA per device whose metrics changed since they were last sent. */
  tick(nowMs: number): void {
    const c = this.client;
    if (!c?.connected || !this.born) return;
    for (const d of this.devices) {
      d.changed.length = 0;
      for (let i = 0; i < d.metrics.length; i++) {
        const m = d.metrics[i];
        const raw = m.sig < 0 ? d.eq.state : d.eq.signals[m.sig];
        if (raw === d.sent[i]) continue;
        d.sent[i] = raw;
        m.out.value = this.metricValue(d, m);
        m.out.timestamp = nowMs;
        d.changed.push(m.out);
      }
      if (d.changed.length === 0) continue;
      c.publish(
        this.topic('DDATA', d.eq.id),
        Buffer.from(encodePayload({ timestamp: nowMs, seq: this.nextSeq(), metrics: d.changed })),
        { qos: 0 },
      );
    }
  }

  /** NCMD (rebirth) and DCMD (machine commands); anything malformed is logged and ignored. */
  private onMessage(topic: string, payload: Buffer): void {
    const parts = topic.split('/');
    let decoded: ReturnType<typeof decodePayload>;
    try {
      decoded = decodePayload(payload);
    } catch (err) {
      const msg = err instanceof PayloadError ? err.message : String(err);
      this.host.logger.warn({ topic, err: msg }, 'sparkplug: dropped a malformed command');
      return;
    }
    if (parts[2] === 'NCMD') {
      const rebirth = decoded.metrics.some((m) => (m.name === REBIRTH || m.alias === 2) && m.value === true);
      if (rebirth) this.birth(Date.now());
      return;
    }
    if (parts[2] !== 'DCMD' || parts.length !== 5) return;
    const d = this.byDeviceId.get(parts[4]);
    if (!d) return;
    for (const m of decoded.metrics) {
      const action = d.controls.get(m.name ?? m.alias ?? '');
      if (!action || m.value !== true) continue;
      const r = this.host.command({ equipmentId: d.eq.id, action } as SimCommand);
      this.host.logger.info({ equipment: d.eq.id, action, ok: r.ok, result: r.message }, 'sparkplug DCMD');
    }
  }

  /** Clean exit: NDEATH with this session's bdSeq, then disconnect (the Will is not published). */
  async stop(): Promise<void> {
    const c = this.client;
    this.client = null;
    if (!c) return;
    if (c.connected)
      await c
        .publishAsync(this.topic('NDEATH'), this.deathPayload(this.birthBdSeq), { qos: 1 })
        .catch(() => {});
    await c.endAsync(false).catch(() => {});
  }
}
