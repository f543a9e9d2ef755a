import { commandsFor, type EquipmentCommand, type Layout } from '../../protocol';
import type { CodedText } from '../../protocol/text';
import { planCommand } from '../ingest/deviceCommandsRoute';
import type { PlantSession } from '../session/plantSession';

/**
 * Whether a command could be carried out on this plant at all, before a confirmation is issued
 * for it (asking someone to confirm a command that cannot exist would waste the deliberate click):
 * the target exists, the action is one of its kind's, a go-to node is on the path graph and, given
 * the plant, the target is not read-only real equipment (nor a line with some). State-dependent
 * refusals (faulted, already flying) are the simulation's or the device's to give on execution.
 */
export function precheck(
  layout: Layout,
  c: EquipmentCommand,
  plant?: Pick<PlantSession, 'world' | 'overlay'>,
):
  | { ok: true }
  | { ok: false; code: 'NOT_FOUND' | 'INVALID' | 'CONFLICT'; message: string; text?: CodedText } {
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
  if (plant) {
    const plan = planCommand(plant.world, plant.overlay, c.equipmentId);
    if (plan.to === 'refused' && !plan.result.ok) {
      const { code, message, text } = plan.result;
      return { ok: false, code, message, text };
    }
  }
  return { ok: true };
}
