import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import {
  instantActionsSchema,
  orderSchema,
  plantToVda,
  type VdaState,
  type VdaTopic,
  vdaToPlant,
  vdaTopic,
} from '../ingest/vda5050/messages';
import type { SimCommand } from '../sim';
import { type AgvRuntime, MODE } from '../sim/agvFleet';
import { AGV } from '../sim/slots';
import type { SimWorld } from '../sim/state';
import { linkOptions, logLinkErrors } from './mqttLink';
import { VDA_INTERFACE, VDA_MAJOR, VDA_MANUFACTURER, VDA_MAP, VDA_VERSION } from './protocolSplit';

/** `state` at least this often, ms (and at once on a change). */
const STATE_EVERY_MS = 1000;
/** `visualization` every this many 100 ms ticks: 5 Hz. */
const VIZ_EVERY_TICKS = 2;
/** Below this the AGV counts as standing, m/s. */
const STANDING_MPS = 0.01;
/** An order node given only by position must lie this close to a path node, m. */
const NODE_MATCH_M = 0.5;
/** Action states kept in `state` (the newest). */
const MAX_ACTION_STATES = 50;
/** Largest inbound message, bytes. */
const MAX_MESSAGE_BYTES = 256 * 1024;

type ActionState = VdaState['actionStates'][number];
type VdaError = VdaState['errors'][number];

/** What the AGVs need of the running plant. */
export interface AgvHost {
  world: SimWorld;
  command(cmd: SimCommand): { ok: boolean; message: string };
  logger: Logger;
}

/** The order being driven: its last node and what is left to report. */
interface ActiveOrder {
  orderId: string;
  orderUpdateId: number;
  nodes: { nodeId: string; sequenceId: number }[];
  edges: { edgeId: string; sequenceId: number }[];
  /** Graph index of the last node. */
  goal: number;
  lastSequenceId: number;
  /** The startCharging action on the last node, if any. */
  charging: ActionState | null;
  arrived: boolean;
}

/**
 * One AGV speaking VDA 5050 2.0 over its own MQTT connection (its Will is its `connection`
 * CONNECTIONBROKEN, retained). Reports `state` at 1 Hz and on every change, `visualization` at
 * 5 Hz, its pose in the map frame (VDA_MAP) through plantToVda. Obeys instantActions
 * startPause/stopPause/cancelOrder and orders (drives to the order's last node; startCharging there
 * docks it).
 */
export class VdaAgv {
  private client: MqttClient | null = null;
  private readonly headerIds: Record<string, number> = {};
  private readonly agv: AgvRuntime | null;
  private order: ActiveOrder | null = null;
  private orderId = '';
  private orderUpdateId = 0;
  private lastSequenceId = 0;
  private readonly actionStates: ActionState[] = [];
  /** Errors of the last refused order or action (WARNING), until the next accepted order. */
  private warnings: VdaError[] = [];
  private lastStateMs = 0;
  private ticks = 0;
  /** What the last `state` said, to send a new one on a change. */
  private sent = { driving: false, paused: false, node: -1, charging: false, faulted: false, version: -1 };
  /** Bumped on every change of order, actions or errors. */
  private version = 0;

  constructor(
    private readonly broker: string,
    readonly eq: number,
    readonly serial: string,
    private readonly host: AgvHost,
  ) {
    this.agv = host.world.fleet.agvs.find((a) => a.eq === eq) ?? null;
  }

  private topic(t: VdaTopic): string {
    return vdaTopic(VDA_INTERFACE, VDA_MAJOR, VDA_MANUFACTURER, this.serial, t);
  }

  private header(topic: string, nowMs: number) {
    const headerId = this.headerIds[topic] ?? 0;
    this.headerIds[topic] = (headerId + 1) >>> 0;
    return {
      headerId,
      timestamp: new Date(nowMs).toISOString(),
      version: VDA_VERSION,
      manufacturer: VDA_MANUFACTURER,
      serialNumber: this.serial,
    };
  }

  private connection(state: 'ONLINE' | 'OFFLINE' | 'CONNECTIONBROKEN', nowMs: number): string {
    return JSON.stringify({ ...this.header('connection', nowMs), connectionState: state });
  }

  start(): void {
    const will = {
      topic: this.topic('connection'),
      payload: Buffer.from(this.connection('CONNECTIONBROKEN', Date.now())),
      qos: 1 as const,
      retain: true,
    };
    const client = mqtt.connect(this.broker, linkOptions(`agv-${this.serial}`, will));
    this.client = client;
    client.on('connect', () => {
      client.publish(this.topic('connection'), this.connection('ONLINE', Date.now()), {
        qos: 1,
        retain: true,
      });
      client.subscribe([this.topic('order'), this.topic('instantActions')], { qos: 0 }, (err) => {
        if (err) this.host.logger.warn({ agv: this.serial, err: err.message }, 'vda5050 subscribe failed');
      });
      this.lastStateMs = 0; // a fresh state at once
    });
    logLinkErrors(client, this.host.logger, { link: `vda5050 ${this.serial}` });
    client.on('message', (topic, payload) => {
      if (payload.byteLength > MAX_MESSAGE_BYTES) return;
      if (topic === this.topic('order')) this.onOrder(payload);
      else if (topic === this.topic('instantActions')) this.onInstantActions(payload);
    });
  }

