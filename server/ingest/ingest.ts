import type { Logger } from 'pino';
import {
  type EquipmentDetail,
  type LateValue,
  MACHINE_STATES,
  MARK_QUALITY_MASK,
  MAX_SIGNALS,
  type Quality,
  type SourceConfig,
  type SourceHealth,
  type SourcesFile,
  signalIndex,
  signalsOf,
} from '../../protocol';
import type { AlarmBook } from '../alarms/alarmBook';
import { STATE_INPUT } from '../alarms/compile';
import type { InputQuality } from '../alarms/types';
import type { StepOverlay } from '../session/plantSession';
import type { EquipmentRuntime, PlantEventDraft, World } from '../sim/types';
import type { DeviceCommand, DeviceCommandResult, SourceAdapter } from './adapter';
import { type AdapterContext, adapterFor } from './adapters';
import { type CommandRoute, DeviceCommands } from './deviceCommands';
import { ExternalOverlay, FEED } from './externalOverlay';
import { IngestSink } from './ingestSink';
import { LateValues } from './lateValues';
import { LiveValues, Q, qualityName } from './liveValues';
import { SourceStats } from './sourceStats';
import { mappingsOf } from './sourcesFile';
import type { ValueHistoryStore } from './valueHistory';

/** A value not refreshed for this long is stale unless the file says otherwise, s. */
export const DEFAULT_STALE_AFTER_S = 10;

/** What building the ingest needs besides the file. */
export interface IngestDeps {
  logger: Logger;
  /** Wall clock, ms since epoch (receive times). */
  now: () => number;
  env?: NodeJS.ProcessEnv;
  /** The server's data directory (OPC UA certificates); default the working directory. */
  dataDir?: string;
  /**
   * Test-only seam: replaces each source's built adapter (routing tests give one a `command`).
   * Never set in production.
   */
  adapterOverride?: (built: SourceAdapter, source: SourceConfig, stats: SourceStats) => SourceAdapter;
  /** Longest wait for a device command's answer, ms (default DEVICE_ANSWER_MAX_MS; tests shorten it). */
  deviceAnswerMs?: number;
  /**
   * Opens the store of historical and late values for this plant's equipment (serve.ts: a table of
   * the data directory's database). Absent: those values are only counted.
   */
  history?: (equipment: readonly EquipmentRuntime[]) => ValueHistoryStore;
  /** The plant's alarms: rules stop judging bad inputs and BAD-INPUT is bound (see AlarmBook.bindInputQuality). */
  alarms?: AlarmBook | null;
}

/**
 * Real equipment in the twin: the sources of a validated sources file, their adapters, the sink
 * the loop drains before each tick and the overlay that keeps the simulation off the equipment
 * they feed. Built once at start, before the loop runs; plugged into the session as its overlay.
 */
export class Ingest implements StepOverlay, InputQuality {
  readonly live: LiveValues;
  readonly sink: IngestSink;
  readonly stats: SourceStats[];
  /** Per equipment: FEED code. */
  readonly feed: Uint8Array;
  /** Per equipment: index of the source that feeds it, -1 for none. */
  readonly sourceOf: Int16Array;
  /** Historical and late values (null: not kept). */
  readonly history: ValueHistoryStore | null;
  /** Historical and late values on their way to the history and this tick's recording. */
  private readonly late: LateValues;
  private readonly overlay: ExternalOverlay;
  private readonly adapters: SourceAdapter[];
  private readonly mappedSigs: number[][];
  private started = false;
  /** Per equipment: 1 when its mapping allows operators' commands (entry, else source). */
  readonly commands: Uint8Array;
  private readonly devices: DeviceCommands;

  private constructor(
    private readonly world: World,
    file: SourcesFile,
    adapters: (stats: SourceStats[]) => SourceAdapter[],
    logger: Logger,
    deviceAnswerMs: number | undefined,
    history: ValueHistoryStore | null,
    /** Wall clock, ms since epoch. */
    private readonly now: () => number,
  ) {
    const n = world.equipment.length;
    const index = new Map(world.equipment.map((e) => [e.id, e.index]));
    this.live = new LiveValues(n);
    this.feed = new Uint8Array(n).fill(file.unmapped === 'simulate' ? FEED.simulated : FEED.offline);
    this.sourceOf = new Int16Array(n).fill(-1);
    this.commands = new Uint8Array(n);
    this.mappedSigs = world.equipment.map(() => []);
    this.stats = file.sources.map((s, i) => new SourceStats(i, s.id, s.kind, logger));
    const slots: number[] = [];
    const stateMapped: number[] = [];
    file.sources.forEach((s, si) => {
      for (const m of mappingsOf(s)) {
        const eq = index.get(m.equipment);
        if (eq === undefined) continue; // checked against the plant when the file was loaded
        this.feed[eq] = FEED.external;
        this.sourceOf[eq] = si;
        this.commands[eq] = m.commands ? 1 : 0;
        const staleMs = 1000 * (m.staleAfterS ?? s.staleAfterS ?? DEFAULT_STALE_AFTER_S);
        const kind = world.equipment[eq].kind;
        for (const [sig] of m.signals) {
          const k = signalIndex(kind, sig);
          this.mappedSigs[eq].push(k);
          const slot = this.live.slot(eq, k);
          this.live.staleAfterMs[slot] = staleMs;
          slots.push(slot);
        }
        if (m.state) {
          this.live.stateStaleAfterMs[eq] = staleMs;
          stateMapped.push(eq);
        }
      }
    });
    this.history = history;
    this.late = new LateValues(world.equipment, history);
    this.sink = new IngestSink(
      this.live,
      this.stats,
      Int32Array.from(slots),
      Int32Array.from(stateMapped),
      this.late,
    );
    this.overlay = new ExternalOverlay(world, this.feed, this.live, this.mappedSigs);
    this.adapters = adapters(this.stats);
    this.devices = new DeviceCommands({
      adapters: this.adapters,
      sourceOf: this.sourceOf,
      commands: this.commands,
      simulated: (eq) => this.feed[eq] === FEED.simulated,
      answerMs: deviceAnswerMs,
    });
  }

