import mqtt, { type MqttClient } from 'mqtt';
import {
  DataType,
  type DecodedPayload,
  decodePayload,
  encodePayload,
  type MetricToEncode,
  type MetricValue,
} from '../../../server/ingest/sparkplug/payload';

/** A metric an edge node announces in its birth, with its alias and current value. */
export interface EdgeMetric {
  name: string;
  alias: number;
  datatype: number;
  value: MetricValue;
}

/** A command (NCMD/DCMD) the edge node received. */
export interface ReceivedCommand {
  topic: string;
  payload: DecodedPayload;
}

/**
 * A small Sparkplug B edge node for tests, over mqtt.js: NDEATH Will with its bdSeq (a new bdSeq
 * on every connection), NBIRTH and DBIRTHs on every connection and when a host asks for a rebirth,
 * data by alias with a seq counting up mod 256 (or any seq a test chooses), and every NCMD/DCMD it
 * receives recorded.
 */
export class TestEdgeNode {
  client!: MqttClient;
  seq = 0;
  bdSeq = -1;
  /** Whether it answers `Node Control/Rebirth` with a new birth (a test may switch it off). */
  autoRebirth = true;
  readonly commands: ReceivedCommand[] = [];
  /** Births sent so far (NBIRTH count). */
  births = 0;
  /** Whether it sends its births when it connects (off: a node whose birth the host missed). */
  birthOnConnect = true;

  constructor(
    readonly url: string,
    readonly group: string,
    readonly node: string,
    /** The node's own metrics (bdSeq is added). */
    readonly nodeMetrics: EdgeMetric[],
    /** Device id -> its metrics. */
    readonly devices: Record<string, EdgeMetric[]>,
  ) {}

  /** Topic of a message type (device: a device topic). */
  topic(type: string, device?: string): string {
    return `spBv1.0/${this.group}/${type}/${this.node}${device ? `/${device}` : ''}`;
  }

  private deathPayload(): Buffer {
    return Buffer.from(
      encodePayload({
        timestamp: Date.now(),
        metrics: [{ name: 'bdSeq', datatype: DataType.Int64, value: this.bdSeq }],
      }),
    );
  }

  /** Connects (and keeps reconnecting); resolves after the first birth. */
  async start(): Promise<void> {
    this.bdSeq = 0;
    const client = mqtt.connect(this.url, {
      protocolVersion: 4,
      clientId: `edge-${this.group}-${this.node}-${Math.random().toString(16).slice(2, 8)}`,
      reconnectPeriod: 300,
      will: { topic: this.topic('NDEATH'), payload: this.deathPayload(), qos: 1, retain: false },
    });
    this.client = client;
    client.on('reconnect', () => {
      this.bdSeq = (this.bdSeq + 1) & 255;
      client.options.will = {
        topic: this.topic('NDEATH'),
        payload: this.deathPayload(),
        qos: 1,
        retain: false,
      };
    });
    client.on('message', (topic, payload) => {
      let p: DecodedPayload;
      try {
        p = decodePayload(payload);
      } catch {
        return;
      }
      this.commands.push({ topic, payload: p });
      if (
        this.autoRebirth &&
        topic === this.topic('NCMD') &&
        p.metrics.some((m) => m.name === 'Node Control/Rebirth' && m.value === true)
      )
        void this.birth().catch(() => {});
    });
    const first = new Promise<void>((resolve) => {
      client.on('connect', () => {
        client.subscribe([this.topic('NCMD'), `${this.topic('DCMD')}/+`], { qos: 0 }, () => {
          if (!this.birthOnConnect) return resolve();
          void this.birth()
            .then(resolve)
            .catch(() => {});
        });
      });
    });
    await first;
  }

  /** NBIRTH (seq 0, bdSeq, node metrics with aliases), then a DBIRTH per device. */
  async birth(): Promise<void> {
    this.seq = 0;
    const now = Date.now();
    await this.client.publishAsync(
      this.topic('NBIRTH'),
      Buffer.from(
        encodePayload({
          timestamp: now,
          seq: this.nextSeq(),
          metrics: [
            { name: 'bdSeq', datatype: DataType.Int64, value: this.bdSeq },
            { name: 'Node Control/Rebirth', datatype: DataType.Boolean, value: false },
            ...this.nodeMetrics.map((m) => ({ ...m, timestamp: now })),
          ],
        }),
      ),
    );
    for (const [device, metrics] of Object.entries(this.devices))
      await this.client.publishAsync(
        this.topic('DBIRTH', device),
        Buffer.from(
          encodePayload({
            timestamp: now,
            seq: this.nextSeq(),
            metrics: metrics.map((m) => ({ ...m, timestamp: now })),
          }),
        ),
      );
    this.births++;
  }

  nextSeq(): number {
    const s = this.seq;
    this.seq = (this.seq + 1) & 255;
    return s;
  }

  /** Publishes DDATA (device) or NDATA (no device) with the next seq unless `seq` is given. */
  async data(device: string | null, metrics: MetricToEncode[], seq?: number): Promise<number> {
    const s = seq ?? this.nextSeq();
    await this.client.publishAsync(
      device ? this.topic('DDATA', device) : this.topic('NDATA'),
      Buffer.from(encodePayload({ timestamp: Date.now(), seq: s, metrics })),
    );
    return s;
  }

  /** Publishes raw bytes on one of its topics. */
  raw(topic: string, bytes: Uint8Array | string): Promise<unknown> {
    return this.client.publishAsync(topic, typeof bytes === 'string' ? bytes : Buffer.from(bytes));
  }

  /** Publishes an NDEATH with this bdSeq (a matching one unless a test says otherwise). */
  death(bdSeq = this.bdSeq): Promise<unknown> {
    return this.client.publishAsync(
      this.topic('NDEATH'),
      Buffer.from(
        encodePayload({
          timestamp: Date.now(),
          metrics: [{ name: 'bdSeq', datatype: DataType.Int64, value: bdSeq }],
        }),
      ),
    );
  }

  /** Rebirth requests received so far. */
  rebirthRequests(): number {
    return this.commands.filter(
      (c) =>
        c.topic === this.topic('NCMD') && c.payload.metrics.some((m) => m.name === 'Node Control/Rebirth'),
    ).length;
  }

  async stop(): Promise<void> {
    await this.client?.endAsync(true);
  }
}
