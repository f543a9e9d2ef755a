import type {
  ClientSession,
  ClientSubscription,
  DataValue,
  NodeId,
  OPCUACertificateManager,
  OPCUAClient,
} from 'node-opcua';
import type { Logger } from 'pino';
import type { OpcuaSource } from '../../../protocol';
import type { DeviceCommand, DeviceCommandResult, SourceAdapter } from '../adapter';
import type { IngestSink } from '../ingestSink';
import type { PlantIndex } from '../mqttJsonAdapter';
import type { DropReason, SourceStats } from '../sourceStats';
import { sendAction } from './actions';
import { routeLibraryLogs } from './libraryLogs';
import { type Item, type MappedNode, mapItems } from './mappedNodes';
import { resolveNodeId } from './nodeIds';
import { connectErrorText, openCertificateManager, pkiDir, securityPolicyFor } from './security';
import { checkUnits } from './unitCheck';
import { readDataValue } from './valueIntake';

/** node-opcua, loaded when the first OPC UA source starts (it takes a second and much memory). */
export type Ua = typeof import('node-opcua');

/** First wait between reconnection attempts, ms; doubled up to RETRY_MAX_MS. */
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 5000;
/** Wait after a refused connection (certificate, user) before trying again, ms. */
const REFUSED_RETRY_MS = 5000;
/** Publishing interval floor, ms: the twin shows 10 frames a second, queued values still arrive. */
const MIN_PUBLISHING_MS = 100;
/** A subscription sends a keep-alive when idle this long, about, ms. */
const KEEPALIVE_MS = 1000;
/** The server may keep a subscription without a publish request this long (a reconnection), ms. */
const LIFETIME_MS = 60_000;
/** Session timeout asked of the server, ms. */
const SESSION_TIMEOUT_MS = 60_000;
/** The server's NamespaceArray variable (ns=0;i=2255). */
const NAMESPACE_ARRAY = 2255;
/** OPC UA AttributeIds (Part 6): NodeClass and Value. */
const ATTR_NODE_CLASS = 2;
const ATTR_VALUE = 13;
/** TimestampsToReturn.Both. */
const BOTH_TIMESTAMPS = 2;

/** What the adapter needs besides its source entry. */
export interface OpcuaContext {
  plant: PlantIndex;
  logger: Logger;
  now: () => number;
  dataDir: string;
  /** Password of `username` (read at start from passwordEnv/passwordFile). */
  password?: string;
}

/**
 * An OPC UA client source. One client and session per source, kept alive and reconnected by
 * node-opcua (which transfers or recreates the subscription); one subscription with a monitored
 * item per mapped node. Node ids carry namespace URIs and are resolved after every connection.
 * Values keep the server's quality (Good/Uncertain/Bad) and source time; a lost connection marks
 * every machine of the source stale at once. Nothing here throws into node-opcua's callbacks.
 */
export class OpcuaAdapter implements SourceAdapter {
  readonly nodes: MappedNode[];
  private readonly items: Map<string, Item>;
  /** Equipment indices of this source (all marked stale when the connection is lost). */
  private readonly equipment: number[];
  private readonly logged = new Set<string>();
  private readonly unitChecked = new Set<string>();
  private readonly pki: string;
  private ua: Ua | null = null;
  private cm: OPCUACertificateManager | null = null;
  private client: OPCUAClient | null = null;
  private session: ClientSession | null = null;
  private subscription: ClientSubscription | null = null;
  private sink: IngestSink | null = null;
  private namespaces: readonly string[] = [];
  /** Resolved node ids of the current subscription (to see whether a reconnection changed them). */
  private resolvedKey = '';
  private running = false;
  /** Whether the source's values have been marked stale since the last connection loss. */
  private markedStale = false;
  private wake: (() => void) | null = null;
  private building: Promise<void> | null = null;

  constructor(
    private readonly source: OpcuaSource,
    private readonly stats: SourceStats,
    private readonly ctx: OpcuaContext,
  ) {
    this.pki = pkiDir(ctx.dataDir);
    const mapped = mapItems(source, ctx.plant);
    this.nodes = mapped.nodes;
    this.items = mapped.items;
    this.equipment = mapped.equipment;
  }

  health(): SourceStats {
    return this.stats;
  }

