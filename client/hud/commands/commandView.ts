import {
  type CommandAction,
  can,
  commandsFor,
  type EquipmentSpec,
  type Layout,
  type Locale,
  pickText,
  type Role,
} from '../../../protocol';

/** Safety first: E-stop, then Stop, lead every group, the rest keep the vocabulary's order. */
const LEAD: readonly CommandAction[] = ['e-stop', 'stop'];

/** The actions in the order the inspector shows them. */
export function orderActions(actions: readonly CommandAction[]): CommandAction[] {
  return [...LEAD.filter((a) => actions.includes(a)), ...actions.filter((a) => !LEAD.includes(a))];
}

/** One group of command buttons: for the equipment itself, or for its whole line. */
export interface CommandGroup {
  /** `equipmentId` of the command: the equipment id or the line id. */
  target: string;
  /** What the confirm step calls the target (equipment id, or the line's name). */
  label: string;
  line: boolean;
  actions: CommandAction[];
}

/**
 * The command groups the inspector offers to `role` for `spec`: none for a role without
 * `equipment:command`, else its kind's commands and, for equipment on a line, the line's.
 */
export function commandGroups(role: Role | null, spec: EquipmentSpec, layout: Layout): CommandGroup[] {
  if (!can(role, 'equipment:command')) return [];
  const groups: CommandGroup[] = [];
  const own = commandsFor(spec.kind);
  if (own.length > 0)
    groups.push({ target: spec.id, label: spec.id, line: false, actions: orderActions(own) });
  const line = spec.line ? layout.lines.find((l) => l.id === spec.line) : undefined;
  if (line)
    groups.push({
      target: line.id,
      label: line.name,
      line: true,
      actions: orderActions(commandsFor('line')),
    });
  return groups;
}

/** What a path node is, for the go-to picker. */
export type NodeKind = 'feeder' | 'charging-dock' | 'rack' | 'home' | 'aisle';

/**
 * One go-to target. `name`: what the node is called in the reader's language (its own name in the
 * plant file, else the equipment standing at it); `agv`: whose home it is.
 */
export interface NodeOption {
  id: string;
  kind: NodeKind;
  name?: string;
  agv?: string;
}

/** Stops in the order an operator most often sends an AGV: line feeders, chargers, racks, homes. */
const STOP_ORDER: readonly NodeKind[] = ['feeder', 'charging-dock', 'rack', 'home'];

/**
 * The path graph's nodes for the go-to picker, named in `locale`: named stops first (feeders,
 * charging docks, racks, AGV homes — the places AGVs are meant to wait at), then the aisle nodes.
 */
export function nodeOptions(
  layout: Layout,
  locale: Locale = 'en',
): { stops: NodeOption[]; aisles: NodeOption[] } {
  const nodes = layout.paths?.nodes ?? [];
  const known = new Set(nodes.map((n) => n.id));
  const own = new Map<string, string>();
  for (const n of nodes) if (n.name) own.set(n.id, pickText(n.name, n.names, locale));
  const byNode = new Map<string, NodeOption>();
  for (const e of layout.equipment) {
    const props = e.props as { node?: string; home?: string };
    if ((e.kind === 'feeder' || e.kind === 'charging-dock' || e.kind === 'rack') && props.node) {
      if (known.has(props.node))
        byNode.set(props.node, {
          id: props.node,
          kind: e.kind,
          name: own.get(props.node) ?? pickText(e.name, e.names, locale),
        });
    } else if (e.kind === 'agv' && props.home && known.has(props.home) && !byNode.has(props.home)) {
      byNode.set(props.home, { id: props.home, kind: 'home', name: own.get(props.home), agv: e.id });
    }
  }
  const stops = [...byNode.values()].sort(
    (a, b) => STOP_ORDER.indexOf(a.kind) - STOP_ORDER.indexOf(b.kind) || a.id.localeCompare(b.id),
  );
  const aisles = [...known]
    .filter((id) => !byNode.has(id))
    .sort((a, b) => a.localeCompare(b))
    .map((id): NodeOption => ({ id, kind: 'aisle', name: own.get(id) }));
  return { stops, aisles };
}

/**
 * A readable label of a go-to target: its name and id ("1 号产线上料点 · L1-FDR-D"), or the id
 * alone; `home` words an AGV's parking spot around that (translated by the caller).
 */
export function nodeLabel(o: NodeOption, home: (node: string, agv: string) => string): string {
  const base = o.name ? `${o.name} · ${o.id}` : o.id;
  return o.kind === 'home' && o.agv ? home(base, o.agv) : base;
}
