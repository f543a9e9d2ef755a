import type { ModelSummary } from '../../../protocol';

/** What the scene draws with uploaded models: per equipment the model id or null, and the shell. */
export interface ModelResolution {
  /** Per equipment (layout order): the id of the model that draws it, or null (the built-in look). */
  readonly perEquipment: (string | null)[];
  /** The building shell's model id, or null (the procedural hall). */
  readonly shell: string | null;
  /** Model id -> equipment indices it draws, ascending. */
  readonly copies: Map<string, number[]>;
}

/** Newer first: createdAt, then id (ids are random, but the order must be total). */
function newer(a: ModelSummary, b: ModelSummary): boolean {
  return a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id);
}

/**
 * Chooses a model for each piece of equipment: a model made for that piece beats one made for its
 * kind, and among models of the same target the newest wins; none leaves the built-in look. Models
 * in `unusable` (their files failed to load) are skipped, so their equipment falls back.
 */
export function resolveModels(
  equipment: readonly { id: string; kind: string }[],
  models: readonly ModelSummary[],
  unusable: ReadonlySet<string> = new Set(),
): ModelResolution {
  const byId = new Map<string, ModelSummary>();
  const byKind = new Map<string, ModelSummary>();
  let shell: ModelSummary | null = null;
  for (const m of models) {
    if (unusable.has(m.id)) continue;
    const t = m.target;
    if ('equipment' in t) {
      const had = byId.get(t.equipment);
      if (!had || newer(m, had)) byId.set(t.equipment, m);
    } else if ('kind' in t) {
      const had = byKind.get(t.kind);
      if (!had || newer(m, had)) byKind.set(t.kind, m);
    } else if (!shell || newer(m, shell)) shell = m;
  }
  const copies = new Map<string, number[]>();
  const perEquipment = equipment.map((e, i) => {
    const m = byId.get(e.id) ?? byKind.get(e.kind);
    if (!m) return null;
    const list = copies.get(m.id);
    if (list) list.push(i);
    else copies.set(m.id, [i]);
    return m.id;
  });
  return { perEquipment, shell: shell?.id ?? null, copies };
}