  /** Builds the ingest of a validated sources file over a world (reads credentials and TLS files now). */
  static create(
    world: World,
    file: SourcesFile,
    deps: IngestDeps,
  ): { ok: true; ingest: Ingest } | { ok: false; errors: string[] } {
    const byId = new Map(world.equipment.map((e) => [e.id, e]));
    const ctx: AdapterContext = {
      plant: {
        indexOf: (id: string) => byId.get(id)?.index ?? -1,
        signalsOf: (id: string) => {
          const e = byId.get(id);
          return e ? signalsOf(e.kind) : [];
        },
      },
      layout: world.layout,
      logger: deps.logger,
      now: deps.now,
      env: deps.env ?? process.env,
      dataDir: deps.dataDir ?? '.',
    };
    const builders = file.sources.map((s) => adapterFor(s, ctx));
    const errors = builders.flatMap((b) => (b.ok ? [] : b.errors));
    if (errors.length) return { ok: false, errors };
    let history: ValueHistoryStore | null = null;
    try {
      history = deps.history?.(world.equipment) ?? null;
    } catch (err) {
      return { ok: false, errors: [`cannot open the value history: ${(err as Error).message}`] };
    }
    const ingest = new Ingest(
      world,
      file,
      (stats) =>
        builders.map((b, i) => {
          if (!b.ok) throw new Error('unreachable: refused above');
          const built = b.build(stats[i]);
          return deps.adapterOverride ? deps.adapterOverride(built, file.sources[i], stats[i]) : built;
        }),
      deps.logger,
      deps.deviceAnswerMs,
      history,
      deps.now,
    );
    if (deps.alarms) {
      const fed: number[] = [];
      for (let i = 0; i < ingest.feed.length; i++) if (ingest.feed[i] === FEED.external) fed.push(i);
      deps.alarms.bindInputQuality(ingest, fed);
    }
    return { ok: true, ingest };
  }

