import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { ZodType } from 'zod';
import { type Layout, type SignalDef, STATE_CODE, type Vda5050Source } from '../../../protocol';
import { buildGraph, type PathGraph } from '../../sim/pathGraph';
import type { DeviceCommand, DeviceCommandResult, SourceAdapter } from '../adapter';
import type { IngestSink } from '../ingestSink';
import { STATE_SIG } from '../ingestSink';
import { Q } from '../liveValues';
import { MAX_AGE_MS, MAX_FUTURE_MS, MAX_PAYLOAD_BYTES, type PlantIndex } from '../mqttJsonAdapter';
import { trackConnection } from '../mqttOptions';
import type { DropReason, SourceStats } from '../sourceStats';
import {
  AgvView,
  headerTimeMs,
  OBSERVED_TOPICS,
  type ObservedTopic,
  type PoseSkip,
  vdaMachineState,
} from './agvView';
import { runCommand } from './commands';
import {
  connectionSchema,
  stateSchema,
  type VdaConnection,
  type VdaState,
  type VdaVisualization,
  vdaToPlant,
  vdaTopic,
  visualizationSchema,
} from './messages';
import { agvDockNodes } from './orders';

/** A value beyond its catalog range by more than this many range spans is refused (as mqtt-json). */
const RANGE_SPANS = 10;
/** Map coordinates beyond this are no plant floor: the message is refused, m. */
const MAX_MAP_COORD_M = 1e5;
/** Headings beyond this are a broken encoder or unit (spec: [-π, π]), rad. */
const MAX_THETA_RAD = 100;

const SCHEMAS: Record<ObservedTopic, ZodType> = {
  state: stateSchema,
  visualization: visualizationSchema,
  connection: connectionSchema,
};

/** One subscribed topic: which AGV, which message. */
interface Route {
  agv: AgvView;
  topic: ObservedTopic;
}

type Drop = { reason: DropReason; detail: string };
const bad = (reason: DropReason, detail: string): Drop => ({ reason, detail });

/** What the observer needs of the plant besides its source entry. */
export interface VdaPlant {
  plant: PlantIndex;
  layout: Layout;
}

/**
 * The VDA 5050 (2.0 and 2.1) observer: reads `state`, `visualization` and `connection` of every
 * mapped AGV, shows its pose (through the entry's map transform), speed, battery and machine state,
 * and sends operator commands as `instantActions` and `order`s (see commands.ts). A message is
 * applied whole or not at all; bad input of any kind is dropped and counted by reason, and each
 * AGV has its own token bucket, so one AGV's garbage or flood never touches another.
 */
export class Vda5050Adapter implements SourceAdapter {
  private client: MqttClient | null = null;
  private sink: IngestSink | null = null;
  private readonly routes = new Map<string, Route>();
  readonly agvs: AgvView[] = [];
  readonly graph: PathGraph;
  readonly dockNodes: number[];
  /** Positions received but not applied, by why (the rest of their message was). */
  readonly poseSkips: Record<PoseSkip, number> = { uninitialized: 0, map: 0 };
  /** WARNING errors newly raised by AGVs (they do not change the machine state). */
  warnings = 0;
  private readonly speedDef: SignalDef | null;
  private readonly batteryDef: SignalDef | null;
  private readonly speedSig: number;
  private readonly batterySig: number;
  private wasConnected = false;
  /** How long commands wait for the AGV to show their effect, ms (undefined: the ingest's default). */
  confirmTimeoutMs: number | undefined = undefined;

  constructor(
    readonly source: Vda5050Source,
    private readonly options: IClientOptions,
    plant: VdaPlant,
    private readonly stats: SourceStats,
    private readonly now: () => number,
  ) {
    for (const a of source.agvs) {
      const agv = new AgvView(
        plant.plant.indexOf(a.equipment),
        a.equipment,
        a.manufacturer,
        a.serialNumber,
        { mapId: a.map.mapId, origin: a.map.origin, rotationDeg: a.map.rotationDeg },
        a.maxPerS,
        now,
      );
      this.agvs.push(agv);
      for (const topic of OBSERVED_TOPICS) this.routes.set(this.topicOf(agv, topic), { agv, topic });
    }
    // Every AGV of a source has the catalog of its kind (agv); read it off the first.
    const defs = plant.plant.signalsOf(source.agvs[0].equipment);
    this.speedSig = defs.findIndex((d) => d.key === 'speed');
    this.batterySig = defs.findIndex((d) => d.key === 'battery');
    this.speedDef = defs[this.speedSig] ?? null;
    this.batteryDef = defs[this.batterySig] ?? null;
    this.graph = buildGraph(plant.layout.paths);
    this.dockNodes = agvDockNodes(plant.layout, this.graph);
  }

  /** The MQTT topic of one AGV's message. */
  topicOf(agv: AgvView, topic: Parameters<typeof vdaTopic>[4]): string {
    return vdaTopic(
      this.source.interfaceName,
      this.source.majorVersion,
      agv.manufacturer,
      agv.serialNumber,
      topic,
    );
  }

