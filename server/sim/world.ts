import { type Layout, MOBILE_KINDS, STATE_CODE, signalsOf } from '../../protocol';
import type { AgvFleet, AgvRuntime, DockRuntime, RackRuntime } from './agvFleet';
import { MODE } from './agvFleet';
import { createCells } from './cells';
import type { ConveyorRuntime, FeederRuntime, LineRuntime } from './conveyorLine';
import { BUCKETS } from './conveyorLine';
import { createDrones } from './droneSetup';
import type { EdgeServerRuntime } from './edgeServer';
import { createFaults } from './faults';
import { buildGraph } from './pathGraph';
import { createPower } from './power';
import { Rng } from './rng';
import { type ArmRuntime, createArm } from './robotArm';
import { motionFor } from './robotMotions';
import { AGV, CONV, FEEDER, MEC, RACK } from './slots';
import { lagsFor, type SimWorld, type WorldOptions } from './state';
import type { World } from './types';
import { createVision, type VisionRuntime } from './vision';

const DEG = Math.PI / 180;

/**
 * Builds the live world of a validated layout. Equipment index i is layout.equipment[i]; mobile
 * kinds get a pose [x, y, z, yaw]; signals follow the catalog order. All initial variation (feeder
 * levels, batteries, rack stock) comes from the seeded RNG, so the same seed gives the same world.
 */
export function createWorld(layout: Layout, seed: number, options: WorldOptions = {}): World {
  const rng = new Rng(seed);
  const specs = layout.equipment;
  const n = specs.length;
  const equipment = specs.map((e, index) => ({
    index,
    id: e.id,
    kind: e.kind,
    state: STATE_CODE.idle as number,
    pose: MOBILE_KINDS.has(e.kind)
      ? Float64Array.of(e.position[0], e.position[1], e.position[2], e.rotation * DEG)
      : null,
    signals: new Float64Array(signalsOf(e.kind).length),
    mark: 0,
  }));
  const indexById = new Map(specs.map((e, i) => [e.id, i]));
  const graph = buildGraph(layout.paths);
  const nodeOf = (id: string | undefined) => (id === undefined ? -1 : (graph.index.get(id) ?? -1));

  const arms: ArmRuntime[] = [];
  const armOf = new Int32Array(n).fill(-1);
  const feeders: FeederRuntime[] = [];
  const feederOf = new Map<number, FeederRuntime>();
  const visionOf = new Map<number, VisionRuntime>();
  const conveyorOf = new Map<number, ConveyorRuntime>();
  const racks: RackRuntime[] = [];
  const docks: DockRuntime[] = [];
  const agvs: AgvRuntime[] = [];
  const edgeServers: EdgeServerRuntime[] = [];
  const holder = new Int32Array(graph.ids.length).fill(-1);
  specs.forEach((e, i) => {
    const sig = equipment[i].signals;
    if (e.kind === 'robot-arm') {
      armOf[i] = arms.length;
      arms.push(createArm(i, motionFor(e.props.task), e.props.cycleS, sig));
    } else if (e.kind === 'conveyor') {
      conveyorOf.set(i, { eq: i, nominal: e.props.beltSpeed, pitch: e.props.pitch, speed: 0, carried: 0 });
      sig[CONV.motorTemp] = 24 + 3.2 * (1.2 + 14 * e.props.beltSpeed);
    } else if (e.kind === 'vision-station') {
      visionOf.set(i, createVision(i, e.props.defectRate, rng, sig));
    } else if (e.kind === 'feeder') {
      const f: FeederRuntime = { eq: i, node: nodeOf(e.props.node), claimedBy: -1 };
      feeders.push(f);
      feederOf.set(i, f);
      sig[FEEDER.level] = rng.range(50, 95);
    } else if (e.kind === 'rack') {
      const node = nodeOf(e.props.node);
      racks.push({
        eq: i,
        node,
        comp: node >= 0 ? graph.comp[node] : -1,
        capacity: e.props.capacity,
        claimedBy: -1,
        restockAtS: 0,
      });
      sig[RACK.stock] = Math.min(e.props.capacity, 8 + rng.int(15));
    } else if (e.kind === 'charging-dock' && e.props.for === 'agv') {
      const node = nodeOf(e.props.node);
      if (node >= 0) docks.push({ eq: i, node, comp: graph.comp[node], claimedBy: -1 });
    } else if (e.kind === 'agv') {
      const home = nodeOf(e.props.home);
      const slot = agvs.length;
      const pose = equipment[i].pose!;
      if (home >= 0) {
        pose[0] = graph.x[home];
        pose[2] = graph.z[home];
        holder[home] = slot;
      }
      agvs.push(
        newAgv(
          i,
          slot,
          home,
          home >= 0 ? graph.comp[home] : -1,
          e.props.maxSpeed,
          e.props.capacityKg,
          graph.ids.length,
        ),
      );
      sig[AGV.battery] = rng.range(30, 95);
    } else if (e.kind === 'edge-server') {
      edgeServers.push({ eq: i, visionEq: new Int32Array(0), droneEq: new Int32Array(0), gpuLoad: 0 });
      sig[MEC.temp] = 24;
    }
  });

  const lines: LineRuntime[] = layout.lines.map((spec, slot) => {
    const flow = Int32Array.from(spec.flow.map((id) => indexById.get(id) ?? -1).filter((i) => i >= 0));
    const conveyors: ConveyorRuntime[] = [];
    let feeder: FeederRuntime | null = null;
    let vision: VisionRuntime | null = null;
    for (const i of flow) {
      if (armOf[i] >= 0) arms[armOf[i]].line = slot;
      const c = conveyorOf.get(i);
      if (c) {
        conveyors.push(c);
        conveyorOf.delete(i);
      }
      // The first feeder supplies the line; the last vision station is its quality gate.
      feeder ??= feederOf.get(i) ?? null;
      vision = visionOf.get(i) ?? vision;
    }
    return {
      id: spec.id,
      name: spec.name,
      targetPerHour: spec.targetPerHour,
      flow,
      feeder,
      conveyors,
      vision,
      running: false,
      starved: false,
      unitAcc: 0,
      runTimeS: 0,
      plannedS: 0,
      total: 0,
      good: 0,
      buckets: new Float64Array(BUCKETS),
      bucketIdx: 0,
      bucketT: 0,
      bucketsFull: 0,
    };
  });

  const fleet: AgvFleet = {
    agvs,
    racks,
    docks,
    feeders,
    holder,
    rackCost: new Float64Array(racks.length),
    byComp: groupByComponent(graph.comp, agvs, racks, docks),
  };
  const partial = {
    layout,
    seed,
    tick: 0,
    simTimeS: 0,
    equipment,
    rng,
    options: { faults: options.faults ?? true },
    indexById,
    faulted: new Uint8Array(n),
    maint: new Uint8Array(n),
    offline: new Uint8Array(n),
    held: new Uint8Array(n),
    recalibrations: [],
    lines,
    looseConveyors: [...conveyorOf.values()],
    arms,
    armOf,
    graph,
    fleet,
    edgeServers,
    lags: lagsFor(0.1),
    events: [],
  };
  const w = partial as unknown as SimWorld;
  const mut = w as { -readonly [K in keyof SimWorld]: SimWorld[K] };
  mut.drones = createDrones(w, rng);
  mut.cells = createCells(w);
  mut.power = createPower(layout);
  assignEdgeServers(w, [...visionOf.values()]);
  mut.faults = createFaults(w);
  for (let i = 0; i < n; i++) if (w.maint[i]) equipment[i].state = STATE_CODE.maintenance;
  return w;
}

