import {
  commandsFor,
  type EquipmentKind,
  type EquipmentSpec,
  FAULT_TARGET_KINDS,
  type Layout,
} from '../../protocol';
import type { CompiledRules } from '../alarms/compile';
import type { ScenarioFile } from './scenarioSchema';

/**
 * Checks every id a validated scenario file names against its plant and the alarm rules: equipment
 * (of the kind the fault or parameter needs), lines, path nodes, commands the equipment offers,
 * and alarms (`rule@equipment`) the rules can raise. Pure; the issues carry file paths so the
 * loader can add lines. A list of valid choices is truncated to a few.
 */

export interface RefIssue {
  path: (string | number)[];
  message: string;
}

/** Ids shown in "expected one of" before "… and N more". */
const SHOWN = 8;

/** "a, b, c … and 12 more". */
export function choices(ids: readonly string[]): string {
  if (ids.length === 0) return 'none in this plant';
  const head = ids.slice(0, SHOWN).join(', ');
  return ids.length > SHOWN ? `${head} … and ${ids.length - SHOWN} more` : head;
}

/** "a conveyor", "an agv". */
const a = (what: string) => `${/^[aeiou]/.test(what) ? 'an' : 'a'} ${what}`;

/** Every id problem of a schema-valid file, with its path (empty: all ids fit). */
export function checkScenarioRefs(f: ScenarioFile, layout: Layout, rules: CompiledRules): RefIssue[] {
  const issues: RefIssue[] = [];
  const byId = new Map<string, EquipmentSpec>(layout.equipment.map((e) => [e.id, e]));
  const lineIds = layout.lines.map((l) => l.id);
  const nodeIds = layout.paths?.nodes.map((n) => n.id) ?? [];
  const add = (path: (string | number)[], message: string) => issues.push({ path, message });

  /** Equipment of one of `kinds` (any kind when empty). */
  const equipment = (path: (string | number)[], id: string, kinds: readonly EquipmentKind[] = []) => {
    const e = byId.get(id);
    const fits = (x: EquipmentSpec) => kinds.length === 0 || kinds.includes(x.kind);
    if (!e) {
      const what = kinds.length ? kinds.join(' or ') : 'equipment';
      const ids = layout.equipment.filter(fits).map((x) => x.id);
      add(path, `unknown ${what} "${id}" (expected one of: ${choices(ids)})`);
      return null;
    }
    if (!fits(e)) add(path, `${id} is ${a(e.kind)}; expected ${a(kinds.join(' or '))}`);
    return e;
  };
  const line = (path: (string | number)[], id: string) => {
    if (!lineIds.includes(id)) add(path, `unknown line "${id}" (expected one of: ${choices(lineIds)})`);
  };
  const node = (path: (string | number)[], id: string) => {
    if (!nodeIds.includes(id)) add(path, `unknown path node "${id}" (expected one of: ${choices(nodeIds)})`);
  };
  const inLine = (path: (string | number)[], id: string) => {
    if (byId.has(id) && !layout.lines.some((l) => l.flow.includes(id)))
      add(path, `${id} is not the vision station of a line`);
  };
  /** Equipment or line, and the commands it offers. */
  const target = (path: (string | number)[], id: string): EquipmentKind | 'line' | null => {
    if (lineIds.includes(id)) return 'line';
    if (byId.has(id)) return byId.get(id)!.kind;
    add(
      path,
      `unknown equipment or line "${id}" (expected one of: ${choices([...lineIds, ...byId.keys()])})`,
    );
    return null;
  };

  f.timeline.forEach((s, i) => {
    const at = (...p: (string | number)[]) => ['timeline', i, ...p];
    if (s.fault) {
      const ft = s.fault;
      if (ft.kind === 'power-dip') line(at('fault', 'line'), ft.line);
      else equipment(at('fault', 'equipment'), ft.equipment, FAULT_TARGET_KINDS[ft.kind]);
      if (ft.kind === 'agv-breakdown' && ft.atNode !== undefined) node(at('fault', 'atNode'), ft.atNode);
      if (ft.kind === 'camera-defocus') inLine(at('fault', 'equipment'), ft.equipment);
      if (
        ft.kind === 'drone-battery' &&
        byId.has(ft.equipment) &&
        !layout.droneRoutes.some((r) => r.drone === ft.equipment)
      )
        add(at('fault', 'equipment'), `${ft.equipment} has no patrol route`);
    }
    if (s.clear?.equipment !== undefined) equipment(at('clear', 'equipment'), s.clear.equipment);
    if (s.clear?.line !== undefined) line(at('clear', 'line'), s.clear.line);
    if (s.set) {
      const p = s.set;
      if (p.parameter === 'defect-rate') {
        equipment(at('set', 'equipment'), p.equipment, ['vision-station']);
        inLine(at('set', 'equipment'), p.equipment);
      } else line(at('set', 'line'), p.line);
    }
    if (s.command) {
      const kind = target(at('command', 'equipment'), s.command.equipment);
      if (kind) action(at('command', 'action'), s.command.action, [kind]);
      if (s.command.node !== undefined) node(at('command', 'node'), s.command.node);
    }
  });

  for (const [i, e] of f.expectations.entries()) {
    const at = (...p: (string | number)[]) => ['expectations', i, ...p];
    if (e.type === 'line-running') {
      line(at('line'), e.line);
      continue;
    }
    if (e.type === 'command') {
      const kinds = e.equipment.map((id, j) => target(at('equipment', j), id));
      const known = kinds.filter((k): k is EquipmentKind | 'line' => k !== null);
      if (known.length === kinds.length)
        for (const [j, name] of e.action.entries()) action(at('action', j), name, known);
      continue;
    }
    const rule = rules.rules.find((r) => r.id === e.rule);
    if (!rule)
      add(
        at('rule'),
        `unknown alarm rule "${e.rule}" (expected one of: ${choices(rules.rules.map((r) => r.id))})`,
      );
    const eq = equipment(at('equipment'), e.equipment);
    if (rule && eq && !rules.byAlarmId.has(`${e.rule}@${e.equipment}`)) {
      const watches = rule.equipment ? rule.equipment.join(', ') : `every ${rule.kind}`;
      add(
        at('rule'),
        `alarm rule "${e.rule}" does not watch ${e.equipment} (${a(eq.kind)}); it watches ${watches}`,
      );
    }
  }
  return issues;

  /** `a` must be a command of at least one of the target kinds. */
  function action(path: (string | number)[], name: string, kinds: readonly (EquipmentKind | 'line')[]): void {
    if (kinds.some((k) => (commandsFor(k) as readonly string[]).includes(name))) return;
    const offered = [...new Set(kinds.flatMap((k) => commandsFor(k)))];
    add(
      path,
      `"${name}" is not a command of ${a(kinds.join(' or '))} (expected one of: ${choices(offered)})`,
    );
  }
}
