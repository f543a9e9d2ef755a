import { Document, isMap, isPair, isScalar, isSeq, visit } from 'yaml';
import { commandsFor, type EquipmentSpec, type Layout, MACHINE_COMMANDS, signalsOf } from '../../protocol';
import {
  CONTROL_METRICS,
  metricOf,
  OPCUA_DEFAULT_PORT,
  opcuaNodeId,
  PROTOCOL_OF,
  SPARKPLUG_GROUP,
  SPARKPLUG_HOST_ID,
  STATE_MAP,
  STATE_METRIC,
  sparkplugNodeOf,
  unsTopic,
  VDA_INTERFACE,
  VDA_MAJOR,
  VDA_MANUFACTURER,
  VDA_MAP,
} from './protocolSplit';

/** Where the sources file points the twin. */
export interface SourcesTarget {
  /** mqtt://host:port of the broker the virtual plant publishes to. */
  broker: string;
  /** opc.tcp://host:port of its OPC UA server, or null when it runs none. */
  opcuaEndpoint: string | null;
}

export const DEFAULT_TARGET: SourcesTarget = {
  broker: 'mqtt://127.0.0.1:1883',
  opcuaEndpoint: `opc.tcp://127.0.0.1:${OPCUA_DEFAULT_PORT}`,
};

const of = (layout: Layout, p: string) => layout.equipment.filter((e) => PROTOCOL_OF[e.kind] === p);

/** Machine commands the equipment takes (robot arms and conveyors), as DCMD metrics. */
function commandMetricsOf(e: EquipmentSpec): Record<string, string> | undefined {
  const offered = commandsFor(e.kind);
  const cmds = MACHINE_COMMANDS.filter((c) => offered.includes(c));
  return cmds.length ? Object.fromEntries(cmds.map((c) => [c, CONTROL_METRICS[c]])) : undefined;
}

/**
 * The sources file that reads the virtual plant of `layout` back into the twin: every piece of
 * equipment once, every signal the virtual plant publishes, commands on for what takes them.
 * (assets/sources/virtual-plant.yaml is this for the built-in plant; `--print-sources` prints it
 * for any plant file.)
 */
export function sourcesFor(layout: Layout, target: SourcesTarget = DEFAULT_TARGET): Record<string, unknown> {
  const sources: Record<string, unknown>[] = [];
  const sp = of(layout, 'sparkplug');
  if (sp.length)
    sources.push({
      id: 'lines',
      kind: 'sparkplug',
      broker: target.broker,
      hostId: SPARKPLUG_HOST_ID,
      commands: true,
      devices: sp.map((e) => {
        const cmds = commandMetricsOf(e);
        return {
          equipment: e.id,
          group: SPARKPLUG_GROUP,
          node: sparkplugNodeOf(layout, e.id),
          device: e.id,
          metrics: Object.fromEntries(signalsOf(e.kind).map((s) => [s.key, metricOf(s.key)])),
          state: { metric: STATE_METRIC, map: STATE_MAP },
          ...(cmds ? { commandMetrics: cmds } : { commands: false }),
        };
      }),
    });
  const agvs = of(layout, 'vda5050');
  if (agvs.length)
    sources.push({
      id: 'agvs',
      kind: 'vda5050',
      broker: target.broker,
      interfaceName: VDA_INTERFACE,
      majorVersion: VDA_MAJOR,
      commands: true,
      agvs: agvs.map((e) => ({
        equipment: e.id,
        manufacturer: VDA_MANUFACTURER,
        serialNumber: e.id,
        map: { mapId: VDA_MAP.mapId, origin: [...VDA_MAP.origin], rotationDeg: VDA_MAP.rotationDeg },
      })),
    });
  const ua = of(layout, 'opcua');
  if (ua.length && target.opcuaEndpoint)
    sources.push({
      id: 'infrastructure',
      kind: 'opcua',
      endpoint: target.opcuaEndpoint,
      securityMode: 'None',
      items: ua.map((e) => ({
        equipment: e.id,
        signals: Object.fromEntries(signalsOf(e.kind).map((s) => [s.key, opcuaNodeId(e.id, s.key)])),
        state: { node: opcuaNodeId(e.id, 'State'), map: STATE_MAP },
        samplingIntervalMs: 500,
      })),
    });
  const uns = of(layout, 'mqtt-json');
  if (uns.length)
    sources.push({
      id: 'uns',
      kind: 'mqtt-json',
      broker: target.broker,
      topics: uns.map((e) => ({
        topic: unsTopic(e.zone, e.id),
        equipment: e.id,
        fields: {
          ...Object.fromEntries(signalsOf(e.kind).map((s) => [s.key, `$.telemetry.${s.key}`])),
          state: '$.status',
        },
        timestamp: '$.ts',
        stateMap: STATE_MAP,
      })),
    });
  return { sources, unmapped: 'offline' };
}

const FLOW_KEYS = new Set([
  'metrics',
  'map',
  'signals',
  'fields',
  'stateMap',
  'origin',
  'commandMetrics',
  'state',
]);

/** The sources file as YAML, with a header saying what it is for. */
export function sourcesYaml(layout: Layout, target: SourcesTarget = DEFAULT_TARGET): string {
  const header = [
    '# Sources file of the virtual plant (`npm run virtual-plant`): the twin reads the simulated plant',
    '# back over real protocols. Start both with: npm run demo:connected (see README, "Virtual plant").',
    '# Another broker or OPC UA host: change `broker` and `endpoint` below.',
    '# OPC UA uses securityMode None for this local demo only (the virtual plant also offers',
    '# SignAndEncrypt); a real plant keeps the default SignAndEncrypt.',
  ];
  const doc = new Document(sourcesFor(layout, target), { aliasDuplicateObjects: false });
  // Small maps on one line each, so the file reads as one entry per machine.
  visit(doc, {
    Pair(_, pair) {
      if (isPair(pair) && isScalar(pair.key) && FLOW_KEYS.has(String(pair.key.value)))
        if (isMap(pair.value) || isSeq(pair.value)) pair.value.flow = true;
    },
  });
  return `${header.join('\n')}\n${doc.toString({ lineWidth: 0 })}`;
}