  start(sink: IngestSink): void {
    if (this.running) return;
    this.sink = sink;
    this.running = true;
    this.stats.status = 'connecting';
    void this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.sink = null;
    this.wake?.();
    const client = this.client;
    this.client = null;
    this.session = null;
    this.subscription = null;
    if (client) await client.disconnect().catch(() => {});
    await this.cm?.dispose().catch(() => {});
    this.cm = null;
    this.stats.status = 'down';
  }

  /** Loads node-opcua, opens the PKI, then connects until it succeeds once (node-opcua takes over). */
  private async run(): Promise<void> {
    try {
      this.ua ??= await import('node-opcua');
      routeLibraryLogs(this.ua, this.ctx.logger);
      this.cm ??= await openCertificateManager(this.ua, this.pki);
    } catch (err) {
      this.stats.status = 'down';
      this.report(`cannot start the OPC UA client: ${(err as Error).message}`, 'error');
      return;
    }
    if (!this.running) {
      // Stopped while loading: nothing else will release the certificate store's watchers.
      await this.cm.dispose().catch(() => {});
      this.cm = null;
      return;
    }
    while (this.running) {
      if (await this.connectOnce(this.ua, this.cm)) return;
      if (!this.running) return;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, REFUSED_RETRY_MS);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  /** One connection: true once connected with a session and a subscription (or stopped). */
  private async connectOnce(ua: Ua, cm: OPCUACertificateManager): Promise<boolean> {
    const s = this.source;
    const client = ua.OPCUAClient.create({
      applicationName: 'PlantTwin',
      clientName: `plant-twin-${s.id}`,
      clientCertificateManager: cm,
      securityMode: ua.MessageSecurityMode[s.securityMode],
      securityPolicy: securityPolicyFor(s.securityMode),
      // Servers behind NAT or with another host name in their endpoints are common: connect to
      // the URL of the file with the security it asks for, the server's certificate still checked.
      endpointMustExist: false,
      keepSessionAlive: true,
      requestedSessionTimeout: SESSION_TIMEOUT_MS,
      connectionStrategy: { maxRetry: -1, initialDelay: RETRY_FIRST_MS, maxDelay: RETRY_MAX_MS },
    });
    this.client = client;
    this.watchClient(client);
    try {
      await client.connect(s.endpoint);
      if (!this.running || this.client !== client) {
        await client.disconnect().catch(() => {});
        return true;
      }
      const session = await client.createSession(
        s.username
          ? { type: ua.UserTokenType.UserName, userName: s.username, password: this.ctx.password ?? '' }
          : { type: ua.UserTokenType.Anonymous },
      );
      if (!this.running || this.client !== client) {
        await client.disconnect().catch(() => {});
        return true;
      }
      this.session = session;
      this.watchSession(session);
      await this.build(ua, session);
      this.stats.status = 'connected';
      return true;
    } catch (err) {
      if (!this.running) return true; // stopped while connecting: nothing to report
      this.stats.status = 'down';
      this.stats.connectionError(connectErrorText(err, s.endpoint, this.pki), this.ctx.now());
      if (this.client === client) {
        this.client = null;
        this.session = null;
        this.subscription = null;
      }
      await client.disconnect().catch(() => {});
      return false;
    }
  }

  private watchClient(client: OPCUAClient): void {
    const mine = () => this.running && this.client === client;
    client.on('backoff', (n: number) => {
      if (!mine()) return;
      this.stats.status = 'connecting';
      this.stats.connectionError(`cannot reach ${this.source.endpoint} (attempt ${n + 1})`, this.ctx.now());
    });
    client.on('connection_lost', () => {
      if (!mine()) return;
      this.stats.status = 'connecting';
      this.stats.connectionError(`connection to ${this.source.endpoint} lost`, this.ctx.now());
      this.markAllStale();
    });
    client.on('start_reconnection', () => {
      if (mine()) this.stats.status = 'connecting';
    });
    client.on('connection_reestablished', () => {
      if (!mine() || !this.session) return;
      this.stats.status = 'connected';
      // node-opcua transferred or recreated the subscription; the namespace numbering may have
      // changed with a restarted server, so look the node ids up again.
      const session = this.session;
      const ua = this.ua;
      if (ua) void this.rebuildIfNeeded(ua, session);
    });
  }

  private watchSession(session: ClientSession): void {
    session.on('keepalive_failure', () => {
      if (!this.running || this.session !== session) return;
      this.stats.connectionError(`session keep-alive to ${this.source.endpoint} failed`, this.ctx.now());
      this.markAllStale();
    });
  }

  /**
   * Reads the NamespaceArray, resolves and checks the nodes, reads their units (once per node) and
   * creates the subscription. Errors of single nodes are reported; the others run.
   */
  private async build(ua: Ua, session: ClientSession): Promise<void> {
    const ns = await session.read({ nodeId: ua.resolveNodeId(NAMESPACE_ARRAY), attributeId: ATTR_VALUE });
    const namespaces = Array.isArray(ns.value.value) ? (ns.value.value as string[]) : [];
    this.namespaces = namespaces;
    for (const m of this.nodes) {
      m.nodeId = resolveNodeId(ua, m.node, namespaces);
      if (!m.nodeId)
        this.report(
          `node ${m.node.text} (${this.what(m)}): the server has no namespace ${m.node.uri}`,
          'error',
        );
    }
    const known = this.nodes.filter((m) => m.nodeId);
    if (known.length) {
      const classes = await session.read(
        known.map((m) => ({ nodeId: m.nodeId as NodeId, attributeId: ATTR_NODE_CLASS })),
      );
      classes.forEach((dv, i) => {
        if (dv.statusCode.isGood()) return;
        const m = known[i];
        this.report(
          `node ${m.node.text} (${this.what(m)}): not on the server (${dv.statusCode.name})`,
          'error',
        );
        m.nodeId = null;
      });
    }
    this.resolvedKey = this.keyOfResolved();
    const toCheck = this.nodes.filter((m) => m.nodeId && m.def && !this.unitChecked.has(m.node.text));
    for (const m of toCheck) this.unitChecked.add(m.node.text);
    for (const warning of await checkUnits(ua, session, toCheck).catch((err: Error) => [
      `unit check failed: ${err.message}`,
    ]))
      this.report(warning);
    if (this.subscription) {
      const old = this.subscription;
      this.subscription = null;
      await old.terminate().catch(() => {});
    }
    this.subscribe(ua, session);
  }

  /** One subscription at the fastest item's rate, a monitored item per resolved node. */
  private subscribe(ua: Ua, session: ClientSession): void {
    const live = this.nodes.filter((m) => m.nodeId);
    const fastest = Math.min(...this.source.items.map((i) => i.samplingIntervalMs));
    const publishingMs = Math.max(MIN_PUBLISHING_MS, fastest);
    const sub = ua.ClientSubscription.create(session, {
      requestedPublishingInterval: publishingMs,
      requestedMaxKeepAliveCount: Math.max(1, Math.ceil(KEEPALIVE_MS / publishingMs)),
      requestedLifetimeCount: Math.max(3, Math.ceil(LIFETIME_MS / publishingMs)),
      maxNotificationsPerPublish: 0,
      publishingEnabled: true,
      priority: 10,
    });
    this.subscription = sub;
    const mine = () => this.running && this.subscription === sub;
    sub.on('terminated', () => {
      if (!mine()) return;
      this.markAllStale();
      this.subscription = null;
      // The server ended it (lifetime expired during a long outage): make a new one.
      if (this.session && this.ua) void this.rebuild(this.ua, this.session);
    });
    sub.on('status_changed', (status) => {
      if (mine() && !status.isGood()) this.markAllStale();
    });
    sub.on('internal_error', (err: Error) => {
      if (mine()) this.stats.connectionError(`subscription: ${err.message}`, this.ctx.now());
    });
    for (const m of live) {
      const item = ua.ClientMonitoredItem.create(
        sub,
        { nodeId: m.nodeId as NodeId, attributeId: ATTR_VALUE },
        { samplingInterval: m.samplingMs, queueSize: m.queueSize, discardOldest: true },
        BOTH_TIMESTAMPS,
      );
      item.on('changed', (dv: DataValue) => {
        if (this.subscription === sub) this.onValue(m, dv);
      });
      item.on('err', (message: string) => {
        if (mine())
          this.report(`node ${m.node.text} (${this.what(m)}): cannot be monitored (${message})`, 'error');
      });
    }
  }

  /** After a reconnection: rebuild only if the node ids resolve differently now. */
  private async rebuildIfNeeded(ua: Ua, session: ClientSession): Promise<void> {
    try {
      const ns = await session.read({ nodeId: ua.resolveNodeId(NAMESPACE_ARRAY), attributeId: ATTR_VALUE });
      const namespaces = Array.isArray(ns.value.value) ? (ns.value.value as string[]) : [];
      const key = this.nodes.map((m) => resolveNodeId(ua, m.node, namespaces)?.toString() ?? '-').join('|');
      if (key !== this.resolvedKey || !this.subscription) await this.rebuild(ua, session);
    } catch (err) {
      this.stats.connectionError(`after reconnecting: ${(err as Error).message}`, this.ctx.now());
    }
  }

  /** Builds the subscription again (one rebuild at a time). */
  private async rebuild(ua: Ua, session: ClientSession): Promise<void> {
    if (this.building) return this.building;
    this.building = (async () => {
      try {
        if (this.running && this.session === session) await this.build(ua, session);
      } catch (err) {
        this.stats.connectionError(`cannot subscribe: ${(err as Error).message}`, this.ctx.now());
      } finally {
        this.building = null;
      }
    })();
    return this.building;
  }

  private keyOfResolved(): string {
    return this.nodes.map((m) => m.nodeId?.toString() ?? '-').join('|');
  }

  /** Every machine of this source stale now (once per loss; a value that arrives ends it). */
  private markAllStale(): void {
    const sink = this.sink;
    if (!sink || this.markedStale) return;
    this.markedStale = true;
    const now = this.ctx.now();
    for (const eq of this.equipment) sink.markStale(this.stats.index, eq, now);
  }

  /** Checks one DataValue and queues it; never throws. */
  onValue(m: MappedNode, dv: DataValue): void {
    try {
      this.apply(m, dv);
    } catch (err) {
      this.drop('malformed', `node ${m.node.text}: ${(err as Error).message}`, this.ctx.now());
    }
  }

  /** Queues one value; false when it was dropped (counted). */
  private apply(m: MappedNode, dv: DataValue): boolean {
    const sink = this.sink;
    if (!sink) return false;
    const rxMs = this.ctx.now();
    this.markedStale = false;
    const r = readDataValue(m, dv, rxMs);
    if (r === null) {
      this.stats.accepted(rxMs);
      return true;
    }
    if ('reason' in r) return this.drop(r.reason, r.detail, rxMs);
    if (!sink.push(this.stats.index, m.eq, m.sig, r.value, r.srcMs, rxMs, r.quality))
      return this.drop('rate', 'ingest queue full', rxMs);
    this.stats.accepted(rxMs);
    if (!Number.isNaN(r.serverMs)) this.stats.skewSample(rxMs - r.serverMs);
    return true;
  }

  private drop(reason: DropReason, detail: string, nowMs: number): false {
    this.stats.drop(reason, detail, nowMs);
    return false;
  }

  async command(cmd: DeviceCommand): Promise<DeviceCommandResult> {
    const item = this.items.get(cmd.equipmentId);
    const ua = this.ua;
    const session = this.session;
    if (!item) return { status: 'refused', detail: `${cmd.equipmentId} is not fed by ${this.source.id}` };
    if (!ua || !session || this.stats.status !== 'connected')
      return { status: 'refused', detail: `not connected to ${this.source.endpoint}` };
    return sendAction(ua, session, {
      action: cmd.action,
      mapping: item.actions,
      namespaces: this.namespaces,
      live: this.sink?.live ?? null,
      eq: item.eq,
      stateMapped: item.stateMapped,
    });
  }

  /** `L1-C1 beltSpeed` or `L1-C1 state`, for messages. */
  private what(m: MappedNode): string {
    return `${m.equipment} ${m.def ? m.def.key : 'state'}`;
  }

  /** A problem of the configuration or of the server: lastError, and the log once per text. */
  private report(message: string, level: 'warn' | 'error' = 'warn'): void {
    this.stats.lastError = message;
    if (this.logged.has(message)) return;
    this.logged.add(message);
    this.ctx.logger[level]({ source: this.source.id }, `opcua: ${message}`);
  }
}
