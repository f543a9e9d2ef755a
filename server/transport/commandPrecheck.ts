import { commandsFor, type EquipmentCommand, type Layout } from '../../protocol';

/**
 * Whether a command could be carried out on this plant at all, before a confirmation is issued
 * for it (asking someone to confirm a command that cannot exist would waste the deliberate click):
 * the target exists, the action is one of its kind's, and a go-to node is on the path graph.
 * State-dependent refusals (faulted, already flying) are the simulation's to give on execution.
 */
export function precheck(
  layout: Layout,
  c: EquipmentCommand,
): { ok: true } | { ok: false; code: 'NOT_FOUND' | 'INVALID'; message: string } {
  const eq = layout.equipment.find((e) => e.id === c.equipmentId);
  const line = eq ? undefined : layout.lines.find((l) => l.id === c.equipmentId);
  if (!eq && !line)
    return { ok: false, code: 'NOT_FOUND', message: `no equipment or line "${c.equipmentId}"` };
  const kind = eq ? eq.kind : 'line';
  const offered = commandsFor(kind);
  if (!offered.includes(c.action)) {
    const list = offered.length ? `: ${offered.join(', ')}` : '';
    return { ok: false, code: 'INVALID', message: `"${c.action}" is not a command of a ${kind}${list}` };
  }
  const node = c.params?.node;
  if (node !== undefined && !layout.paths?.nodes.some((n) => n.id === node))
    return { ok: false, code: 'NOT_FOUND', message: `no path node "${node}"` };
  return { ok: true };
}
