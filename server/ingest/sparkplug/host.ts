import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { SparkplugSource } from '../../../protocol';
import {
  DEVICE_CONFIRM_TIMEOUT_MS,
  type DeviceCommand,
  type DeviceCommandResult,
  type SourceAdapter,
} from '../adapter';
import { type IngestSink, STATE_SIG } from '../ingestSink';
import type { PlantIndex } from '../mqttJsonAdapter';
import { trackConnection } from '../mqttOptions';
import type { DropReason, SourceStats } from '../sourceStats';
import { type CommandRoute, commandMetricOf, sendMachineCommand } from './command';
import type { MetricScope } from './metricMap';
import { MetricWriter } from './metricWriter';
import { type Held, NodeSession, type SequencedType } from './nodeSession';
import { DataType, type DecodedPayload, decodePayload, encodePayload, PayloadError } from './payload';

/** Sparkplug B namespace (first topic level). */
export const SP_NAMESPACE = 'spBv1.0';
/** Largest payload accepted, bytes (births of big nodes are the largest messages). */
export const MAX_SPARKPLUG_PAYLOAD_BYTES = 256 * 1024;
/** The metric an NCMD sets to ask an edge node for a new birth. */
export const REBIRTH_METRIC = 'Node Control/Rebirth';
/** Most messages held back after a sequence gap per edge node. */
const MAX_HELD = 64;
/** At most one STATE republish (after seeing our own offline STATE) this often, ms. */
const STATE_REPUBLISH_MS = 1000;
/** How long stop() waits for the offline STATE to be sent, ms. */
const STOP_STATE_MS = 1000;

/**
 * Sparkplug B 3.0 host application. Subscribes to the births, data and deaths of every mapped edge
 * node and its devices, announces itself with a retained `spBv1.0/STATE/<hostId>` (and the same
 * topic as its Will), learns metric names, datatypes and aliases from NBIRTH/DBIRTH and applies
 * NDATA/DDATA to the mapped signals with their quality and source time. Deaths (with a matching
 * bdSeq) and a lost broker session mark equipment stale at once. A `seq` gap holds later messages
 * up to `reorderTimeoutMs`, then asks the node for a rebirth (NCMD `Node Control/Rebirth`) and
 * drops its data until the new NBIRTH. Bad input is dropped and counted, never thrown.
 */
export class SparkplugAdapter implements SourceAdapter {
  private client: MqttClient | null = null;
  private sink: IngestSink | null = null;
  /** Edge nodes by `group/node`. */
  private readonly nodes = new Map<string, NodeSession>();
  private readonly routes = new Map<number, CommandRoute>();
  private readonly topics: string[] = [];
  private readonly stateTopic: string;
  /** Timestamp of the current STATE birth and of its Will, ms since epoch. */
  private stateTs = 0;
  private lastStateRepublishMs = Number.NEGATIVE_INFINITY;
  /** Whether a broker session is up (set on connect, cleared on close). */
  private sessionUp = false;
  /** Puts metric values into the sink (set by attach). */
  private writer: MetricWriter | null = null;
  /** Sequence gaps seen and rebirth requests sent since start. */
  readonly counters = { gaps: 0, rebirths: 0 };

  constructor(
    private readonly source: SparkplugSource,
    private readonly options: IClientOptions,
    plant: PlantIndex,
    private readonly stats: SourceStats,
    private readonly now: () => number,
    private readonly confirmMs = DEVICE_CONFIRM_TIMEOUT_MS,
  ) {
    this.stateTopic = `${SP_NAMESPACE}/STATE/${source.hostId}`;
    const budget = new Map<string, number>();
    for (const d of source.devices)
      budget.set(`${d.group}/${d.node}`, (budget.get(`${d.group}/${d.node}`) ?? 0) + d.maxPerS);
    for (const d of source.devices) {
      const key = `${d.group}/${d.node}`;
      let node = this.nodes.get(key);
      if (!node) {
        node = new NodeSession(d.group, d.node, budget.get(key) ?? 1, now);
        this.nodes.set(key, node);
        const n = `${d.group}/%/${d.node}`;
        for (const t of ['NBIRTH', 'NDATA', 'NDEATH'])
          this.topics.push(`${SP_NAMESPACE}/${n.replace('%', t)}`);
        // Every device of the node, mapped or not: their messages count in the node's seq.
        for (const t of ['DBIRTH', 'DDATA', 'DDEATH'])
          this.topics.push(`${SP_NAMESPACE}/${n.replace('%', t)}/+`);
      }
      const scope = d.device === undefined ? node.own : node.deviceScope(d.device);
      const eq = plant.indexOf(d.equipment);
      const defs = plant.signalsOf(d.equipment);
      for (const [name, metric] of Object.entries(d.metrics)) {
        const sig = defs.findIndex((x) => x.key === name);
        if (sig >= 0) scope.map(metric, { eq, sig, def: defs[sig], stateMap: null });
      }
      if (d.state) scope.map(d.state.metric, { eq, sig: STATE_SIG, def: null, stateMap: d.state.map });
      if (!scope.equipment.includes(eq)) scope.equipment.push(eq);
      this.routes.set(eq, { node, device: d.device ?? null, metrics: d.commandMetrics ?? {} });
    }
    this.topics.push(this.stateTopic);
  }