  /** Connects every source (they reconnect by themselves from then on). */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const a of this.adapters) a.start(this.sink);
  }

  /** Disconnects every source. */
  async stop(): Promise<void> {
    this.started = false;
    await Promise.all(this.adapters.map((a) => a.stop()));
    this.history?.flush(this.now());
  }

  /**
   * Quality code (Q) of what alarm rules read: signal `sig` of equipment `eq`, or its machine state
   * for STATE_INPUT. Simulated equipment is good; unmapped equipment shown offline is bad; a signal
   * no source maps, or one never received, is bad. A state no source maps is derived from the
   * values (running while one is fresh): good while one is, else stale (bad before any arrived).
   */
  qualityOf(eq: number, sig: number): number {
    const f = this.feed[eq];
    if (f === FEED.simulated) return Q.good;
    if (f === FEED.offline) return Q.bad;
    const live = this.live;
    if (sig === STATE_INPUT) {
      if (live.stateStaleAfterMs[eq] > 0) return live.stateRxMs[eq] > 0 ? live.stateQuality[eq] : Q.bad;
      const sigs = this.mappedSigs[eq];
      let received = false;
      for (let k = 0; k < sigs.length; k++) {
        const slot = live.slot(eq, sigs[k]);
        if (live.rxMs[slot] === 0) continue;
        if (live.quality[slot] !== Q.stale) return Q.good;
        received = true;
      }
      return received ? Q.stale : Q.bad;
    }
    const slot = live.slot(eq, sig);
    if (live.staleAfterMs[slot] === 0 || live.rxMs[slot] === 0) return Q.bad;
    return live.quality[slot];
  }

  beforeTick(nowMs: number): void {
    this.sink.drain(nowMs);
    // The drain's historical and late values, in one transaction a tick.
    this.history?.flush(nowMs);
    // Also now, not only after steps: a tick may take no step, and what is read between ticks
    // (the API) must show states and qualities that agree.
    this.overlay.apply(this.world);
    for (const s of this.stats) s.tick(nowMs);
  }

  takeLate(): LateValue[] {
    return this.late.take();
  }

  afterStep(world: World, drafts: PlantEventDraft[]): PlantEventDraft[] {
    return this.overlay.afterStep(world, drafts);
  }

  owns(equipmentId: string): boolean {
    return this.overlay.owns(equipmentId);
  }

  /** How an operator command to this equipment index is carried out (see DeviceCommands.route). */
  commandRoute(eq: number): CommandRoute {
    return this.devices.route(eq);
  }

  /**
   * Sends an operator command (role-checked, confirmed and audited by the caller) to the device of
   * its equipment, through its source's adapter: once per command id (a retry in flight joins the
   * first send), answered within DEVICE_ANSWER_MAX_MS. Refused, with nothing sent, for equipment
   * that takes no commands. Never rejects.
   */
  command(cmd: DeviceCommand): Promise<DeviceCommandResult> {
    return this.devices.send(cmd);
  }

  /** Every source's health (`GET /api/sources`). */
  health(): SourceHealth[] {
    return this.stats.map((s) => ({
      id: s.id,
      kind: s.kind,
      status: s.status,
      messagesPerS: s.messagesPerS,
      lastMessageAt: s.lastMessageAt,
      errors: s.errors,
      lastError: s.lastError,
      stale: this.world.equipment
        .filter((e) => this.sourceOf[e.index] === s.index && this.isStale(e.index))
        .map((e) => e.id),
      skewMs: s.skewMs,
      ...(s.kind === 'vda5050' ? { headerIdGaps: s.headerIdGaps } : {}),
    }));
  }

  /** Whether every mapped value of fed equipment is stale or never arrived. */
  private isStale(eq: number): boolean {
    const sigs = this.mappedSigs[eq];
    for (const k of sigs)
      if (this.live.quality[this.live.slot(eq, k)] !== Q.stale && this.live.rxMs[this.live.slot(eq, k)] > 0)
        return false;
    return this.live.stateRxMs[eq] === 0 || this.live.stateQuality[eq] === Q.stale;
  }
}

/**
 * Any equipment now: received values with their quality and times, or simulated ones (quality
 * good, stamped with the simulation's wall time `simWallMs`, and the sim time).
 */
export function equipmentDetail(
  world: World,
  eq: number,
  simWallMs: number,
  ingest: Ingest | null,
): EquipmentDetail {
  const e = world.equipment[eq];
  const defs = signalsOf(e.kind);
  const feed = ingest ? ingest.feed[eq] : FEED.simulated;
  const values: EquipmentDetail['values'] = {};
  // The same quality its frames' data mark carries (set by the overlay each tick).
  const quality: Quality = ingest ? qualityName(e.mark & MARK_QUALITY_MASK) : 'good';
  let srcTs: number | null = null;
  let rxTs: number | null = null;
  if (feed === FEED.simulated || !ingest) {
    for (let k = 0; k < defs.length; k++)
      values[defs[k].key] = { value: e.signals[k], quality: 'good', sourceTimestamp: simWallMs };
    srcTs = rxTs = simWallMs;
  } else {
    const live = ingest.live;
    for (let k = 0; k < defs.length && k < MAX_SIGNALS; k++) {
      const slot = live.slot(eq, k);
      const received = feed === FEED.external && live.rxMs[slot] > 0;
      // Unmapped signals are bad, always: they are not measured.
      const q: Quality = received ? qualityName(live.quality[slot]) : 'bad';
      values[defs[k].key] = {
        value: e.signals[k],
        quality: q,
        sourceTimestamp: received ? live.srcMs[slot] : 0,
      };
      if (received) {
        srcTs = Math.max(srcTs ?? 0, live.srcMs[slot]);
        rxTs = Math.max(rxTs ?? 0, live.rxMs[slot]);
      }
    }
    if (live.stateRxMs[eq] > 0) {
      srcTs = Math.max(srcTs ?? 0, live.stateSrcMs[eq]);
      rxTs = Math.max(rxTs ?? 0, live.stateRxMs[eq]);
    }
  }
  const source =
    feed === FEED.simulated
      ? 'simulation'
      : feed === FEED.external && ingest
        ? ingest.stats[ingest.sourceOf[eq]].id
        : null;
  const out: EquipmentDetail = {
    id: e.id,
    kind: e.kind,
    state: MACHINE_STATES[e.state] ?? 'offline',
    source,
    quality,
    sourceTimestamp: srcTs,
    receivedAt: rxTs,
    values,
  };
  if (feed === FEED.simulated) out.simTimeS = world.simTimeS;
  if (e.pose) out.pose = [e.pose[0], e.pose[1], e.pose[2], e.pose[3]];
  return out;
}
