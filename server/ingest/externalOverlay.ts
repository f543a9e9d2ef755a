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
    this.apply(world);
    if (drafts.length === 0) return drafts;
    return drafts.filter((d) => d.equipmentId === undefined || !this.owned.has(d.equipmentId));
  }

  /**
   * Writes the received (or frozen) state, signals and pose of the owned equipment into the world,
   * and every equipment's data mark.
   */
  apply(world: World): void {
    const { live, feed } = this;
    // Every equipment, every time: cheap (one byte each), and a world rebuilt elsewhere starts at 0.
    const all = world.equipment;
    for (let i = 0; i < all.length; i++) {
      const f = feed[i];
      all[i].mark =
        f === FEED.simulated
          ? MARK_STAND_IN | Q.good
          : f === FEED.offline
            ? Q.bad
            : fedQuality(live, i, this.mappedSigs[i]);
    }
    for (let i = 0; i < this.list.length; i++) {
      const eq = this.list[i];
      const e = world.equipment[eq];
      const frozen = this.frozen[eq];
      e.signals.set(frozen);
      const pose = this.frozenPose[eq];
      if (pose && e.pose) e.pose.set(pose);
      if (feed[eq] === FEED.offline) {
        e.state = OFFLINE;
        continue;
      }
      let fresh = false;
      const sigs = this.mappedSigs[eq];
      for (let k = 0; k < sigs.length; k++) {
        const slot = live.slot(eq, sigs[k]);
        if (live.rxMs[slot] === 0) continue;
        e.signals[sigs[k]] = live.value[slot];
        if (live.quality[slot] !== Q.stale) fresh = true;
      }
      if (e.pose && live.poseRxMs[eq] > 0) {
        e.pose[0] = live.poseX[eq];
        e.pose[2] = live.poseZ[eq];
        e.pose[3] = live.poseYaw[eq];
      }
      const hasState = live.state[eq] !== 255;
      if (hasState && live.stateQuality[eq] !== Q.stale) e.state = live.state[eq];
      else e.state = fresh && live.stateStaleAfterMs[eq] === 0 ? RUNNING : OFFLINE;
    }
  }
}
