import type { Logger } from 'pino';
import { type Layout, type ScenarioStep, TICK_HZ } from '../../protocol';
import { type Loop, startLoop } from '../loop';
import { PlantSession } from '../session/plantSession';
import type { SimCommand } from '../sim';
import type { SimWorld } from '../sim/state';
import { OpcuaPlantServer } from './opcuaServer';
import { PROTOCOL_OF, sparkplugNodeOf } from './protocolSplit';
import { SparkplugEdge } from './sparkplugEdge';
import { UnsPublisher } from './unsPublisher';
import { VdaAgv } from './vdaAgvs';

/** How the virtual plant runs. */
export interface VirtualPlantConfig {
  layout: Layout;
  broker: string;
  /** 0: no OPC UA server. */
  opcuaPort: number;
  opcuaHost: string;
  pki: string;
  seed: number;
  speed: number;
  /** Scripted faults (--faults), applied at their simulation times. */
  faults: ScenarioStep[];
  logger: Logger;
}

/** A running virtual plant. */
export interface RunningPlant {
  session: PlantSession;
  /** The OPC UA endpoint, or null without one. */
  opcuaEndpoint: string | null;
  counts: { sparkplugNodes: number; sparkplugDevices: number; agvs: number; opcua: number; uns: number };
  /** Clean exit: deaths and OFFLINE messages published, connections closed, loop stopped. */
  stop(): Promise<void>;
}

/**
 * The simulated plant as an external plant: a PlantSession stepped at 10 Hz like the twin's own,
 * and after every tick each protocol publishes what changed. Commands that arrive over the
 * protocols are applied to the session between ticks (session.command), as the twin applies an
 * operator's.
 */
export async function startVirtualPlant(cfg: VirtualPlantConfig): Promise<RunningPlant> {
  const { layout, logger } = cfg;
  const session = new PlantSession(layout, {
    seed: cfg.seed,
    speed: cfg.speed,
    // The twin runs the alarms; the plant only reports.
    alarms: null,
    // Scripted faults go through the training scenario timeline; the plant's own faults run too.
    ...(cfg.faults.length ? { scenario: { timeline: cfg.faults, randomFaults: true } } : {}),
  });
  const world = session.world as SimWorld;
  const command = (cmd: SimCommand) => session.command(cmd);
  const specs = new Map(layout.equipment.map((e) => [e.id, e]));
  const byProtocol = (p: string) => world.equipment.filter((e) => PROTOCOL_OF[e.kind] === p);

  const nodes = new Map<string, typeof world.equipment>();
  for (const e of byProtocol('sparkplug')) {
    const node = sparkplugNodeOf(layout, e.id);
    nodes.set(node, [...(nodes.get(node) ?? []), e]);
  }
  const edges = [...nodes].map(
    ([node, eqs]) => new SparkplugEdge(cfg.broker, node, eqs, { command, logger }),
  );
  const agvs = byProtocol('vda5050').map(
    (e) => new VdaAgv(cfg.broker, e.index, e.id, { world, command, logger }),
  );
  const unsEq = byProtocol('mqtt-json').map((eq) => ({
    eq,
    spec: specs.get(eq.id) as (typeof layout.equipment)[number],
  }));
  const uns = new UnsPublisher(cfg.broker, unsEq, logger);
  const uaEq = byProtocol('opcua');
  const opcua =
    cfg.opcuaPort > 0 && uaEq.length
      ? new OpcuaPlantServer(uaEq, cfg.opcuaPort, cfg.opcuaHost, cfg.pki)
      : null;
  let opcuaEndpoint: string | null = null;
  try {
    opcuaEndpoint = opcua ? await opcua.start() : null;
  } catch (err) {
    throw new Error(
      `OPC UA server on port ${cfg.opcuaPort}: ${(err as Error).message} (--opcua-port N, 0 for none)`,
    );
  }

  for (const e of edges) e.start();
  for (const a of agvs) a.start();
  uns.start();

  const loop: Loop = startLoop(TICK_HZ, (elapsedS, wallMs) => {
    const out = session.advance(elapsedS, wallMs);
    for (const s of out.scenarioSteps ?? [])
      logger.info({ atS: s.step.atS, ok: s.ok, result: s.message }, 'scripted fault');
    for (const e of edges) e.tick(wallMs);
    for (const a of agvs) a.tick(wallMs);
    uns.tick(wallMs);
    opcua?.tick(wallMs);
  });

  return {
    session,
    opcuaEndpoint,
    counts: {
      sparkplugNodes: edges.length,
      sparkplugDevices: byProtocol('sparkplug').length,
      agvs: agvs.length,
      opcua: opcua ? uaEq.length : 0,
      uns: unsEq.length,
    },
    async stop() {
      loop.stop();
      await Promise.all([
        ...edges.map((e) => e.stop()),
        ...agvs.map((a) => a.stop()),
        uns.stop(),
        opcua?.stop(),
      ]);
    },
  };
}
