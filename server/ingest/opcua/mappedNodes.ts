import type { NodeId } from 'node-opcua';
import type { MachineState, OpcuaSource, SignalDef } from '../../../protocol';
import { STATE_SIG } from '../ingestSink';
import type { PlantIndex } from '../mqttJsonAdapter';
import { type NsuNodeId, parseNsuNodeId } from './nodeIds';

/** One monitored node: which equipment and signal (or its state) it feeds. */
export interface MappedNode {
  node: NsuNodeId;
  eq: number;
  equipment: string;
  /** Signal index, or STATE_SIG. */
  sig: number;
  def: SignalDef | null;
  stateMap: Record<string, MachineState> | null;
  samplingMs: number;
  queueSize: number;
  /** The last value applied (NaN: none yet), kept when a Bad status brings none. */
  last: number;
  /** Resolved against the server's NamespaceArray; null when unknown there. */
  nodeId: NodeId | null;
}

/** One equipment entry of the file. */
export interface Item {
  eq: number;
  stateMapped: boolean;
  actions: NonNullable<OpcuaSource['items'][number]['actions']>;
}

/** The nodes to monitor, the entries by equipment id and the equipment indices of a source. */
export function mapItems(
  source: OpcuaSource,
  plant: PlantIndex,
): { nodes: MappedNode[]; items: Map<string, Item>; equipment: number[] } {
  const nodes: MappedNode[] = [];
  const items = new Map<string, Item>();
  const equipment: number[] = [];
  for (const it of source.items) {
    const eq = plant.indexOf(it.equipment);
    const defs = plant.signalsOf(it.equipment);
    equipment.push(eq);
    items.set(it.equipment, { eq, stateMapped: !!it.state, actions: it.actions ?? {} });
    const add = (text: string, sig: number, stateMap: Record<string, MachineState> | null) => {
      const p = parseNsuNodeId(text);
      if (!p.ok) return; // refused at start (adapterFor)
      nodes.push({
        node: p.node,
        eq,
        equipment: it.equipment,
        sig,
        def: sig >= 0 ? defs[sig] : null,
        stateMap,
        samplingMs: it.samplingIntervalMs,
        queueSize: it.queueSize,
        last: Number.NaN,
        nodeId: null,
      });
    };
    for (const [name, text] of Object.entries(it.signals)) {
      const sig = defs.findIndex((d) => d.key === name);
      if (sig >= 0) add(text, sig, null); // an unknown signal was refused when the file was loaded
    }
    if (it.state) add(it.state.node, STATE_SIG, it.state.map);
  }
  return { nodes, items, equipment };
}