  private get faulted(): boolean {
    return this.host.world.faulted[this.eq] === 1;
  }

  private warn(errorType: string, errorDescription: string): void {
    this.warnings = [{ errorType, errorLevel: 'WARNING', errorDescription }];
    this.version++;
    this.host.logger.info({ agv: this.serial, errorType, errorDescription }, 'vda5050 refused');
  }

  private pushAction(a: ActionState): void {
    this.actionStates.push(a);
    if (this.actionStates.length > MAX_ACTION_STATES) this.actionStates.shift();
    this.version++;
  }

  /** The path node an order node names: its id, else its position (map frame) near a node. */
  private resolveNode(n: {
    nodeId: string;
    nodePosition?: { x: number; y: number; theta?: number };
  }): number {
    const g = this.host.world.graph;
    const byId = g.index.get(n.nodeId);
    if (byId !== undefined) return byId;
    if (!n.nodePosition) return -1;
    const [px, pz] = vdaToPlant(VDA_MAP, n.nodePosition.x, n.nodePosition.y, n.nodePosition.theta ?? 0);
    for (let i = 0; i < g.ids.length; i++) if (Math.hypot(g.x[i] - px, g.z[i] - pz) <= NODE_MATCH_M) return i;
    return -1;
  }

  private onOrder(payload: Buffer): void {
    let json: unknown;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch {
      this.warn('validationError', 'order is not JSON');
      return;
    }
    const r = orderSchema.safeParse(json);
    if (!r.success) {
      this.warn('validationError', `order: ${r.error.issues[0]?.message ?? 'invalid'}`);
      return;
    }
    const o = r.data;
    if (o.orderId === this.orderId && o.orderUpdateId <= this.orderUpdateId) return; // a resend
    const nodes = [...o.nodes].sort((a, b) => a.sequenceId - b.sequenceId);
    const last = nodes[nodes.length - 1];
    const goal = this.resolveNode(last);
    if (goal < 0) {
      this.warn('noRouteError', `order ${o.orderId}: node ${last.nodeId} is not on this AGV's map`);
      return;
    }
    const nodeId = this.host.world.graph.ids[goal];
    const res = this.host.command({
      equipmentId: this.host.world.equipment[this.eq].id,
      action: 'go-to',
      params: { node: nodeId },
    });
    if (!res.ok) {
      this.warn('orderError', `order ${o.orderId}: ${res.message}`);
      return;
    }
    this.warnings = [];
    this.orderId = o.orderId;
    this.orderUpdateId = o.orderUpdateId;
    this.lastSequenceId = nodes[0].sequenceId;
    let charging: ActionState | null = null;
    for (const n of o.nodes)
      for (const a of n.actions) {
        const isCharge = a.actionType === 'startCharging' && n === last;
        const s: ActionState = {
          actionId: a.actionId,
          actionType: a.actionType,
          actionStatus: isCharge ? 'WAITING' : 'FAILED',
          ...(isCharge ? {} : { resultDescription: 'not supported by this AGV' }),
        };
        if (isCharge) charging = s;
        this.pushAction(s);
      }
    this.order = {
      orderId: o.orderId,
      orderUpdateId: o.orderUpdateId,
      nodes: nodes.map((n) => ({ nodeId: n.nodeId, sequenceId: n.sequenceId })),
      edges: o.edges.map((e) => ({ edgeId: e.edgeId, sequenceId: e.sequenceId })),
      goal,
      lastSequenceId: last.sequenceId,
      charging,
      arrived: false,
    };
    this.version++;
    this.host.logger.info({ agv: this.serial, orderId: o.orderId, node: nodeId }, 'vda5050 order');
  }

  private onInstantActions(payload: Buffer): void {
    let json: unknown;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch {
      this.warn('validationError', 'instantActions is not JSON');
      return;
    }
    const r = instantActionsSchema.safeParse(json);
    if (!r.success) {
      this.warn('validationError', `instantActions: ${r.error.issues[0]?.message ?? 'invalid'}`);
      return;
    }
    const id = this.host.world.equipment[this.eq].id;
    for (const a of r.data.actions) {
      let res: { ok: boolean; message: string } | null = null;
      if (a.actionType === 'startPause') res = this.host.command({ equipmentId: id, action: 'pause' });
      else if (a.actionType === 'stopPause') res = this.host.command({ equipmentId: id, action: 'resume' });
      else if (a.actionType === 'cancelOrder') {
        // Drops the order; an AGV holding at a commanded node goes back to its own work.
        this.order = null;
        res =
          this.agv?.mode === MODE.commanded ? this.host.command({ equipmentId: id, action: 'resume' }) : null;
        res = { ok: true, message: res?.message ?? 'order cancelled' };
      }
      this.pushAction({
        actionId: a.actionId,
        actionType: a.actionType,
        actionStatus: res?.ok ? 'FINISHED' : 'FAILED',
        ...(res ? { resultDescription: res.message } : { resultDescription: 'not supported by this AGV' }),
      });
      this.host.logger.info(
        { agv: this.serial, action: a.actionType, ok: res?.ok ?? false },
        'vda5050 instant action',
      );
    }
  }