  health(): SourceStats {
    return this.stats;
  }

  /** Where received values go (start() calls it; a benchmark may feed onMessage without a broker). */
  attach(sink: IngestSink): void {
    this.sink = sink;
    this.writer = new MetricWriter(sink, this.stats);
  }

  start(sink: IngestSink): void {
    this.attach(sink);
    this.stateTs = this.now();
    const client = mqtt.connect(this.source.broker, { ...this.options, will: this.will() });
    this.client = client;
    trackConnection(client, this.stats, this.now);
    client.on('connect', () => {
      this.sessionUp = true;
      // A clean session forgets subscriptions: renew them, then say we are online (3.0 host rules:
      // subscribe first, so no birth sent in answer to our STATE is missed).
      client.subscribe(this.topics, { qos: 1 }, (err) => {
        if (err) this.stats.connectionError(`subscribe failed: ${err.message}`, this.now());
        else this.publishState(true);
      });
    });
    client.on('reconnect', () => {
      // mqtt.js sends the CONNECT right after this event: a fresh timestamp for the Will and the
      // STATE birth that will follow it.
      this.stateTs = Math.max(this.now(), this.stateTs + 1);
      client.options.will = this.will();
    });
    client.on('close', () => {
      // mqtt.js has emitted 'offline' already (its own close listener runs first): our own flag says
      // whether a session ended.
      if (this.sessionUp) this.lostSession();
      this.sessionUp = false;
    });
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
  }

