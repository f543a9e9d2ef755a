import mqtt, { type MqttClient } from 'mqtt';
import {
  connectionSchema,
  stateSchema,
  type VdaState,
  vdaTopic,
  visualizationSchema,
} from '../../../server/ingest/vda5050/messages';

/** One message the test AGV received from the twin. */
export interface Received {
  topic: string;
  /** The last topic level: order, instantActions, ... */
  kind: string;
  message: unknown;
}

export interface TestAgvOptions {
  manufacturer?: string;
  serialNumber: string;
  interfaceName?: string;
  majorVersion?: string;
  /** The header version it speaks. */
  version?: string;
  /** Register a CONNECTIONBROKEN last will (as real AGVs do). */
  will?: boolean;
  /** Reconnect by itself (default: no). */
  reconnect?: boolean;
}

type DeepPartial<T> = {
  [K in keyof T]?: NonNullable<T[K]> extends readonly unknown[]
    ? T[K]
    : NonNullable<T[K]> extends object
      ? DeepPartial<NonNullable<T[K]>>
      : T[K];
};

/**
 * A real AGV as far as the twin can tell: an mqtt.js client that publishes schema-valid VDA 5050
 * `state`, `visualization` and `connection` messages (checked against the specification's schemas
 * before sending, so a test never blames the twin for its own typo), with headerIds counting per
 * topic, and records every `order` and `instantActions` the twin sends it.
 */
export class TestAgv {
  readonly received: Received[] = [];
  readonly nextHeaderId: Record<string, number> = { state: 0, visualization: 0, connection: 0 };
  /** Called for every received message (to play an AGV that answers). */
  onReceive: ((r: Received) => void) | null = null;
  private constructor(
    readonly client: MqttClient,
    readonly manufacturer: string,
    readonly serialNumber: string,
    readonly prefix: string,
    readonly version: string,
  ) {}

  static async connect(url: string, o: TestAgvOptions): Promise<TestAgv> {
    const manufacturer = o.manufacturer ?? 'Acme';
    const interfaceName = o.interfaceName ?? 'uagv';
    const major = o.majorVersion ?? 'v2';
    const version = o.version ?? '2.0.0';
    const prefix = vdaTopic(interfaceName, major, manufacturer, o.serialNumber, 'state').slice(
      0,
      -'state'.length,
    );
    const willMsg = {
      headerId: 1,
      timestamp: new Date().toISOString(),
      version,
      manufacturer,
      serialNumber: o.serialNumber,
      connectionState: 'CONNECTIONBROKEN',
    };
    const client = await mqtt.connectAsync(url, {
      protocolVersion: 4,
      clientId: `test-agv-${o.serialNumber}-${Math.random().toString(16).slice(2, 8)}`,
      reconnectPeriod: o.reconnect ? 200 : 0,
      will: o.will
        ? {
            topic: `${prefix}connection`,
            payload: Buffer.from(JSON.stringify(willMsg)),
            qos: 1,
            retain: true,
          }
        : undefined,
    });
    const agv = new TestAgv(client, manufacturer, o.serialNumber, prefix, version);
    if (o.will) agv.nextHeaderId.connection = 2;
    client.on('message', (topic, payload) => {
      const r: Received = {
        topic,
        kind: topic.slice(prefix.length),
        message: JSON.parse(payload.toString()),
      };
      agv.received.push(r);
      agv.onReceive?.(r);
    });
    await client.subscribeAsync([`${prefix}order`, `${prefix}instantActions`]);
    return agv;
  }

  private header(topic: string, headerId?: number, ts?: number) {
    const id = headerId ?? this.nextHeaderId[topic];
    this.nextHeaderId[topic] = id + 1;
    return {
      headerId: id,
      timestamp: new Date(ts ?? Date.now()).toISOString(),
      version: this.version,
      manufacturer: this.manufacturer,
      serialNumber: this.serialNumber,
    };
  }

  /** A full, valid state (defaults: standing, not paused, 80 %, automatic, no errors, at map 0,0). */
  stateMessage(over: DeepPartial<VdaState> & { ts?: number } = {}): VdaState & Record<string, unknown> {
    const { ts, headerId, agvPosition, batteryState, safetyState, ...rest } = over;
    const m = {
      ...this.header('state', headerId, ts),
      orderId: '',
      orderUpdateId: 0,
      lastNodeId: '',
      lastNodeSequenceId: 0,
      nodeStates: [],
      edgeStates: [],
      velocity: { vx: 0, vy: 0, omega: 0 },
      driving: false,
      paused: false,
      actionStates: [],
      operatingMode: 'AUTOMATIC',
      errors: [],
      ...rest,
      agvPosition: { x: 0, y: 0, theta: 0, mapId: 'hall', positionInitialized: true, ...agvPosition },
      batteryState: { batteryCharge: 80, charging: false, ...batteryState },
      safetyState: { eStop: 'NONE', fieldViolation: false, ...safetyState },
    };
    const r = stateSchema.safeParse(m);
    if (!r.success) throw new Error(`the test AGV built an invalid state: ${r.error.message}`);
    return m as VdaState & Record<string, unknown>;
  }

  async state(over: Parameters<TestAgv['stateMessage']>[0] = {}): Promise<VdaState> {
    const m = this.stateMessage(over);
    await this.client.publishAsync(`${this.prefix}state`, JSON.stringify(m));
    return m;
  }

  async visualization(x: number, y: number, theta: number, mapId = 'hall', vx = 0, vy = 0): Promise<void> {
    const m = {
      ...this.header('visualization'),
      agvPosition: { x, y, theta, mapId, positionInitialized: true },
      velocity: { vx, vy },
    };
    visualizationSchema.parse(m);
    await this.client.publishAsync(`${this.prefix}visualization`, JSON.stringify(m));
  }

  async connection(connectionState: 'ONLINE' | 'OFFLINE' | 'CONNECTIONBROKEN'): Promise<void> {
    const m = { ...this.header('connection'), connectionState };
    connectionSchema.parse(m);
    await this.client.publishAsync(`${this.prefix}connection`, JSON.stringify(m), { qos: 1, retain: true });
  }

  /** Publishes anything to one of its topics (malformed input). */
  raw(topic: string, payload: string | Buffer): Promise<unknown> {
    return this.client.publishAsync(`${this.prefix}${topic}`, payload);
  }

  /** Drops the TCP connection without a DISCONNECT (power loss): the broker sends the last will. */
  crash(): void {
    this.client.stream.destroy();
    this.client.end(true);
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}