  /** Follows the order: arrival at its last node, then the charge there. */
  private followOrder(): void {
    const o = this.order;
    const agv = this.agv;
    if (!o || !agv) return;
    const speed = this.host.world.equipment[this.eq].signals[AGV.speed];
    if (!o.arrived && agv.node === o.goal && !agv.moving && speed < STANDING_MPS) {
      o.arrived = true;
      this.lastSequenceId = o.lastSequenceId;
      this.version++;
      if (o.charging) {
        const res = this.host.command({ equipmentId: this.host.world.equipment[this.eq].id, action: 'dock' });
        o.charging.actionStatus = res.ok ? 'RUNNING' : 'FAILED';
        if (!res.ok) o.charging.resultDescription = res.message;
      }
    }
    if (o.charging?.actionStatus === 'RUNNING' && agv.mode === MODE.charging) {
      o.charging.actionStatus = 'FINISHED';
      this.version++;
    }
  }

  private state(nowMs: number): VdaState {
    const w = this.host.world;
    const e = w.equipment[this.eq];
    const agv = this.agv;
    const pose = e.pose;
    const o = this.order;
    const left = (s: number) => (!o || o.arrived ? false : s > this.lastSequenceId);
    const errors: VdaError[] = [...this.warnings];
    if (this.faulted)
      errors.push({
        errorType: 'agvFault',
        errorLevel: 'FATAL',
        errorDescription: 'stopped by a fault (safety stop)',
      });
    const out: VdaState = {
      ...this.header('state', nowMs),
      orderId: this.orderId,
      orderUpdateId: this.orderUpdateId,
      lastNodeId: agv && agv.node >= 0 ? w.graph.ids[agv.node] : '',
      lastNodeSequenceId: this.lastSequenceId,
      nodeStates: (o?.nodes ?? []).filter((n) => left(n.sequenceId)).map((n) => ({ ...n, released: true })),
      edgeStates: (o?.edges ?? []).filter((n) => left(n.sequenceId)).map((n) => ({ ...n, released: true })),
      driving: e.signals[AGV.speed] >= STANDING_MPS,
      paused: agv?.paused ?? false,
      actionStates: this.actionStates.map((a) => ({ ...a })),
      batteryState: { batteryCharge: e.signals[AGV.battery], charging: agv?.mode === MODE.charging },
      operatingMode: 'AUTOMATIC',
      errors,
      safetyState: { eStop: 'NONE', fieldViolation: this.faulted },
      velocity: { vx: e.signals[AGV.speed], vy: 0, omega: 0 },
    };
    if (pose) out.agvPosition = this.position(pose);
    return out;
  }

  private position(pose: Float64Array) {
    const [x, y, theta] = plantToVda(VDA_MAP, pose[0], pose[2], pose[3]);
    return { x, y, theta, mapId: VDA_MAP.mapId, positionInitialized: true, localizationScore: 1 };
  }

  /** One 100 ms tick: follow the order, then publish what is due. */
  tick(nowMs: number): void {
    this.followOrder();
    const c = this.client;
    if (!c?.connected) return;
    const e = this.host.world.equipment[this.eq];
    this.ticks++;
    if (this.ticks % VIZ_EVERY_TICKS === 0 && e.pose)
      c.publish(
        this.topic('visualization'),
        JSON.stringify({
          ...this.header('visualization', nowMs),
          agvPosition: this.position(e.pose),
          velocity: { vx: e.signals[AGV.speed], vy: 0, omega: 0 },
        }),
        { qos: 0 },
      );
    const s = this.sent;
    const driving = e.signals[AGV.speed] >= STANDING_MPS;
    const paused = this.agv?.paused ?? false;
    const node = this.agv?.node ?? -1;
    const charging = this.agv?.mode === MODE.charging;
    const faulted = this.faulted;
    const changed =
      s.driving !== driving ||
      s.paused !== paused ||
      s.node !== node ||
      s.charging !== charging ||
      s.faulted !== faulted ||
      s.version !== this.version;
    if (!changed && nowMs - this.lastStateMs < STATE_EVERY_MS) return;
    s.driving = driving;
    s.paused = paused;
    s.node = node;
    s.charging = charging;
    s.faulted = faulted;
    s.version = this.version;
    this.lastStateMs = nowMs;
    c.publish(this.topic('state'), JSON.stringify(this.state(nowMs)), { qos: 0 });
  }

  /** Clean exit: `connection` OFFLINE (retained), then disconnect without the Will. */
  async stop(): Promise<void> {
    const c = this.client;
    this.client = null;
    if (!c) return;
    if (c.connected)
      await c
        .publishAsync(this.topic('connection'), this.connection('OFFLINE', Date.now()), {
          qos: 1,
          retain: true,
        })
        .catch(() => {});
    await c.endAsync(false).catch(() => {});
  }
}