  health(): SourceStats {
    return this.stats;
  }

  start(sink: IngestSink): void {
    this.sink = sink;
    const client = mqtt.connect(this.source.broker, this.options);
    this.client = client;
    trackConnection(client, this.stats, this.now);
    client.on('connect', () => {
      this.wasConnected = true;
      // A clean session forgets subscriptions: renew them on every (re)connect. QoS 1 for
      // `connection` (AGVs publish it, and their last will, with QoS 1 and retained).
      const subs: Record<string, { qos: 0 | 1 }> = {};
      for (const [topic, r] of this.routes) subs[topic] = { qos: r.topic === 'connection' ? 1 : 0 };
      client.subscribe(subs, (err) => {
        if (err) this.stats.connectionError(`subscribe failed: ${err.message}`, this.now());
      });
    });
    client.on('close', () => {
      if (this.wasConnected) this.sessionLost();
    });
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
  }

  async stop(): Promise<void> {
    const c = this.client;
    this.client = null;
    this.sink = null;
    if (c) await c.endAsync(true);
    this.stats.status = 'down';
  }

  /** Whether the broker connection is up now (commands need it). */
  get connected(): boolean {
    return this.client?.connected === true;
  }

  /** Publishes one message to an AGV (QoS 0, as VDA 5050 sends orders and instant actions). */
  async publish(topic: string, message: unknown): Promise<void> {
    const c = this.client;
    if (!c?.connected) throw new Error('not connected to the broker');
    await c.publishAsync(topic, JSON.stringify(message), { qos: 0 });
  }

  command(cmd: DeviceCommand): Promise<DeviceCommandResult> {
    return runCommand(this, cmd);
  }

  /**
   * The broker session is gone: nothing about any AGV can be known until it is back, so all of them
   * are stale now (not after staleAfterS), and headerIds seen before are not judged after it.
   */
  private sessionLost(): void {
    this.wasConnected = false;
    const sink = this.sink;
    const rxMs = this.now();
    for (const agv of this.agvs) {
      agv.forgetHeaderIds();
      if (sink && agv.eq >= 0) sink.markStale(this.stats.index, agv.eq, rxMs);
    }
  }

  /** Checks one message and queues what it says; never throws. */
  onMessage(topic: string, payload: Buffer): void {
    const rxMs = this.now();
    const route = this.routes.get(topic);
    if (!route) {
      this.stats.drop('topic', `no AGV for topic ${topic.slice(0, 200)}`, rxMs);
      return;
    }
    try {
      const r = this.handle(route, payload, rxMs);
      if (r) {
        this.stats.drop(r.reason, `${route.agv.equipment} ${route.topic}: ${r.detail}`, rxMs);
        // A message that was lost here may have carried the next headerId: do not call the
        // next one a gap.
        route.agv.lastHeaderId[route.topic] = -1;
      }
    } catch (err) {
      // Never expected; a bug must not take the source (or the server) down.
      this.stats.drop('malformed', `unexpected: ${(err as Error).message.slice(0, 200)}`, rxMs);
    }
  }