  async stop(): Promise<void> {
    const c = this.client;
    this.client = null;
    this.sink = null;
    this.writer = null; // nothing is queued after stop, even a message mqtt.js still hands over
    for (const n of this.nodes.values()) n.clearTimer();
    if (c?.connected) {
      // A clean disconnect sends no Will: say offline ourselves (bounded wait).
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        c.publishAsync(this.stateTopic, this.statePayload(false), { qos: 1, retain: true }).catch(() => {}),
        new Promise((r) => {
          timer = setTimeout(r, STOP_STATE_MS);
        }),
      ]);
      clearTimeout(timer);
    }
    if (c) await c.endAsync(true);
    this.stats.status = 'down';
  }

  private will() {
    return { topic: this.stateTopic, payload: this.statePayload(false), qos: 1 as const, retain: true };
  }

  private statePayload(online: boolean): Buffer {
    return Buffer.from(JSON.stringify({ online, timestamp: this.stateTs }));
  }

  private publishState(online: boolean): void {
    this.client?.publish(this.stateTopic, this.statePayload(online), { qos: 1, retain: true }, (err) => {
      if (err) this.stats.connectionError(`STATE publish failed: ${err.message}`, this.now());
    });
  }

  /** The broker session is gone: every node's birth is void and all its equipment stale now. */
  private lostSession(): void {
    const rxMs = this.now();
    for (const n of this.nodes.values()) {
      n.death();
      for (const eq of n.equipment()) this.sink?.markStale(this.stats.index, eq, rxMs);
    }
  }

  /** Checks one message and queues its values; never throws. */
  onMessage(topic: string, payload: Buffer): void {
    const rxMs = this.now();
    if (topic === this.stateTopic) {
      this.onState(payload, rxMs);
      return;
    }
    if (payload.byteLength > MAX_SPARKPLUG_PAYLOAD_BYTES) {
      this.drop('size', `payload of ${payload.byteLength} bytes (limit ${MAX_SPARKPLUG_PAYLOAD_BYTES})`);
      return;
    }
    const parts = topic.split('/');
    const node = parts.length >= 4 ? this.nodes.get(`${parts[1]}/${parts[3]}`) : undefined;
    const type = parts[2];
    const device = parts.length === 5 ? parts[4] : null;
    const devType = type === 'DBIRTH' || type === 'DDATA' || type === 'DDEATH';
    const nodeType = type === 'NBIRTH' || type === 'NDATA' || type === 'NDEATH';
    if (!node || parts[0] !== SP_NAMESPACE || (device === null ? !nodeType : !devType) || parts.length > 5) {
      this.drop('topic', `not a Sparkplug topic of a mapped node: ${topic.slice(0, 200)}`);
      return;
    }
    // Deaths are never rate-limited: they are what marks data stale.
    if (type !== 'NDEATH' && type !== 'DDEATH' && !node.take()) {
      this.flushHeld(node);
      node.resync = true; // our own drop, not a lost message: no rebirth for it
      this.drop('rate', `node ${node.group}/${node.node} over its message rate`);
      return;
    }
    let p: DecodedPayload;
    try {
      p = decodePayload(payload);
    } catch (err) {
      const why = err instanceof PayloadError ? err.message : String(err);
      this.drop('malformed', `${type} of ${node.group}/${node.node}: ${why.slice(0, 200)}`);
      return;
    }
    if (type === 'NBIRTH') {
      this.onNodeBirth(node, p, rxMs);
      return;
    }
    if (type === 'NDEATH') {
      this.onNodeDeath(node, p, rxMs);
      return;
    }
    this.onSequenced(node, type as SequencedType, device, p, rxMs);
  }

  private drop(reason: DropReason, detail: string): void {
    this.stats.drop(reason, detail, this.now());
  }

  /** Our own STATE: someone (an old session's Will) said we are offline while we are not. */
  private onState(payload: Buffer, rxMs: number): void {
    if (!this.client?.connected || payload.byteLength > 1024) return;
    let online: unknown;
    try {
      online = (JSON.parse(payload.toString('utf8')) as { online?: unknown } | null)?.online;
    } catch {
      return;
    }
    if (online !== false || rxMs - this.lastStateRepublishMs < STATE_REPUBLISH_MS) return;
    this.lastStateRepublishMs = rxMs;
    this.publishState(true);
  }

  private onNodeBirth(node: NodeSession, p: DecodedPayload, rxMs: number): void {
    let bdSeq: number | null = null;
    for (const m of p.metrics) {
      if (m.name === undefined) {
        node.death();
        this.drop('malformed', `NBIRTH of ${node.group}/${node.node} has a metric without a name`);
        return;
      }
      if (m.name === 'bdSeq' && typeof m.value === 'number') bdSeq = m.value;
    }
    node.birth(p.seq ?? 0, bdSeq);
    for (const m of p.metrics) node.own.announce(m.name, m.alias, m.datatype);
    node.own.born = true;
    this.apply(node, node.own, p, rxMs);
  }

  private onNodeDeath(node: NodeSession, p: DecodedPayload, rxMs: number): void {
    let bdSeq: number | null = null;
    for (const m of p.metrics) if (m.name === 'bdSeq' && typeof m.value === 'number') bdSeq = m.value;
    // An NDEATH of an older session (its Will delivered late) says nothing about the current one.
    if (node.bdSeq === null || bdSeq !== node.bdSeq) return;
    const eqs = node.equipment();
    node.death();
    for (const eq of eqs) this.sink?.markStale(this.stats.index, eq, rxMs);
    this.stats.accepted(rxMs);
  }

  private onSequenced(
    node: NodeSession,
    type: SequencedType,
    device: string | null,
    p: DecodedPayload,
    rxMs: number,
  ): void {
    if (p.seq === undefined) {
      this.drop('malformed', `${type} of ${node.group}/${node.node} has no seq`);
      return;
    }
    switch (node.sequence(p.seq)) {
      case 'unborn':
        this.drop('sequence', `${type} of ${node.group}/${node.node} before its NBIRTH`);
        this.askRebirth(node, rxMs);
        return;
      case 'late':
        this.drop('sequence', `${type} of ${node.group}/${node.node}: duplicate or late seq ${p.seq}`);
        return;
      case 'hold':
        node.held.set(p.seq, { type, device, payload: p, rxMs });
        // Memory bound: this many messages past a gap means the missing one is not merely late.
        if (node.held.size >= MAX_HELD) this.onGapTimeout(node);
        else if (!node.gapTimer) this.armGapTimer(node);
        return;
      case 'apply': {
        this.handle(node, type, device, p, rxMs);
        this.flushHeld(node);
      }
    }
  }

  /** Applies the held messages that are now in sequence; re-arms the gap timer if a gap remains. */
  private flushHeld(node: NodeSession): void {
    let h: Held | undefined = node.nextHeld();
    while (h) {
      this.handle(node, h.type, h.device, h.payload, h.rxMs);
      h = node.nextHeld();
    }
    node.clearTimer();
    if (node.held.size > 0) {
      if (node.resync || !node.born) node.held.clear();
      else this.armGapTimer(node);
    }
  }

  private armGapTimer(node: NodeSession): void {
    node.clearTimer();
    node.gapTimer = setTimeout(() => this.onGapTimeout(node), this.source.reorderTimeoutMs);
    node.gapTimer.unref?.();
  }

  /** The missing messages did not come: drop what was held and ask for a new birth. */
  private onGapTimeout(node: NodeSession): void {
    node.clearTimer();
    if (node.held.size === 0 || !node.born) return;
    this.counters.gaps++;
    const missing = node.expected;
    for (const seq of node.held.keys())
      this.drop(
        'sequence',
        `${node.group}/${node.node}: seq ${missing} never came (held seq ${seq}); rebirth asked`,
      );
    node.held.clear();
    node.awaitingRebirth = true;
    this.askRebirth(node, this.now());
  }

  /** Publishes NCMD `Node Control/Rebirth` = true (at most one per node every 5 s). */
  private askRebirth(node: NodeSession, rxMs: number): void {
    const c = this.client;
    if (!c?.connected || !node.rebirthDue(rxMs)) return;
    this.counters.rebirths++;
    const payload = encodePayload({
      timestamp: rxMs,
      metrics: [{ name: REBIRTH_METRIC, timestamp: rxMs, datatype: DataType.Boolean, value: true }],
    });
    c.publish(`${SP_NAMESPACE}/${node.group}/NCMD/${node.node}`, Buffer.from(payload), { qos: 0 }, (err) => {
      if (err) this.stats.connectionError(`rebirth request failed: ${err.message}`, this.now());
    });
  }

  /** One in-sequence message of the node or one of its devices. */
  private handle(
    node: NodeSession,
    type: SequencedType,
    device: string | null,
    p: DecodedPayload,
    rxMs: number,
  ): void {
    const scope = device === null ? node.own : node.devices.get(device);
    // A device (or node metrics) the file does not map: followed for seq only.
    if (!scope || scope.mapped.size === 0) return;
    if (type === 'DBIRTH') {
      scope.forget();
      for (const m of p.metrics)
        if (!scope.announce(m.name, m.alias, m.datatype)) {
          this.drop(
            'malformed',
            `DBIRTH of ${node.group}/${node.node}/${device} has a metric without a name`,
          );
          return;
        }
      scope.born = true;
    } else if (type === 'DDEATH') {
      scope.forget();
      for (const eq of scope.equipment) this.sink?.markStale(this.stats.index, eq, rxMs);
      this.stats.accepted(rxMs);
      return;
    } else if (!scope.born) {
      this.drop(
        'sequence',
        `${type} of ${node.group}/${node.node}${device ? `/${device}` : ''} before its birth`,
      );
      this.askRebirth(node, rxMs);
      return;
    }
    this.apply(node, scope, p, rxMs);
  }

  /** Pushes a birth's or data message's mapped metrics; an unknown alias asks for a rebirth. */
  private apply(node: NodeSession, scope: MetricScope, p: DecodedPayload, rxMs: number): void {
    const unknown = this.writer ? this.writer.write(scope, p, rxMs) : -1;
    if (unknown < 0) return;
    const m = p.metrics[unknown];
    const what = m.name === undefined ? `alias ${m.alias}` : `metric "${m.name.slice(0, 100)}"`;
    const where = `${node.group}/${node.node}${scope.device ? `/${scope.device}` : ''}`;
    this.drop('alias', `${where}: ${what} not in its birth`);
    this.askRebirth(node, rxMs);
  }

  /** Sends start/stop/reset/e-stop as a DCMD (or NCMD) write of `true` to the mapped metric. */
  async command(cmd: DeviceCommand): Promise<DeviceCommandResult> {
    const route = this.routes.get(cmd.eq);
    const metric = route ? commandMetricOf(route, cmd.action) : undefined;
    if (!route || !metric)
      return {
        status: 'refused',
        detail: `no Sparkplug command metric for ${cmd.action} of ${cmd.equipmentId}`,
      };
    const c = this.client;
    const sink = this.sink;
    if (!c?.connected || !sink) return { status: 'refused', detail: 'not connected to the broker' };
    return sendMachineCommand(c, route, metric, cmd, sink.live, this.now(), this.confirmMs);
  }
}