function newAgv(
  eq: number,
  slot: number,
  home: number,
  comp: number,
  maxSpeed: number,
  capacityKg: number,
  nodes: number,
): AgvRuntime {
  return {
    eq,
    slot,
    home,
    comp,
    maxSpeed,
    capacityKg,
    route: new Int32Array(Math.max(2, nodes)),
    routeLen: 0,
    seg: 0,
    s: 0,
    segLen: 0,
    passSpeed: 0,
    tail: 0,
    node: home,
    moving: false,
    speed: 0,
    mode: MODE.parked,
    target: -1,
    waitS: 0,
    retryS: 0,
    timerS: 0,
    rack: -1,
    feeder: -1,
    dock: -1,
    payload: 0,
    lowWarned: false,
    paused: false,
    goal: -1,
  };
}

function groupByComponent(
  comp: Int32Array,
  agvs: AgvRuntime[],
  racks: RackRuntime[],
  docks: DockRuntime[],
): AgvFleet['byComp'] {
  let count = 0;
  for (let i = 0; i < comp.length; i++) count = Math.max(count, comp[i] + 1);
  const groups = Array.from({ length: count }, () => ({
    agvs: [] as number[],
    racks: [] as number[],
    docks: [] as number[],
  }));
  agvs.forEach((a, i) => {
    if (a.comp >= 0) groups[a.comp].agvs.push(i);
  });
  racks.forEach((r, i) => {
    if (r.comp >= 0) groups[r.comp].racks.push(i);
  });
  docks.forEach((d, i) => {
    groups[d.comp].docks.push(i);
  });
  return groups;
}

/** Each vision station and drone is served by the nearest edge server (floor distance). */
function assignEdgeServers(w: SimWorld, visions: VisionRuntime[]): void {
  if (w.edgeServers.length === 0) return;
  const specs = w.layout.equipment;
  const nearest = (i: number) => {
    const p = specs[i].position;
    let best = 0;
    let bestD = Number.POSITIVE_INFINITY;
    w.edgeServers.forEach((m, k) => {
      const q = specs[m.eq].position;
      const d = Math.hypot(p[0] - q[0], p[2] - q[2]);
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    });
    return best;
  };
  const vis: number[][] = w.edgeServers.map(() => []);
  const drones: number[][] = w.edgeServers.map(() => []);
  for (const v of visions) {
    v.mec = nearest(v.eq);
    vis[v.mec].push(v.eq);
  }
  for (const d of w.drones) drones[nearest(d.padEq)].push(d.eq);
  w.edgeServers.forEach((m, k) => {
    const mut = m as { visionEq: Int32Array; droneEq: Int32Array };
    mut.visionEq = Int32Array.from(vis[k]);
    mut.droneEq = Int32Array.from(drones[k]);
  });
}
