import { MARK_STAND_IN, STATE_CODE } from '../../protocol';
import type { StepOverlay } from '../session/plantSession';
import type { PlantEventDraft, World } from '../sim/types';
import { type LiveValues, Q } from './liveValues';

/** How a piece of equipment is fed. */
export const FEED = { simulated: 0, external: 1, offline: 2 } as const;

const OFFLINE = STATE_CODE.offline;
const RUNNING = STATE_CODE.running;

/** Rank of each quality code (Q order good, uncertain, bad, stale) from best to worst: bad is worst. */
const RANK = Uint8Array.of(0, 1, 3, 2);
const rankOf = (q: number) => (q < RANK.length ? RANK[q] : 3);

/**
 * The worst quality (Q code) of what a source maps of one piece of equipment: its mapped values
 * and, when mapped, its state; a mapped value or state never received counts as bad. This is its
 * data mark's quality and its `quality` in `GET /api/equipment/:id`. No allocation.
 */
export function fedQuality(live: LiveValues, eq: number, sigs: readonly number[]): number {
  let worst: number = Q.good;
  for (let k = 0; k < sigs.length; k++) {
    const slot = live.slot(eq, sigs[k]);
    const q = live.rxMs[slot] > 0 ? live.quality[slot] : Q.bad;
    if (rankOf(q) > rankOf(worst)) worst = q;
  }
  if (live.stateStaleAfterMs[eq] > 0) {
    const q = live.stateRxMs[eq] > 0 ? live.stateQuality[eq] : Q.bad;
    if (rankOf(q) > rankOf(worst)) worst = q;
  }
  return rankOf(worst) === 3 ? Q.bad : worst;
}

/**
 * Keeps the simulation's hands off equipment that a source feeds (or that is unmapped and shown
 * offline). Chosen over an `external` flag in every step function: the per-kind steps are many and
 * coupled (line flow between conveyors and arms, AGV traffic, the power grid), so a flag would
 * touch each of them and their determinism; instead the simulation runs unchanged and, after every
 * step, this puts the received values (state, signals, pose) back and drops the step's plant
 * events about that equipment. Alarm rules, KPIs, frames and recordings then see only received
 * values, at the cost of the simulation still computing that equipment (CPU only).
 *
 * A fed machine shows its received state; without a mapped state it shows running while any of its
 * values is fresh. With every mapped value stale (or none yet) it shows offline: lost data are
 * never shown as live. Signals no source maps keep the value they had when ingest started, with
 * quality bad.
 *
 * It also sets every equipment's data mark (the frames carry it): fed equipment the worst quality
 * of what its source maps (fedQuality), unmapped equipment shown offline bad, and a simulated
 * stand-in (`unmapped: simulate`) MARK_STAND_IN with quality good.
 */
export class ExternalOverlay implements StepOverlay {
  /** Ids of the equipment the simulation must not speak for. */
  private readonly owned = new Set<string>();
  /** Signal values and poses frozen at start (kept for unmapped signals and offline equipment). */
  private readonly frozen: Float64Array[];
  private readonly frozenPose: (Float64Array | null)[];
  private readonly list: Int32Array;
  /**
   * What `restore` writes, worked out once a tick by `refresh` (received values change only when
   * the ingest drains, at the start of a tick): per equipment its data mark; per owned equipment
   * its signals (frozen, with the received ones over them), pose and state. The simulation step
   * overwrites owned equipment every step, so the cheap part runs after each step and the
   * quality and freshness checks once a tick (at 10,000 machines this halves the tick's overlay).
   */
  private readonly marks: Uint8Array;
  private readonly target: Float64Array[];
  private readonly targetPose: (Float64Array | null)[];
  private readonly targetState: Uint8Array;

  constructor(
    world: World,
    private readonly feed: Uint8Array,
    private readonly live: LiveValues,
    /** Per equipment, the signal indexes a source maps. */
    private readonly mappedSigs: readonly (readonly number[])[],
  ) {
    const list: number[] = [];
    this.frozen = world.equipment.map((e) => e.signals.slice());
    this.frozenPose = world.equipment.map((e) => e.pose?.slice() ?? null);
    this.target = this.frozen.map((f) => f.slice());
    this.targetPose = this.frozenPose.map((p) => p?.slice() ?? null);
    this.marks = new Uint8Array(world.equipment.length);
    this.targetState = new Uint8Array(world.equipment.length);
    for (const e of world.equipment)
      if (feed[e.index] !== FEED.simulated) {
        this.owned.add(e.id);
        list.push(e.index);
      }
    this.list = Int32Array.from(list);
    this.apply(world);
  }

  /** Whether the simulation must not speak for this equipment (fed by a source, or offline). */
  owns(equipmentId: string): boolean {
    return this.owned.has(equipmentId);
  }

  afterStep(world: World, drafts: PlantEventDraft[]): PlantEventDraft[] {
    this.restore(world);
    if (drafts.length === 0) return drafts;
    return drafts.filter((d) => d.equipmentId === undefined || !this.owned.has(d.equipmentId));
  }

  /**
   * Works out from the received values, then writes into the world, the state, signals and pose
   * of the owned equipment and every equipment's data mark. Call it after the received values
   * changed (the ingest's drain); after a simulation step `restore` suffices.
   */
  apply(world: World): void {
    this.refresh();
    this.restore(world);
  }

  /** The marks and owned equipment's state, signals and pose from the received values now. */
  private refresh(): void {
    const { live, feed, marks } = this;
    for (let i = 0; i < marks.length; i++) {
      const f = feed[i];
      marks[i] =
        f === FEED.simulated
          ? MARK_STAND_IN | Q.good
          : f === FEED.offline
            ? Q.bad
            : fedQuality(live, i, this.mappedSigs[i]);
    }
    for (let i = 0; i < this.list.length; i++) {
      const eq = this.list[i];
      if (feed[eq] === FEED.offline) {
        this.targetState[eq] = OFFLINE;
        continue;
      }
      const signals = this.target[eq];
      let fresh = false;
      const sigs = this.mappedSigs[eq];
      for (let k = 0; k < sigs.length; k++) {
        const slot = live.slot(eq, sigs[k]);
        if (live.rxMs[slot] === 0) continue;
        signals[sigs[k]] = live.value[slot];
        if (live.quality[slot] !== Q.stale) fresh = true;
      }
      const pose = this.targetPose[eq];
      if (pose && live.poseRxMs[eq] > 0) {
        pose[0] = live.poseX[eq];
        pose[2] = live.poseZ[eq];
        pose[3] = live.poseYaw[eq];
      }
      const hasState = live.state[eq] !== 255;
      this.targetState[eq] =
        hasState && live.stateQuality[eq] !== Q.stale
          ? live.state[eq]
          : fresh && live.stateStaleAfterMs[eq] === 0
            ? RUNNING
            : OFFLINE;
    }
  }

  /** Writes what `refresh` worked out into the world (after every step: cheap, no checks). */
  private restore(world: World): void {
    const all = world.equipment;
    const { marks } = this;
    // Every equipment, every time: cheap (one byte each), and a world rebuilt elsewhere starts at 0.
    for (let i = 0; i < all.length; i++) all[i].mark = marks[i];
    for (let i = 0; i < this.list.length; i++) {
      const eq = this.list[i];
      const e = all[eq];
      e.signals.set(this.target[eq]);
      const pose = this.targetPose[eq];
      if (pose && e.pose) e.pose.set(pose);
      e.state = this.targetState[eq];
    }
  }
}
