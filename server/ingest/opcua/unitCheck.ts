import type { ClientSession, NodeId } from 'node-opcua';
import type { MappedNode } from './mappedNodes';
import type { Ua } from './opcuaAdapter';
import { type EngineeringUnits, rangeMismatch, unitMismatch } from './units';

/** OPC UA AttributeIds.Value. */
const ATTR_VALUE = 13;

/**
 * Reads the EngineeringUnits and EURange properties (OPC UA Part 8, AnalogItemType) of the mapped
 * variables in two requests and returns a warning per node whose unit is not its signal's, or
 * whose range lies outside the signal's. Nodes without these properties are not checked.
 */
export async function checkUnits(ua: Ua, session: ClientSession, nodes: MappedNode[]): Promise<string[]> {
  const withDef = nodes.filter((m) => m.nodeId && m.def);
  if (!withDef.length) return [];
  const paths = withDef.flatMap((m) => [
    ua.makeBrowsePath(m.nodeId as NodeId, '.EngineeringUnits'),
    ua.makeBrowsePath(m.nodeId as NodeId, '.EURange'),
  ]);
  const found = await session.translateBrowsePath(paths);
  const reads: { at: number; nodeId: NodeId }[] = [];
  found.forEach((r, at) => {
    const target = r.statusCode.isGood() ? r.targets?.[0]?.targetId : undefined;
    if (target) reads.push({ at, nodeId: target as NodeId });
  });
  if (!reads.length) return [];
  const values = await session.read(reads.map((r) => ({ nodeId: r.nodeId, attributeId: ATTR_VALUE })));
  const warnings: string[] = [];
  values.forEach((dv, i) => {
    if (!dv.statusCode.isGood()) return;
    const at = reads[i].at;
    const m = withDef[at >> 1];
    const def = m.def;
    if (!def) return;
    const v = dv.value.value as Record<string, unknown> | null;
    if (!v || typeof v !== 'object') return;
    const w =
      at % 2 === 0
        ? unitMismatch(m.node.text, def, euOf(v))
        : rangeMismatch(m.node.text, def, Number(v.low), Number(v.high));
    if (w) warnings.push(w);
  });
  return warnings;
}

/** The EUInformation fields we compare, from node-opcua's decoded structure. */
function euOf(v: Record<string, unknown>): EngineeringUnits {
  const text = (x: unknown) =>
    x && typeof x === 'object' && typeof (x as { text?: unknown }).text === 'string'
      ? (x as { text: string }).text
      : '';
  return {
    unitId: typeof v.unitId === 'number' ? v.unitId : -1,
    displayName: text(v.displayName),
    description: text(v.description),
  };
}