  /** Applies one message of a mapped topic; returns why it was dropped, or null. */
  private handle(route: Route, payload: Buffer, rxMs: number): Drop | null {
    const { agv, topic } = route;
    if (payload.byteLength > MAX_PAYLOAD_BYTES)
      return bad('size', `payload of ${payload.byteLength} bytes (limit ${MAX_PAYLOAD_BYTES})`);
    if (!agv.limiter.take('agv').ok) return bad('rate', 'AGV over its message rate');
    let doc: unknown;
    try {
      doc = JSON.parse(payload.toString('utf8'));
    } catch (err) {
      return bad('malformed', `not JSON (${(err as Error).message.slice(0, 100)})`);
    }
    const parsed = SCHEMAS[topic].safeParse(doc);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      return bad('type', `${i.path.join('.') || 'message'}: ${i.message}`.slice(0, 200));
    }
    const msg = parsed.data as VdaState | VdaVisualization | VdaConnection;
    if (msg.manufacturer !== agv.manufacturer || msg.serialNumber !== agv.serialNumber)
      return bad(
        'topic',
        `header names ${msg.manufacturer.slice(0, 64)}/${msg.serialNumber.slice(0, 64)}, not this AGV`,
      );
    const srcMs = headerTimeMs(msg.timestamp);
    if (srcMs === null) return bad('timestamp', 'header timestamp is not ISO 8601 with a time zone');
    if (srcMs > rxMs + MAX_FUTURE_MS) return bad('timestamp', 'timestamp more than 5 min in the future');
    // A last will is written when the AGV connects, so its timestamp may be days old: only other
    // messages must be recent.
    if (topic !== 'connection' && srcMs < rxMs - MAX_AGE_MS)
      return bad('timestamp', 'timestamp more than a day old');
    const sink = this.sink;
    if (!sink || agv.eq < 0) return null;
    if (topic === 'connection') {
      this.onConnection(agv, msg as VdaConnection, srcMs, rxMs, sink);
    } else {
      const r = this.onStateOrVisualization(
        agv,
        topic,
        msg as VdaState | VdaVisualization,
        srcMs,
        rxMs,
        sink,
      );
      if (r) return r;
      this.stats.skewSample(rxMs - srcMs);
    }
    if (agv.headerGap(topic, msg.headerId)) this.stats.headerIdGaps++;
    agv.version = msg.version;
    this.stats.accepted(rxMs);
    return null;
  }

  /** ONLINE: nothing (the next state shows it); OFFLINE, CONNECTIONBROKEN: offline and stale now. */
  private onConnection(agv: AgvView, m: VdaConnection, srcMs: number, rxMs: number, sink: IngestSink): void {
    if (m.connectionState === 'ONLINE') return;
    agv.online = false;
    // Stamped no earlier than the last state shown, so the sink does not take it for a late state
    // (a last will carries the time of the connect), and no later, so that the AGV's next state
    // (its clock may lag the twin's) is not refused as older than this.
    const at = agv.lastStateSrcMs > 0 ? agv.lastStateSrcMs : Math.min(srcMs, rxMs);
    const src = this.stats.index;
    sink.push(src, agv.eq, STATE_SIG, STATE_CODE.offline, at, rxMs, Q.good);
    sink.markStale(src, agv.eq, rxMs);
  }

  /** Pose, speed and (state only) battery and machine state; returns a drop, or null when queued. */
  private onStateOrVisualization(
    agv: AgvView,
    topic: ObservedTopic,
    m: VdaState | VdaVisualization,
    srcMs: number,
    rxMs: number,
    sink: IngestSink,
  ): Drop | null {
    const p = m.agvPosition;
    if (p) {
      if (Math.abs(p.x) > MAX_MAP_COORD_M || Math.abs(p.y) > MAX_MAP_COORD_M)
        return bad('range', `agvPosition (${p.x}, ${p.y}) m is no plant floor`);
      if (Math.abs(p.theta) > MAX_THETA_RAD) return bad('range', `agvPosition.theta ${p.theta} rad`);
    }
    let speed = Number.NaN;
    const v = m.velocity;
    if (v && (v.vx !== undefined || v.vy !== undefined)) {
      speed = Math.hypot(v.vx ?? 0, v.vy ?? 0);
      const r = outOfRange(this.speedDef, speed);
      if (r) return bad('range', r);
    }
    const state = topic === 'state' ? (m as VdaState) : null;
    if (state) {
      const r = outOfRange(this.batteryDef, state.batteryState.batteryCharge);
      if (r) return bad('range', r);
    }
    const src = this.stats.index;
    let queued = true;
    if (p) {
      if (!p.positionInitialized) this.poseSkips.uninitialized++;
      else if (p.mapId !== agv.map.mapId) this.poseSkips.map++;
      else {
        const [x, z, yaw] = vdaToPlant(agv.map, p.x, p.y, p.theta);
        queued = sink.pushPose(src, agv.eq, x, z, yaw, srcMs, rxMs);
        agv.poseKnown = true;
        agv.x = x;
        agv.z = z;
      }
    }
    if (!Number.isNaN(speed) && this.speedSig >= 0)
      queued = sink.push(src, agv.eq, this.speedSig, speed, srcMs, rxMs, Q.good) && queued;
    if (state) {
      if (this.batterySig >= 0)
        queued =
          sink.push(src, agv.eq, this.batterySig, state.batteryState.batteryCharge, srcMs, rxMs, Q.good) &&
          queued;
      queued = sink.push(src, agv.eq, STATE_SIG, STATE_CODE[vdaMachineState(state)], srcMs, rxMs) && queued;
      this.noteState(agv, state, srcMs);
    }
    return queued ? null : bad('rate', 'ingest queue full');
  }

  /** What a state tells the commands (paused, order, actions) and the warning count. */
  private noteState(agv: AgvView, s: VdaState, srcMs: number): void {
    agv.online = true;
    agv.lastStateSrcMs = Math.max(agv.lastStateSrcMs, srcMs);
    agv.paused = s.paused ?? null;
    agv.orderId = s.orderId;
    agv.actions.clear();
    for (const a of s.actionStates)
      agv.actions.set(a.actionId, { status: a.actionStatus, resultDescription: a.resultDescription });
    const before = agv.warnings;
    let now: Set<string> | null = null;
    for (const e of s.errors) {
      if (e.errorLevel !== 'WARNING') continue;
      now ??= new Set();
      now.add(e.errorType);
      if (!before.has(e.errorType)) this.warnings++;
    }
    agv.warnings = now ?? new Set();
    agv.stateSeq++;
  }
}

/** Why a value is far outside its catalog range (10 spans), or null when it is plausible. */
function outOfRange(d: SignalDef | null, v: number): string | null {
  if (!d) return null;
  const span = d.max - d.min;
  return v < d.min - RANGE_SPANS * span || v > d.max + RANGE_SPANS * span
    ? `${d.key}: ${v} is far outside ${d.min}..${d.max} ${d.unit}`
    : null;
}
